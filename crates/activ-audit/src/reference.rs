//! Reference implementations, written independently of activ.
//!
//! - [`careful`]: each function computed in `f64` with std and `libm`, in a formulation
//!   that keeps full relative accuracy (errors of a few `f64` ULPs, i.e. ~1e−9 `f32` ULPs).
//!   It is the reference for the `f32` functions: an `f32` input is exact in `f64`, and the
//!   reference's own error is far below what an `f32` ULP bound can notice. It is itself
//!   checked against MPFR (see the `reference_crosscheck` test).
//! - [`mpfr`]: each function computed with MPFR at [`MPFR_PREC`] bits, the reference for the
//!   `f64` functions.
//!
//! Both treat NaN, ±∞ and signed zeros as the family docs of activ specify, so that the
//! sweeps can include every bit pattern.
//!
//! Both also have the derivatives, as `name_grad` (f′(x), with activ's values at the
//! kinks), for the `_grad` and `_vjp` cases of the audit.

/// Bits of precision of the MPFR references: 160 leaves more than 100 bits of margin over
/// `f64`, so cancellations of up to 2^−100 inside a formula cannot reach the result.
pub const MPFR_PREC: u32 = 160;

/// SELU's λ, exactly as published (Klambauer et al. 2017).
pub const SELU_LAMBDA_DECIMAL: &str = "1.0507009873554804934193349852946";
/// SELU's α, exactly as published.
pub const SELU_ALPHA_DECIMAL: &str = "1.6732632423543772848170429916717";
/// The cubic coefficient of gelu_tanh, an exact decimal (not a binary fraction).
pub const GELU_TANH_CUBIC_DECIMAL: &str = "0.044715";

/// The functions in `f64` arithmetic, as references for `f32` results.
///
/// # Derivatives
/// The `_grad` functions are f′(x) to the same standard: full relative accuracy in `f64`
/// for every `f32` input, with the kinks at activ's documented values (PyTorch's) and NaN
/// for NaN. They use forms that do not cancel: σ′ = σ(x)·σ(−x), tanh′ = 1/cosh²(x),
/// softsign′ = 1/(1 + |x|)², hard_swish′ = (2x + 3)/6.
///
/// Four derivatives are a sum of two terms of opposite signs for x < 0, which cancel near
/// a root x0 of f′: silu′ = σ(x) + x·σ(x)σ(−x) (x0 ≈ −1.278), gelu′ = Φ(x) + x·φ(x)
/// (≈ −0.752), gelu_tanh′ = σ(z) + x·z′·σ(z)σ(−z) (≈ −0.752) and mish′ = tanh(sp) +
/// x·σ(x)·sech²(sp) (≈ −1.192). Each term carries an error of a few `f64` ULPs, so the
/// sum a + b keeps its relative accuracy only while |a + b| is not much smaller than
/// |a| + |b|. These references therefore evaluate both terms in `f64` and, where
/// |a + b| < 2^−4·(|a| + |b|) ([`CANCELLATION_LIMIT`](careful::CANCELLATION_LIMIT); at
/// most 4 bits are lost elsewhere, a relative error below ~1e−14), return the MPFR
/// reference of [`mpfr`] rounded to `f64` instead. That happens only within ±0.13 of each
/// root (±0.07 for gelu′ and gelu_tanh′), about 8000 inputs of the default `f32`
/// sweep. The `reference_crosscheck` test checks the result against MPFR on inputs
/// concentrated there.
pub mod careful {
    use std::f64::consts::{FRAC_1_SQRT_2, FRAC_2_PI};

    /// SELU's λ rounded to `f64` (relative error 4e−17, invisible in `f32` ULPs).
    const SELU_LAMBDA: f64 = 1.050_700_987_355_480_5;
    /// SELU's λ·α rounded to `f64`.
    const SELU_LAMBDA_ALPHA: f64 = 1.758_099_340_847_376_8;

    /// σ(x) through e^(−|x|) ≤ 1, which cannot overflow.
    pub fn sigmoid(x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        let e = (-x.abs()).exp();
        if x >= 0.0 {
            1.0 / (1.0 + e)
        } else {
            e / (1.0 + e)
        }
    }

    /// log σ(x) = min(x, 0) − log1p(e^(−|x|)): two non-positive terms, no cancellation.
    pub fn log_sigmoid(x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        let l = (-x.abs()).exp().ln_1p();
        if x >= 0.0 {
            -l
        } else {
            x - l
        }
    }

    /// logit(p) in the log1p forms that avoid log(q ≈ 1): for p ≥ ½, log1p((2p − 1)/(1 − p));
    /// for ¼ ≤ p < ½, −log1p((1 − 2p)/p) (all four operands exact for `f32` p); below ¼ the
    /// quotient p/(1 − p) is far from 1.
    pub fn logit(p: f64) -> f64 {
        if !(0.0..=1.0).contains(&p) {
            return f64::NAN;
        }
        if p == 0.0 {
            return f64::NEG_INFINITY;
        }
        if p == 1.0 {
            return f64::INFINITY;
        }
        if p >= 0.5 {
            ((2.0 * p - 1.0) / (1.0 - p)).ln_1p()
        } else if p >= 0.25 {
            -((1.0 - 2.0 * p) / p).ln_1p()
        } else {
            (p / (1.0 - p)).ln()
        }
    }

    /// logit(clamp(p, lo, hi)). The bounds are passed in because activ clamps in the
    /// argument's type: for `f32`, hi is 1 − eps rounded to `f32` (as PyTorch does), and the
    /// reference must clamp to the same point to be the same function.
    pub fn logit_clamped(p: f64, lo: f64, hi: f64) -> f64 {
        if p.is_nan() {
            return p;
        }
        logit(p.clamp(lo, hi))
    }

    /// max(x, 0) + log1p(e^(−β|x|))/β, which never overflows; β|x| is exact for `f32` x, β.
    pub fn softplus(x: f64, beta: f64) -> f64 {
        if x.is_nan() || x == f64::INFINITY {
            return x;
        }
        let correction = (-(beta * x.abs())).exp().ln_1p() / beta;
        x.max(0.0) + correction
    }

    /// std's tanh (a correctly rounded-or-faithful libm tanh), odd, with tanh(±∞) = ±1.
    pub fn tanh(x: f64) -> f64 {
        x.tanh()
    }

    /// x·σ(x), with the limit −0.0 at −∞ (where the product would be −∞·0).
    pub fn silu(x: f64) -> f64 {
        if x == f64::NEG_INFINITY {
            return -0.0;
        }
        x * sigmoid(x)
    }

    /// x for x > 0, α·expm1(x) otherwise; expm1 keeps relative accuracy near 0.
    pub fn elu(x: f64, alpha: f64) -> f64 {
        if x.is_nan() || x > 0.0 {
            return x;
        }
        alpha * x.exp_m1()
    }

    /// λ·x for x > 0, λα·expm1(x) otherwise.
    pub fn selu(x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        if x > 0.0 {
            SELU_LAMBDA * x
        } else {
            SELU_LAMBDA_ALPHA * x.exp_m1()
        }
    }

    /// max(0, x) + min(0, α·expm1(x/α)). For x > 0 the second term is always 0 (for either
    /// sign of α), and for x ≤ 0 the first is, so one branch is evaluated; −0.0 stays −0.0.
    pub fn celu(x: f64, alpha: f64) -> f64 {
        if x.is_nan() || x > 0.0 {
            return x;
        }
        let negative_branch = alpha * (x / alpha).exp_m1();
        if negative_branch > 0.0 {
            0.0
        } else {
            negative_branch
        }
    }

    /// x/(1 + |x|), with the limits ±1 at ±∞ (where the quotient would be ∞/∞).
    pub fn softsign(x: f64) -> f64 {
        if x.is_infinite() {
            return x.signum();
        }
        x / (1.0 + x.abs())
    }

    /// ½·x·erfc(−x/√2): no cancellation on either side (erfc of a negative argument is in
    /// (1, 2)). Rounding x/√2 costs 2t² relative ULPs of `f64`, under 1e−6 `f32` ULPs
    /// wherever gelu is a normal `f32`.
    pub fn gelu(x: f64) -> f64 {
        if x.is_nan() || x == f64::INFINITY {
            return x;
        }
        if x == f64::NEG_INFINITY {
            return -0.0;
        }
        0.5 * x * libm::erfc(-x * FRAC_1_SQRT_2)
    }

    /// ½·x·(1 + tanh(u)) = x·σ(2u), u = √(2/π)(x + 0.044715x³): the σ form does not cancel
    /// for negative x. For huge |x|, x³ overflows to ±∞ and σ is exactly 0 or 1.
    pub fn gelu_tanh(x: f64) -> f64 {
        if x.is_nan() || x == f64::INFINITY {
            return x;
        }
        if x == f64::NEG_INFINITY {
            return -0.0;
        }
        let two_k = 2.0 * FRAC_2_PI.sqrt();
        let z = two_k * (x + 0.044715 * x * x * x);
        x * sigmoid(z)
    }

    /// x·tanh(softplus(x)) without log or tanh: tanh(log(1 + E)) = n/(n + 2) with
    /// n = E(E + 2), E = eˣ, for x ≤ 0; for x > 0, 1 − δ with δ = 2F²/(1 + 2F + 2F²),
    /// F = e^(−x), so nothing overflows.
    pub fn mish(x: f64) -> f64 {
        if x.is_nan() || x == f64::INFINITY {
            return x;
        }
        if x == f64::NEG_INFINITY {
            return -0.0;
        }
        if x > 0.0 {
            let f = (-x).exp();
            let two_f2 = 2.0 * f * f;
            let delta = two_f2 / (1.0 + 2.0 * f + two_f2);
            x - x * delta
        } else {
            let e = x.exp();
            let n = e * (e + 2.0);
            x * (n / (n + 2.0))
        }
    }

    /// max(x, 0), NaN propagated, relu(−0.0) = +0.0.
    pub fn relu(x: f64) -> f64 {
        if x.is_nan() || x > 0.0 {
            x
        } else {
            0.0
        }
    }

    /// min(relu(x), 6).
    pub fn relu6(x: f64) -> f64 {
        // f64::min would turn NaN into 6.
        if x.is_nan() {
            return x;
        }
        relu(x).min(6.0)
    }

    /// x for x > 0, slope·x otherwise (exact in `f64` for `f32` operands); −0.0 for every
    /// non-positive x when the slope is 0.
    pub fn leaky_relu(x: f64, slope: f64) -> f64 {
        if x.is_nan() || x > 0.0 {
            return x;
        }
        if slope == 0.0 {
            -0.0
        } else {
            x * slope
        }
    }

    /// relu6(x + 3)/6, clamped to [0, 1] (+0.0 below −3).
    pub fn hard_sigmoid(x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        if x <= -3.0 {
            return 0.0;
        }
        if x >= 3.0 {
            return 1.0;
        }
        (x + 3.0) / 6.0
    }

    /// x·relu6(x + 3)/6: −0.0 at or below −3, x at or above 3.
    pub fn hard_swish(x: f64) -> f64 {
        if x.is_nan() || x >= 3.0 {
            return x;
        }
        if x <= -3.0 {
            return -0.0;
        }
        x * (x + 3.0) / 6.0
    }

    // -----------------------------------------------------------------------------------
    // Derivatives (see the module docs for the cancellation near the roots).
    // -----------------------------------------------------------------------------------

    /// The relative size of a sum of two terms below which the `_grad` references of silu,
    /// gelu, gelu_tanh and mish take MPFR's value instead (see the module docs).
    pub const CANCELLATION_LIMIT: f64 = 1.0 / 16.0;

    /// a + b, or `exact()` where the sum cancels by more than [`CANCELLATION_LIMIT`].
    fn sum_or_exact(a: f64, b: f64, exact: impl FnOnce() -> f64) -> f64 {
        let s = a + b;
        if s.abs() < CANCELLATION_LIMIT * (a.abs() + b.abs()) {
            exact()
        } else {
            s
        }
    }

    /// σ′(x) = σ(x)·σ(−x): two factors in (0, 1], no cancellation (unlike y·(1 − y)).
    pub fn sigmoid_grad(x: f64) -> f64 {
        sigmoid(x) * sigmoid(-x)
    }

    /// (log σ)′(x) = σ(−x).
    pub fn log_sigmoid_grad(x: f64) -> f64 {
        sigmoid(-x)
    }

    /// logit′(p) = 1/(p(1 − p)), with 1 − p exact in `f64` for every `f32` p ≥ 2^−29 (and
    /// an error below 2^−53·p/(1 − p) otherwise); NaN outside [0, 1], +∞ at 0 and 1.
    pub fn logit_grad(p: f64) -> f64 {
        if !(0.0..=1.0).contains(&p) {
            return f64::NAN;
        }
        if p == 0.0 || p == 1.0 {
            return f64::INFINITY;
        }
        1.0 / (p * (1.0 - p))
    }

    /// logit′ on [lo, hi], 0 outside (the clamp is flat there); the bounds as in
    /// [`logit_clamped`].
    pub fn logit_eps_grad(p: f64, lo: f64, hi: f64) -> f64 {
        if p.is_nan() {
            return p;
        }
        if p < lo || p > hi {
            return 0.0;
        }
        logit_grad(p)
    }

    /// 1 for x > 0, else 0 (relu′(0) = 0).
    pub fn relu_grad(x: f64) -> f64 {
        if x.is_nan() {
            x
        } else if x > 0.0 {
            1.0
        } else {
            0.0
        }
    }

    /// 1 on (0, 6), else 0 (0 at both kinks).
    pub fn relu6_grad(x: f64) -> f64 {
        if x.is_nan() {
            x
        } else if x > 0.0 && x < 6.0 {
            1.0
        } else {
            0.0
        }
    }

    /// 1 for x > 0, else the slope (at 0 too).
    pub fn leaky_relu_grad(x: f64, slope: f64) -> f64 {
        if x.is_nan() {
            x
        } else if x > 0.0 {
            1.0
        } else {
            slope
        }
    }

    /// 1 for x > 0, else α·eˣ (α at 0).
    pub fn elu_grad(x: f64, alpha: f64) -> f64 {
        if x.is_nan() {
            x
        } else if x > 0.0 {
            1.0
        } else {
            alpha * x.exp()
        }
    }

    /// λ for x > 0, else λα·eˣ (λα at 0).
    pub fn selu_grad(x: f64) -> f64 {
        if x.is_nan() {
            x
        } else if x > 0.0 {
            SELU_LAMBDA
        } else {
            SELU_LAMBDA_ALPHA * x.exp()
        }
    }

    /// 1 for x > 0, else e^(x/α) (1 at 0). x/α is exact for α = 1 and 0.5; for other `f32`
    /// α its rounding moves the result by at most |x/α|·2^−53, relatively, which only
    /// matters where the result underflows in `f32` anyway.
    pub fn celu_grad(x: f64, alpha: f64) -> f64 {
        if x.is_nan() {
            x
        } else if x > 0.0 {
            1.0
        } else {
            (x / alpha).exp()
        }
    }

    /// softplus′(x; β) = σ(βx); βx is exact in `f64` for `f32` x and β.
    pub fn softplus_grad(x: f64, beta: f64) -> f64 {
        sigmoid(beta * x)
    }

    /// tanh′(x) = sech²(x) = 1/cosh²(x) (1 − tanh² would cancel completely for |x| > 9).
    /// cosh² overflows for |x| > 355, where tanh′ < 2^−1020 is 0 in `f32`.
    pub fn tanh_grad(x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        let c = x.cosh();
        1.0 / (c * c)
    }

    /// softsign′(x) = 1/(1 + |x|)², 0 at ±∞.
    pub fn softsign_grad(x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        let d = 1.0 + x.abs();
        1.0 / (d * d)
    }

    /// 1/6 on (−3, 3), else 0.
    pub fn hard_sigmoid_grad(x: f64) -> f64 {
        if x.is_nan() {
            x
        } else if x > -3.0 && x < 3.0 {
            1.0 / 6.0
        } else {
            0.0
        }
    }

    /// 0 below −3, (2x + 3)/6 on [−3, 3], 1 above 3. 2x + 3 is exact near the root −3/2
    /// (Sterbenz), so x/3 + ½'s cancellation is avoided.
    pub fn hard_swish_grad(x: f64) -> f64 {
        if x.is_nan() {
            x
        } else if x < -3.0 {
            0.0
        } else if x > 3.0 {
            1.0
        } else {
            (2.0 * x + 3.0) / 6.0
        }
    }

    /// gelu′(x) = Φ(x) + x·φ(x), Φ(x) = ½·erfc(−x/√2), φ(x) = e^(−x²/2)/√(2π). x² is
    /// exact in `f64` for `f32` x; erfc's argument carries a rounding of 2^−52 relative,
    /// amplified by erfc's condition number 2t² (at most ~210 where gelu′ is non-zero in
    /// `f32`). The terms cancel near x0 ≈ −0.7518: MPFR there (see the section comment).
    /// 1 at +∞, −0 at −∞.
    pub fn gelu_grad(x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        if x == f64::INFINITY {
            return 1.0;
        }
        if x == f64::NEG_INFINITY {
            return -0.0;
        }
        /// 1/√(2π), rounded to `f64`.
        const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_7;
        let big_phi = 0.5 * libm::erfc(-x * FRAC_1_SQRT_2);
        let phi = (-0.5 * (x * x)).exp() * FRAC_1_SQRT_2PI;
        sum_or_exact(big_phi, x * phi, || super::mpfr::gelu_grad(x).to_f64())
    }

    /// gelu_tanh′(x) = σ(z) + x·z′·σ(z)·σ(−z), z = 2√(2/π)(x + 0.044715x³),
    /// z′ = 2√(2/π)(1 + 3·0.044715x²) (the derivative of x·σ(z), since ½(1 + tanh u) =
    /// σ(2u)). No cancellation for x ≥ 0; near the root x0 ≈ −0.7525, MPFR. Where σ(±z) is
    /// 0 the second term is 0 (x·z′ may be infinite there for huge `f64` x). 1 at +∞, −0
    /// at −∞.
    pub fn gelu_tanh_grad(x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        if x == f64::INFINITY {
            return 1.0;
        }
        if x == f64::NEG_INFINITY {
            return -0.0;
        }
        let two_k = 2.0 * FRAC_2_PI.sqrt();
        let x2 = x * x;
        let z = two_k * (x + 0.044715 * x2 * x);
        let dz = two_k * (1.0 + 3.0 * 0.044715 * x2);
        let (s, s_minus) = (sigmoid(z), sigmoid(-z));
        let b = if s == 0.0 || s_minus == 0.0 {
            0.0
        } else {
            x * dz * s * s_minus
        };
        sum_or_exact(s, b, || super::mpfr::gelu_tanh_grad(x).to_f64())
    }

    /// silu′(x) = σ(x) + x·σ(x)·σ(−x) (no cancellation for x ≥ 0; MPFR near the root
    /// x0 ≈ −1.2785). 1 at +∞, −0 at −∞.
    pub fn silu_grad(x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        if x == f64::INFINITY {
            return 1.0;
        }
        if x == f64::NEG_INFINITY {
            return -0.0;
        }
        let (s, s_minus) = (sigmoid(x), sigmoid(-x));
        sum_or_exact(s, x * s * s_minus, || super::mpfr::silu_grad(x).to_f64())
    }

    /// mish′(x) = tanh(sp) + x·σ(x)·sech²(sp), sp = softplus(x) = max(x, 0) +
    /// log1p(e^(−|x|)), with std's tanh and cosh (sech² = 1/cosh², which never cancels;
    /// cosh² overflows to ∞ only where the second term is far below an `f64` ULP of the
    /// first). MPFR near the root x0 ≈ −1.1924. 1 at +∞, −0 at −∞.
    pub fn mish_grad(x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        if x == f64::INFINITY {
            return 1.0;
        }
        if x == f64::NEG_INFINITY {
            return -0.0;
        }
        let sp = softplus(x, 1.0);
        let c = sp.cosh();
        let b = x * sigmoid(x) / (c * c);
        sum_or_exact(sp.tanh(), b, || super::mpfr::mish_grad(x).to_f64())
    }
}

/// The functions in MPFR at [`MPFR_PREC`] bits, as references for `f64` results.
///
/// Exact decimal constants are parsed, not taken from `f64` literals; parameters (α, β,
/// slopes) are the `f64` values the function under test was built with, since those are
/// the functions being measured.
pub mod mpfr {
    use super::{GELU_TANH_CUBIC_DECIMAL, MPFR_PREC, SELU_ALPHA_DECIMAL, SELU_LAMBDA_DECIMAL};
    use rug::float::Constant;
    use rug::Float;

    fn float(v: f64) -> Float {
        Float::with_val(MPFR_PREC, v)
    }

    fn decimal(text: &str) -> Float {
        Float::with_val(
            MPFR_PREC,
            Float::parse(text).expect("a valid decimal constant"),
        )
    }

    fn nan() -> Float {
        float(f64::NAN)
    }

    /// σ(x) = 1/(1 + e^(−x)) (MPFR's exponent range is wide enough that e^(−x) only
    /// overflows where σ underflows in `f64` anyway).
    pub fn sigmoid(x: f64) -> Float {
        if x.is_nan() {
            return nan();
        }
        let e = float(-x).exp();
        Float::with_val(MPFR_PREC, 1u32 + e).recip()
    }

    /// min(x, 0) − log1p(e^(−|x|)).
    pub fn log_sigmoid(x: f64) -> Float {
        if x.is_nan() {
            return nan();
        }
        let l = float(-x.abs()).exp().ln_1p();
        if x >= 0.0 {
            -l
        } else {
            float(x) - l
        }
    }

    /// log(p/(1 − p)); 1 − p is exact at 160 bits for every `f64` p ≥ 2^−100 (and for
    /// smaller p its rounding is far below an `f64` ULP of the result).
    pub fn logit(p: f64) -> Float {
        if !(0.0..=1.0).contains(&p) {
            return nan();
        }
        if p == 0.0 {
            return float(f64::NEG_INFINITY);
        }
        if p == 1.0 {
            return float(f64::INFINITY);
        }
        let one_minus = Float::with_val(MPFR_PREC, 1u32 - float(p));
        (float(p) / one_minus).ln()
    }

    /// logit(clamp(p, lo, hi)) with the `f64` bounds the function under test clamps to.
    pub fn logit_clamped(p: f64, lo: f64, hi: f64) -> Float {
        if p.is_nan() {
            return nan();
        }
        logit(p.clamp(lo, hi))
    }

    /// max(x, 0) + log1p(e^(−β|x|))/β; β|x| of two `f64` is exact at 160 bits.
    pub fn softplus(x: f64, beta: f64) -> Float {
        if x.is_nan() || x == f64::INFINITY {
            return float(x);
        }
        let t = float(beta) * float(x.abs());
        let correction = (-t).exp().ln_1p() / float(beta);
        correction + float(x.max(0.0))
    }

    /// MPFR's tanh.
    pub fn tanh(x: f64) -> Float {
        float(x).tanh()
    }

    /// x·σ(x), −0.0 at −∞.
    pub fn silu(x: f64) -> Float {
        if x == f64::NEG_INFINITY {
            return float(-0.0);
        }
        sigmoid(x) * float(x)
    }

    /// x for x > 0, α·expm1(x) otherwise.
    pub fn elu(x: f64, alpha: f64) -> Float {
        if x.is_nan() || x > 0.0 {
            return float(x);
        }
        float(x).exp_m1() * float(alpha)
    }

    /// λ·x or λα·expm1(x) with the published decimal λ and α.
    pub fn selu(x: f64) -> Float {
        if x.is_nan() {
            return nan();
        }
        let lambda = decimal(SELU_LAMBDA_DECIMAL);
        if x > 0.0 {
            lambda * float(x)
        } else {
            lambda * decimal(SELU_ALPHA_DECIMAL) * float(x).exp_m1()
        }
    }

    /// max(0, x) + min(0, α·expm1(x/α)), one branch at a time as in the `f64` version.
    pub fn celu(x: f64, alpha: f64) -> Float {
        if x.is_nan() || x > 0.0 {
            return float(x);
        }
        let branch = (float(x) / float(alpha)).exp_m1() * float(alpha);
        if branch > 0 {
            float(0.0)
        } else {
            branch
        }
    }

    /// x/(1 + |x|), ±1 at ±∞.
    pub fn softsign(x: f64) -> Float {
        if x.is_infinite() {
            return float(x.signum());
        }
        let den = Float::with_val(MPFR_PREC, 1u32 + float(x.abs()));
        float(x) / den
    }

    /// ½·x·erfc(−x/√2), with √2 at 160 bits.
    pub fn gelu(x: f64) -> Float {
        if x.is_nan() || x == f64::INFINITY {
            return float(x);
        }
        if x == f64::NEG_INFINITY {
            return float(-0.0);
        }
        let t = float(-x) / float(2.0).sqrt();
        t.erfc() * float(x) / 2u32
    }

    /// x·σ(2u), u = √(2/π)·(x + 0.044715·x³), with the exact decimal 0.044715 and π.
    pub fn gelu_tanh(x: f64) -> Float {
        if x.is_nan() || x == f64::INFINITY {
            return float(x);
        }
        if x == f64::NEG_INFINITY {
            return float(-0.0);
        }
        let pi = Float::with_val(MPFR_PREC, Constant::Pi);
        let k = (float(2.0) / pi).sqrt();
        let xf = float(x);
        let cube = Float::with_val(MPFR_PREC, &xf * &xf) * &xf;
        let inner = cube * decimal(GELU_TANH_CUBIC_DECIMAL) + &xf;
        let two_u = inner * k * 2u32;
        let sigma = Float::with_val(MPFR_PREC, 1u32 + (-two_u).exp()).recip();
        sigma * xf
    }

    /// x·tanh(softplus(x)), softplus in its non-overflowing form.
    pub fn mish(x: f64) -> Float {
        if x.is_nan() || x == f64::INFINITY {
            return float(x);
        }
        if x == f64::NEG_INFINITY {
            return float(-0.0);
        }
        softplus(x, 1.0).tanh() * float(x)
    }

    /// max(x, 0) with NaN propagated and relu(−0.0) = +0.0.
    pub fn relu(x: f64) -> Float {
        float(super::careful::relu(x))
    }

    /// min(max(x, 0), 6).
    pub fn relu6(x: f64) -> Float {
        float(super::careful::relu6(x))
    }

    /// x for x > 0, slope·x otherwise (exact at 160 bits); −0.0 for slope 0.
    pub fn leaky_relu(x: f64, slope: f64) -> Float {
        if x.is_nan() || x > 0.0 {
            return float(x);
        }
        if slope == 0.0 {
            return float(-0.0);
        }
        float(x) * float(slope)
    }

    /// relu6(x + 3)/6 in exact rational steps (x + 3 is exact at 160 bits for |x| < 2^100,
    /// and outside (−3, 3) the result is a constant).
    pub fn hard_sigmoid(x: f64) -> Float {
        if x.is_nan() || x <= -3.0 || x >= 3.0 {
            return float(super::careful::hard_sigmoid(x));
        }
        Float::with_val(MPFR_PREC, float(x) + 3u32) / 6u32
    }

    /// x·relu6(x + 3)/6.
    pub fn hard_swish(x: f64) -> Float {
        if x.is_nan() || x <= -3.0 || x >= 3.0 {
            return float(super::careful::hard_swish(x));
        }
        let s = Float::with_val(MPFR_PREC, float(x) + 3u32);
        s * float(x) / 6u32
    }

    // -----------------------------------------------------------------------------------
    // Derivatives, in the forms of calculus (the cancellations near the roots of silu′,
    // gelu′, gelu_tanh′ and mish′ cost at most ~60 of the 160 bits for `f64` inputs). Where
    // the textbook form would cancel *completely* at 160 bits (1 − tanh² for |x| > 56), a
    // form without cancellation is used (sech²). The kinks take activ's documented values.
    // -----------------------------------------------------------------------------------

    /// σ(x)·σ(−x).
    pub fn sigmoid_grad(x: f64) -> Float {
        if x.is_nan() {
            return nan();
        }
        sigmoid(x) * sigmoid(-x)
    }

    /// σ(−x).
    pub fn log_sigmoid_grad(x: f64) -> Float {
        sigmoid(-x)
    }

    /// 1/(p(1 − p)); NaN outside [0, 1], +∞ at 0 and 1.
    pub fn logit_grad(p: f64) -> Float {
        if !(0.0..=1.0).contains(&p) {
            return nan();
        }
        if p == 0.0 || p == 1.0 {
            return float(f64::INFINITY);
        }
        let one_minus = Float::with_val(MPFR_PREC, 1u32 - float(p));
        (one_minus * float(p)).recip()
    }

    /// logit′ on [lo, hi], 0 outside.
    pub fn logit_eps_grad(p: f64, lo: f64, hi: f64) -> Float {
        if p.is_nan() {
            return nan();
        }
        if p < lo || p > hi {
            return float(0.0);
        }
        logit_grad(p)
    }

    /// 0 or 1.
    pub fn relu_grad(x: f64) -> Float {
        float(super::careful::relu_grad(x))
    }

    /// 0 or 1.
    pub fn relu6_grad(x: f64) -> Float {
        float(super::careful::relu6_grad(x))
    }

    /// 1 or the slope (exact).
    pub fn leaky_relu_grad(x: f64, slope: f64) -> Float {
        float(super::careful::leaky_relu_grad(x, slope))
    }

    /// 1 for x > 0, else α·eˣ.
    pub fn elu_grad(x: f64, alpha: f64) -> Float {
        if x.is_nan() || x > 0.0 {
            return float(super::careful::relu_grad(x));
        }
        float(x).exp() * float(alpha)
    }

    /// λ for x > 0, else λα·eˣ, with the published decimal λ and α.
    pub fn selu_grad(x: f64) -> Float {
        if x.is_nan() {
            return nan();
        }
        let lambda = decimal(SELU_LAMBDA_DECIMAL);
        if x > 0.0 {
            lambda
        } else {
            lambda * decimal(SELU_ALPHA_DECIMAL) * float(x).exp()
        }
    }

    /// 1 for x > 0, else e^(x/α).
    pub fn celu_grad(x: f64, alpha: f64) -> Float {
        if x.is_nan() || x > 0.0 {
            return float(super::careful::relu_grad(x));
        }
        (float(x) / float(alpha)).exp()
    }

    /// σ(βx), βx exact at 160 bits.
    pub fn softplus_grad(x: f64, beta: f64) -> Float {
        if x.is_nan() {
            return nan();
        }
        let t = Float::with_val(MPFR_PREC, float(beta) * float(x));
        Float::with_val(MPFR_PREC, 1u32 + (-t).exp()).recip()
    }

    /// sech²(x) (= 1 − tanh², which would round to 0 at 160 bits for |x| > 56).
    pub fn tanh_grad(x: f64) -> Float {
        if x.is_nan() {
            return nan();
        }
        float(x).sech().square()
    }

    /// 1/(1 + |x|)².
    pub fn softsign_grad(x: f64) -> Float {
        if x.is_nan() {
            return nan();
        }
        Float::with_val(MPFR_PREC, 1u32 + float(x.abs()))
            .square()
            .recip()
    }

    /// 1/6 on (−3, 3), else 0.
    pub fn hard_sigmoid_grad(x: f64) -> Float {
        if x.is_nan() || x <= -3.0 || x >= 3.0 {
            return float(super::careful::hard_sigmoid_grad(x));
        }
        Float::with_val(MPFR_PREC, 1u32) / 6u32
    }

    /// 0 below −3, (2x + 3)/6 on [−3, 3], 1 above.
    pub fn hard_swish_grad(x: f64) -> Float {
        if x.is_nan() || !(-3.0..=3.0).contains(&x) {
            return float(super::careful::hard_swish_grad(x));
        }
        Float::with_val(MPFR_PREC, float(x) * 2u32 + 3u32) / 6u32
    }

    /// Φ(x) + x·φ(x) = ½·erfc(−x/√2) + x·e^(−x²/2)/√(2π); 1 at +∞, −0 at −∞.
    pub fn gelu_grad(x: f64) -> Float {
        if x.is_nan() {
            return nan();
        }
        if x.is_infinite() {
            return float(if x > 0.0 { 1.0 } else { -0.0 });
        }
        let xf = float(x);
        let big_phi = (-Float::with_val(MPFR_PREC, &xf / float(2.0).sqrt())).erfc() / 2u32;
        let pi = Float::with_val(MPFR_PREC, Constant::Pi);
        let sqrt_2pi = (pi * 2u32).sqrt();
        let x2 = Float::with_val(MPFR_PREC, &xf * &xf);
        let phi = (-x2 / 2u32).exp() / sqrt_2pi;
        big_phi + phi * xf
    }

    /// σ(z) + x·z′·σ(z)·σ(−z) with z = 2√(2/π)(x + 0.044715x³), z′ = 2√(2/π)(1 +
    /// 3·0.044715x²), the exact decimal 0.044715 and π; 1 at +∞, −0 at −∞.
    pub fn gelu_tanh_grad(x: f64) -> Float {
        if x.is_nan() {
            return nan();
        }
        if x.is_infinite() {
            return float(if x > 0.0 { 1.0 } else { -0.0 });
        }
        let pi = Float::with_val(MPFR_PREC, Constant::Pi);
        let two_k = (float(2.0) / pi).sqrt() * 2u32;
        let c = decimal(GELU_TANH_CUBIC_DECIMAL);
        let xf = float(x);
        let x2 = Float::with_val(MPFR_PREC, &xf * &xf);
        let inner = Float::with_val(MPFR_PREC, &x2 * &c) * &xf + &xf;
        let z = Float::with_val(MPFR_PREC, &inner * &two_k);
        let dz = (x2 * c * 3u32 + 1u32) * two_k;
        let s = Float::with_val(MPFR_PREC, 1u32 + Float::with_val(MPFR_PREC, -&z).exp()).recip();
        let s_minus = Float::with_val(MPFR_PREC, 1u32 + z.exp()).recip();
        let b = dz * xf * &s * s_minus;
        s + b
    }

    /// σ(x) + x·σ(x)·σ(−x); 1 at +∞, −0 at −∞.
    pub fn silu_grad(x: f64) -> Float {
        if x.is_nan() {
            return nan();
        }
        if x.is_infinite() {
            return float(if x > 0.0 { 1.0 } else { -0.0 });
        }
        let s = sigmoid(x);
        let b = Float::with_val(MPFR_PREC, &s * sigmoid(-x)) * float(x);
        s + b
    }

    /// tanh(sp) + x·σ(x)·sech²(sp), sp = softplus(x); 1 at +∞, −0 at −∞.
    pub fn mish_grad(x: f64) -> Float {
        if x.is_nan() {
            return nan();
        }
        if x.is_infinite() {
            return float(if x > 0.0 { 1.0 } else { -0.0 });
        }
        let sp = softplus(x, 1.0);
        let t = Float::with_val(MPFR_PREC, sp.tanh_ref());
        let b = sp.sech().square() * sigmoid(x) * float(x);
        t + b
    }
}
