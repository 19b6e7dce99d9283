//! The measurements: the `f32` sweep over bit patterns and the `f64` comparison with MPFR
//! on random inputs over every binade.
//!
//! Work is split into small chunks handed out through an atomic counter, so threads stay
//! busy even though some regions (NaN patterns, saturated tails) are much cheaper than
//! others. Each thread keeps its own maximum; the maxima are merged at the end, preferring
//! the smaller input on ties so the reported worst case does not depend on scheduling.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::cases::{Bound, Case, Domain};
use crate::rng::SplitMix64;
use crate::ulp::{
    is_correctly_rounded_f32, is_correctly_rounded_f64, ulp_error_f32, ulp_error_f64,
};

/// The two element types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FloatType {
    /// `f32`, measured against the careful-`f64` reference.
    F32,
    /// `f64`, measured against MPFR.
    F64,
}

impl fmt::Display for FloatType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FloatType::F32 => "f32",
            FloatType::F64 => "f64",
        })
    }
}

/// One evaluated input, kept for the worst cases so a failure can be reproduced.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// The input, widened to `f64` (exact for `f32` inputs).
    pub input: f64,
    /// The input's bit pattern in its own type.
    pub input_bits: u64,
    /// The function's result, widened to `f64`.
    pub result: f64,
    /// The reference, as a decimal with enough digits to see the error.
    pub reference: String,
    /// The error in ULPs of the reference.
    pub ulp: f64,
    /// Where the input came from, when it is not self-explanatory (rows: kind and column).
    pub context: String,
}

impl fmt::Display for Sample {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "input {:e} (bits {:#x}), result {:e}, reference {}, error {} ULP",
            self.input,
            self.input_bits,
            self.result,
            self.reference,
            format_ulp(self.ulp)
        )?;
        if !self.context.is_empty() {
            write!(f, " [{}]", self.context)?;
        }
        Ok(())
    }
}

/// An error in ULPs for people: three decimals, or scientific notation when tiny or huge.
pub fn format_ulp(ulp: f64) -> String {
    if ulp.is_infinite() {
        "∞".to_string()
    } else if ulp != 0.0 && !(1e-3..1e6).contains(&ulp) {
        format!("{ulp:.3e}")
    } else {
        format!("{ulp:.3}")
    }
}

/// The accuracy of one function in one type over one set of inputs.
#[derive(Clone, Debug)]
pub struct Measurement {
    /// The function's name (as in [`Case::name`]).
    pub function: String,
    /// The element type.
    pub ty: FloatType,
    /// How many inputs were evaluated.
    pub tested: u64,
    /// The largest error, in ULPs.
    pub max_ulp: f64,
    /// The input with the largest error.
    pub worst: Option<Sample>,
    /// The largest error among inputs whose exact result is a non-zero subnormal.
    pub max_subnormal_ulp: f64,
    /// The input with that error.
    pub worst_subnormal: Option<Sample>,
    /// How many results were not the reference rounded to nearest (only counted, and only
    /// meaningful, for correctly rounded functions).
    pub misrounded: u64,
    /// The first such input.
    pub first_misrounded: Option<Sample>,
    /// The bound the function promises.
    pub bound: Bound,
    /// Only for a mixed bound ([`Bound::UlpPlusScaled`]): how many elements were beyond
    /// its ULP part (and so needed the scaled term to pass, or failed).
    pub beyond_ulp: u64,
    /// Only for a mixed bound: the largest error / (ULP part + scaled term) over the
    /// elements, each in its own units; at most 1 when the bound holds everywhere.
    pub max_bound_ratio: f64,
    /// The element with that ratio.
    pub worst_ratio: Option<Sample>,
}

impl Measurement {
    /// Whether the bound holds over every input tested.
    pub fn passed(&self) -> bool {
        match self.bound {
            // NaN ratios (none are produced) would fail too.
            Bound::UlpPlusScaled { .. } => self.max_bound_ratio <= 1.0,
            _ => self.bound.admits(self.max_ulp, self.misrounded),
        }
    }

    /// A one-paragraph account of the failure (function, type, input in bits and value,
    /// result, reference and error), or of the result when it passed.
    pub fn describe(&self) -> String {
        let verdict = if self.passed() { "within" } else { "EXCEEDS" };
        let mut s = format!(
            "{} {}: max error {} ULP over {} inputs, {verdict} the bound ({})",
            self.function,
            self.ty,
            format_ulp(self.max_ulp),
            self.tested,
            self.bound
        );
        if let Some(w) = &self.worst {
            s += &format!("; worst at {w}");
        }
        if let Some(w) = &self.worst_subnormal {
            s += &format!("; worst subnormal result at {w}");
        }
        if let Bound::UlpPlusScaled {
            ulp, log2_factor, ..
        } = self.bound
        {
            s += &format!(
                "; {} elements beyond {ulp} ULP, judged with the 2^{log2_factor} term; largest error / bound {:.3}",
                self.beyond_ulp, self.max_bound_ratio
            );
            if let Some(w) = &self.worst_ratio {
                s += &format!(" at {w}");
            }
        }
        if self.bound == Bound::CorrectlyRounded {
            s += &format!("; {} results not correctly rounded", self.misrounded);
            if let Some(w) = &self.first_misrounded {
                s += &format!(", first at {w}");
            }
        }
        s
    }
}

/// Per-thread maxima, holding inputs only; details are recomputed for the winners.
#[derive(Clone, Copy, Default)]
struct Tally {
    tested: u64,
    max_ulp: f64,
    worst: Option<u64>,
    max_subnormal_ulp: f64,
    worst_subnormal: Option<u64>,
    misrounded: u64,
    first_misrounded: Option<u64>,
}

/// Keeps the larger error; on a tie, the smaller key (input index), for determinism.
fn keep_max(max: &mut f64, at: &mut Option<u64>, ulp: f64, key: u64) {
    let better = match *at {
        None => true,
        Some(k) => ulp > *max || (ulp == *max && key < k),
    };
    if better {
        *max = ulp;
        *at = Some(key);
    }
}

impl Tally {
    fn record(&mut self, key: u64, ulp: f64, subnormal: bool, misrounded: bool) {
        self.tested += 1;
        keep_max(&mut self.max_ulp, &mut self.worst, ulp, key);
        if subnormal {
            keep_max(
                &mut self.max_subnormal_ulp,
                &mut self.worst_subnormal,
                ulp,
                key,
            );
        }
        if misrounded {
            self.misrounded += 1;
            self.first_misrounded = Some(self.first_misrounded.map_or(key, |k| k.min(key)));
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.tested += other.tested;
        if let Some(k) = other.worst {
            keep_max(&mut self.max_ulp, &mut self.worst, other.max_ulp, k);
        }
        if let Some(k) = other.worst_subnormal {
            keep_max(
                &mut self.max_subnormal_ulp,
                &mut self.worst_subnormal,
                other.max_subnormal_ulp,
                k,
            );
        }
        self.misrounded += other.misrounded;
        if let Some(k) = other.first_misrounded {
            self.first_misrounded = Some(self.first_misrounded.map_or(k, |m| m.min(k)));
        }
    }
}

/// Runs `work(chunk_index, &mut tally)` for every chunk in `0..chunks` on `threads` threads
/// and merges the tallies.
fn parallel_tally(chunks: u64, threads: usize, work: impl Fn(u64, &mut Tally) + Sync) -> Tally {
    let next = AtomicU64::new(0);
    let total = Mutex::new(Tally::default());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                let mut tally = Tally::default();
                loop {
                    let chunk = next.fetch_add(1, Ordering::Relaxed);
                    if chunk >= chunks {
                        break;
                    }
                    work(chunk, &mut tally);
                }
                total
                    .lock()
                    .expect("no thread panics holding the lock")
                    .merge(&tally);
            });
        }
    });
    total
        .into_inner()
        .expect("no thread panicked holding the lock")
}

/// The `i`-th bit pattern of a sweep with the given stride. With stride 1 that is `i`
/// itself; otherwise a pseudo-random pattern inside the i-th block of `stride` patterns, so
/// a strided sweep still sees every low-mantissa bit (a plain `i · stride` would only test
/// inputs whose last 8 bits are zero, which are "round" numbers).
pub fn sweep_pattern(i: u64, stride: u32) -> u32 {
    let base = i * stride as u64;
    let offset = if stride <= 1 {
        0
    } else {
        SplitMix64::mix(i) % stride as u64
    };
    (base + offset) as u32
}

/// Patterns per work chunk: large enough to amortize the atomic, small enough to balance.
const F32_CHUNK: u64 = 1 << 16;

fn f32_sample(case: &Case, bits: u32) -> Sample {
    let x = f32::from_bits(bits);
    let y = (case.f32_fn)(x);
    let r = (case.f32_reference)(x as f64);
    Sample {
        input: x as f64,
        input_bits: bits as u64,
        result: y as f64,
        reference: format!("{r:e}"),
        ulp: ulp_error_f32(y, r),
        context: case
            .input_note
            .as_ref()
            .map_or(String::new(), |note| note(FloatType::F32, x as f64)),
    }
}

/// Sweeps `f32` bit patterns: all 2^32 with `stride` 1, else one pattern in every block of
/// `stride` (2^32/stride inputs). Every pattern counts, NaNs and infinities included.
pub fn sweep_f32(case: &Case, stride: u32, threads: usize) -> Measurement {
    let stride = stride.max(1);
    let count = (1u64 << 32).div_ceil(stride as u64);
    let chunks = count.div_ceil(F32_CHUNK);
    let correctly_rounded = case.f32_bound == Bound::CorrectlyRounded;
    // An exhaustive sweep takes a minute or more per function: report every sixteenth.
    let report_every = if count >= 1 << 30 { chunks / 16 } else { 0 };
    let tally = parallel_tally(chunks, threads, |chunk, tally| {
        if report_every > 0 && chunk % report_every == 0 && chunk > 0 {
            eprintln!(
                "activ audit: {} f32 sweep {}% started",
                case.name,
                chunk * 100 / chunks
            );
        }
        let start = chunk * F32_CHUNK;
        let end = (start + F32_CHUNK).min(count);
        for i in start..end {
            let bits = sweep_pattern(i, stride);
            let x = f32::from_bits(bits);
            let y = (case.f32_fn)(x);
            let r = (case.f32_reference)(x as f64);
            let ulp = ulp_error_f32(y, r);
            let subnormal = r != 0.0 && r.abs() < f32::MIN_POSITIVE as f64;
            let misrounded = correctly_rounded && !is_correctly_rounded_f32(y, r);
            tally.record(bits as u64, ulp, subnormal, misrounded);
        }
    });
    let detail = |bits: Option<u64>| bits.map(|b| f32_sample(case, b as u32));
    Measurement {
        function: case.name.clone(),
        ty: FloatType::F32,
        tested: tally.tested,
        max_ulp: tally.max_ulp,
        worst: detail(tally.worst),
        max_subnormal_ulp: tally.max_subnormal_ulp,
        worst_subnormal: detail(tally.worst_subnormal),
        misrounded: tally.misrounded,
        first_misrounded: detail(tally.first_misrounded),
        bound: case.f32_bound,
        beyond_ulp: 0,
        max_bound_ratio: 0.0,
        worst_ratio: None,
    }
}

/// Inputs that random draws would almost never hit: zeros, the ends of the subnormal and
/// normal ranges, and both neighbours of the thresholds where activ's kernels (or the
/// functions themselves) change regime — exp's overflow and underflow points, tanh's
/// switch at 0.55, the hard functions' kinks, gelu_tanh's clamp at 1e4, the roots of
/// silu′, gelu′, gelu_tanh′ and mish′ and the ends of the windows of ±1/8 around them where
/// activ's derivative kernels switch to a Taylor series.
pub fn f64_edge_inputs(domain: Domain) -> Vec<f64> {
    let mut base: Vec<f64> = vec![
        0.0,
        f64::from_bits(1),
        f64::from_bits(0x000f_ffff_ffff_ffff),
        f64::MIN_POSITIVE,
        f64::EPSILON,
        1e-300,
        1e-30,
        1e-16,
        2f64.powi(-27),
        1e-8,
        1e-6,
        1e-3,
        0.25,
        0.5,
        0.55,
        0.75,
        1.0,
        2.0,
        3.0,
        6.0,
        10.0,
        20.0,
        38.0,
        100.0,
        700.0,
        708.0,
        709.0,
        709.782712893384,
        710.0,
        744.0,
        745.0,
        745.1332191019412,
        746.0,
        800.0,
        1e4,
        1e5,
        1e30,
        1e300,
        f64::MAX,
    ];
    base.extend((1..=40).map(|i| i as f64 * 0.5));
    for (_, root) in crate::specials::DERIVATIVE_ROOTS {
        base.extend([root, root - 0.125, root + 0.125]);
    }
    let mut inputs = Vec::new();
    for &v in &base {
        for w in [v, next_up(v), next_down(v)] {
            inputs.push(w);
            inputs.push(-w);
        }
    }
    if domain == Domain::UnitInterval {
        let near_one: Vec<f64> = inputs
            .iter()
            .filter(|&&v| v > 0.0 && v <= 0.5)
            .map(|&v| 1.0 - v)
            .collect();
        inputs.extend(near_one);
    }
    inputs.retain(|v| v.is_finite());
    inputs
}

fn next_up(v: f64) -> f64 {
    if v.is_nan() || v == f64::INFINITY {
        return v;
    }
    if v == 0.0 {
        return f64::from_bits(1);
    }
    let bits = v.to_bits();
    f64::from_bits(if v > 0.0 { bits + 1 } else { bits - 1 })
}

fn next_down(v: f64) -> f64 {
    -next_up(-v)
}

/// A uniformly random sign, binade and mantissa: every binade from the subnormals to
/// 2^1023 is equally likely, so the tails get as much attention as the middle.
fn random_binade(rng: &mut SplitMix64) -> f64 {
    let bits = rng.next_u64();
    let sign = bits & (1 << 63);
    let exponent = rng.below(2047); // 0 (subnormal) ..= 2046: finite values only.
    let mantissa = bits & 0x000f_ffff_ffff_ffff;
    f64::from_bits(sign | (exponent << 52) | mantissa)
}

/// A random value in (0, 1) with every binade below 1 equally likely.
fn random_binade_below_one(rng: &mut SplitMix64) -> f64 {
    let exponent = rng.below(1023); // biased exponents 0 ..= 1022: (0, 1).
    let mantissa = rng.next_u64() & 0x000f_ffff_ffff_ffff;
    f64::from_bits((exponent << 52) | mantissa)
}

/// The `i`-th random `f64` input for a domain, from a seed: three in four draws are
/// random-binade values, one in four uniform where the functions bend (|x| ≤ 64, or all
/// of [0, 1]). For [0, 1], half the binade draws are mirrored to 1 − q, so the binades
/// approaching 1 are covered as densely as those approaching 0.
pub fn random_f64_input(domain: Domain, seed: u64, i: u64) -> f64 {
    let mut rng = SplitMix64::new(seed ^ SplitMix64::mix(i));
    let kind = rng.below(4);
    match domain {
        Domain::Real => {
            if kind < 3 {
                random_binade(&mut rng)
            } else {
                (rng.unit() * 2.0 - 1.0) * 64.0
            }
        }
        Domain::UnitInterval => match kind {
            0 | 1 => random_binade_below_one(&mut rng),
            2 => 1.0 - random_binade_below_one(&mut rng) * 0.5,
            _ => rng.unit(),
        },
    }
}

/// The upstream gradient dy that the `_vjp` cases pair with the `f64` input x: a
/// pseudo-random function of x's bits, so a reported worst case is reproducible from x
/// alone. `grad` is an estimate of f′(x) (the careful reference; only its binade is used).
///
/// Half the draws have |dy| in [2^−4, 2^5), the everyday case; one in eight is a random
/// finite `f64` of any binade (products that overflow or vanish, dy subnormal or above
/// 2^1000, where activ rescales it); one in four is aimed so that dy·f′(x) lands at the
/// bottom of the normal range or among the subnormals, where the product must be rounded
/// once; one in eight is aimed at the top of the range or, where f′(x) underflows in
/// `f64`, is huge, so that a product whose factor f′(x) is not representable still is.
pub fn vjp_dy_f64(x: f64, grad: f64) -> f64 {
    let (sign, mantissa, exponent) = vjp_dy_parts(x.to_bits(), grad, -1074, -1022, 1023);
    let m = f64::from_bits(0x3ff0_0000_0000_0000 | (mantissa >> 12));
    // Two exact scalings by powers of two, so only the last one (into the subnormals)
    // rounds.
    let half = exponent / 2;
    let y = m * 2f64.powi(half) * 2f64.powi(exponent - half);
    if sign {
        -y
    } else {
        y
    }
}

/// The `f32` counterpart of [`vjp_dy_f64`], for the `f32` input x (same recipe, `f32`
/// ranges).
pub fn vjp_dy_f32(x: f32, grad: f64) -> f32 {
    let (sign, mantissa, exponent) = vjp_dy_parts(x.to_bits() as u64, grad, -149, -126, 127);
    // 23 bits of mantissa: m·2^e is then an f32 unless it is subnormal.
    let m = f64::from_bits(0x3ff0_0000_0000_0000 | ((mantissa >> 41) << 29));
    // Exact in f64; one rounding to f32.
    let y = (m * 2f64.powi(exponent)) as f32;
    if sign {
        -y
    } else {
        y
    }
}

/// Sign, 64 random bits of mantissa and binade exponent of dy, for a type whose least
/// subnormal is 2^`min_sub`, least normal 2^`min_normal` and top binade 2^`max`.
fn vjp_dy_parts(bits: u64, grad: f64, min_sub: i32, min_normal: i32, max: i32) -> (bool, u64, i32) {
    let mut rng = SplitMix64::new(SplitMix64::mix(bits ^ 0x6479_5f66_6f72_5f78));
    let sign = rng.next_u64() >> 63 == 1;
    let mantissa = rng.next_u64();
    let g = grad.abs();
    let mut span = |lo: i32, hi: i32| lo + rng.below((hi - lo + 1) as u64) as i32;
    let exponent = match span(0, 7) {
        0..=3 => span(-4, 4),
        4 => span(min_sub, max),
        kind if g.is_finite() && g > 0.0 => {
            let e = libm::ilogb(g); // |f′(x)| in [2^e, 2^(e+1)).
            if kind < 7 {
                min_normal - e + span(min_sub - min_normal - 2, 2)
            } else {
                max - e - span(0, 3)
            }
        }
        // f′(x) is 0 in f64 (underflow, or a flat piece): a huge dy.
        _ if g == 0.0 => max - span(0, 63),
        _ => span(min_sub, max),
    };
    (sign, mantissa, exponent.clamp(min_sub, max))
}

/// A seed derived from the function's name, so each function gets its own inputs.
pub fn seed_for(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

const F64_CHUNK: u64 = 1024;

fn f64_sample(case: &Case, x: f64, mut context: String) -> Sample {
    let y = (case.f64_fn)(x);
    let r = (case.f64_reference)(x);
    if let Some(note) = &case.input_note {
        context = format!("{context}; {}", note(FloatType::F64, x));
    }
    Sample {
        input: x,
        input_bits: x.to_bits(),
        result: y,
        reference: r.to_string_radix(10, Some(25)),
        ulp: ulp_error_f64(y, &r),
        context,
    }
}

/// Compares the `f64` function with MPFR on every edge input plus `samples` random inputs
/// (see [`random_f64_input`]); input `i` of the random part is reproducible from `seed`.
pub fn sample_f64(case: &Case, samples: usize, seed: u64, threads: usize) -> Measurement {
    let edges = f64_edge_inputs(case.domain);
    let edge_count = edges.len() as u64;
    let count = edge_count + samples as u64;
    let input = |i: u64| {
        if i < edge_count {
            edges[i as usize]
        } else {
            random_f64_input(case.domain, seed, i - edge_count)
        }
    };
    let correctly_rounded = case.f64_bound == Bound::CorrectlyRounded;
    let chunks = count.div_ceil(F64_CHUNK);
    let tally = parallel_tally(chunks, threads, |chunk, tally| {
        let start = chunk * F64_CHUNK;
        let end = (start + F64_CHUNK).min(count);
        for i in start..end {
            let x = input(i);
            let y = (case.f64_fn)(x);
            let r = (case.f64_reference)(x);
            let ulp = ulp_error_f64(y, &r);
            let subnormal = !r.is_zero() && r.to_f64().abs() < f64::MIN_POSITIVE;
            let misrounded = correctly_rounded && !is_correctly_rounded_f64(y, &r);
            tally.record(i, ulp, subnormal, misrounded);
        }
    });
    let detail = |i: Option<u64>| {
        i.map(|i| {
            let context = if i < edge_count {
                "edge input".to_string()
            } else {
                format!("random input #{} of seed {seed:#x}", i - edge_count)
            };
            f64_sample(case, input(i), context)
        })
    };
    Measurement {
        function: case.name.clone(),
        ty: FloatType::F64,
        tested: tally.tested,
        max_ulp: tally.max_ulp,
        worst: detail(tally.worst),
        max_subnormal_ulp: tally.max_subnormal_ulp,
        worst_subnormal: detail(tally.worst_subnormal),
        misrounded: tally.misrounded,
        first_misrounded: detail(tally.first_misrounded),
        bound: case.f64_bound,
        beyond_ulp: 0,
        max_bound_ratio: 0.0,
        worst_ratio: None,
    }
}
