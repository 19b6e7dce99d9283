//! Every instruction-set path this CPU has gives the portable path's bits: 2^24 `f32`
//! inputs per function (every 256th bit pattern, so every binade, NaNs, infinities and
//! subnormals), and 2^18 random `f64` bit patterns plus the range where the functions bend.
//! The lengths are not multiples of the vector widths, so the tails are covered too.

mod common;

use activ::{Elementwise, Float, Isa};

fn compare<T: Float, F: Elementwise<T>>(name: &str, f: &F, x: &[T], bits: impl Fn(T) -> u64) {
    let mut reference = vec![T::ZERO; x.len()];
    activ::apply_on_isa(Isa::Portable, f, x, &mut reference);
    for isa in activ::available_isas().into_iter().skip(1) {
        let mut y = vec![T::ZERO; x.len()];
        activ::apply_on_isa(isa, f, x, &mut y);
        if let Some(i) = (0..x.len()).find(|&i| bits(y[i]) != bits(reference[i])) {
            panic!(
                "{name}: path {} gives {:?} for {:?}, portable gives {:?}",
                isa.name(),
                y[i],
                x[i],
                reference[i]
            );
        }
    }
}

/// Half of the 2^24 + 3 inputs: every 256th pattern, then three more for an odd tail. The
/// sweep is split in two tests so that the test harness runs the halves on two threads (under
/// qemu's emulation of the NEON path one half takes minutes).
fn f32_paths_match_portable_on_half(half: u32) {
    let start = half << 23;
    let end = if half == 0 {
        1u32 << 23
    } else {
        (1u32 << 24) + 3
    };
    let x: Vec<f32> = (start..end)
        .map(|i| f32::from_bits(i.wrapping_mul(256).wrapping_add(i >> 24)))
        .collect();
    eprintln!("paths: {:?}", activ::available_isas());
    for_each_elementwise!(f32, |name, f| {
        compare(name, &f, &x, |v: f32| v.to_bits() as u64);
    });
}

#[test]
fn f32_paths_match_portable_on_2_pow_24_inputs_first_half() {
    f32_paths_match_portable_on_half(0);
}

#[test]
fn f32_paths_match_portable_on_2_pow_24_inputs_second_half() {
    f32_paths_match_portable_on_half(1);
}

/// Outputs of 32 MiB and more are written with non-temporal stores after an aligned head
/// (`dispatch::stream_start`): every path still gives the portable bits, at each start
/// offset of the output within a cache line, and writes nothing outside the output.
#[cfg(target_arch = "x86_64")]
fn compare_streamed<T: Float, F: Elementwise<T>>(
    name: &str,
    f: &F,
    x: &[T],
    bits: impl Fn(T) -> u64,
) {
    let mut reference = vec![T::ZERO; x.len()];
    activ::apply_on_isa(Isa::Portable, f, x, &mut reference);
    let sentinel = T::from_f64(-1234.5);
    for isa in activ::available_isas().into_iter().skip(1) {
        for offset in [1usize, 3, 6] {
            let mut buf = vec![sentinel; x.len() + offset + 5];
            activ::apply_on_isa(isa, f, x, &mut buf[offset..offset + x.len()]);
            let y = &buf[offset..offset + x.len()];
            if let Some(i) = (0..x.len()).find(|&i| bits(y[i]) != bits(reference[i])) {
                panic!(
                    "{name}: path {} at offset {offset} gives {:?} for x[{i}] = {:?}, \
                     portable gives {:?}",
                    isa.name(),
                    y[i],
                    x[i],
                    reference[i]
                );
            }
            let outside = buf[..offset].iter().chain(&buf[offset + x.len()..]);
            assert!(
                outside.into_iter().all(|&v| bits(v) == bits(sentinel)),
                "{name}: path {} wrote outside the output",
                isa.name()
            );
        }
    }
}

#[test]
#[cfg(target_arch = "x86_64")] // the non-temporal stores are x86-64 only
fn large_outputs_match_portable_at_every_alignment() {
    let streamed_bytes = 32usize << 20;
    let n32 = streamed_bytes / 4 + 37;
    let x: Vec<f32> = (0..n32 as u32)
        .map(|i| f32::from_bits(i.wrapping_mul(509).wrapping_add(0x3000_0000)))
        .map(|v| if v.is_finite() { v % 200.0 - 100.0 } else { v })
        .collect();
    // One function per loop: f32 lanes, f64 lanes for f32, the AVX-512 rectifier loop.
    compare_streamed("sigmoid", &activ::Sigmoid, &x, |v: f32| v.to_bits() as u64);
    compare_streamed("elu", &activ::Elu::<f32>::default(), &x, |v: f32| {
        v.to_bits() as u64
    });
    compare_streamed("relu6", &activ::Relu6, &x, |v: f32| v.to_bits() as u64);
    // Kernels that run interleaved (four vectors per call) on the AVX-512 path.
    compare_streamed("tanh", &activ::Tanh, &x, |v: f32| v.to_bits() as u64);
    let n64 = streamed_bytes / 8 + 37;
    let x: Vec<f64> = x[..n64].iter().map(|&v| v as f64 * (1.0 + 1e-9)).collect();
    compare_streamed("sigmoid", &activ::Sigmoid, &x, |v: f64| v.to_bits());
    compare_streamed("relu", &activ::Relu, &x, |v: f64| v.to_bits());
    compare_streamed("mish", &activ::Mish, &x, |v: f64| v.to_bits());
}

#[test]
fn f64_paths_match_portable_on_random_inputs() {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let x: Vec<f64> = (0..(1usize << 18) + 5)
        .map(|i| {
            let r = next();
            if i % 2 == 0 {
                f64::from_bits(r)
            } else {
                (r >> 11) as f64 / (1u64 << 53) as f64 * 1600.0 - 800.0
            }
        })
        .collect();
    for_each_elementwise!(f64, |name, f| {
        compare(name, &f, &x, |v: f64| v.to_bits());
    });
}

#[test]
fn rows_paths_match_portable() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32
    };
    // Lengths around the block and vector widths, a long row, rows spanning 1e4, a dominant
    // logit, and the special rows (NaN, +∞, all −∞).
    let mut rows: Vec<Vec<f32>> = Vec::new();
    for len in [
        0usize, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1000, 4099,
    ] {
        rows.push((0..len).map(|_| next() * 60.0 - 30.0).collect());
        rows.push((0..len).map(|_| next() * 2e4 - 1e4).collect());
    }
    let mut dominant: Vec<f32> = (0..257).map(|_| next() * 10.0 - 40.0).collect();
    dominant[100] = 30.0;
    rows.push(dominant);
    rows.push(vec![1.0, f32::NAN, 2.0]);
    rows.push(vec![1.0, f32::INFINITY, 2.0, f32::INFINITY]);
    rows.push(vec![f32::NEG_INFINITY; 19]);
    rows.push(vec![f32::MAX, -f32::MAX, 0.0]);
    let rows64: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| r.iter().map(|&v| v as f64 * 1.000_000_1).collect())
        .collect();
    for row in &rows64 {
        for log in [false, true] {
            let mut reference = row.clone();
            activ::row_softmax_on_isa(Isa::Portable, &mut reference, activ::MaskedRows::Zeros, log);
            for isa in activ::available_isas() {
                let mut y = row.clone();
                activ::row_softmax_on_isa(isa, &mut y, activ::MaskedRows::Zeros, log);
                let same = y
                    .iter()
                    .zip(&reference)
                    .all(|(a, b)| a.to_bits() == b.to_bits());
                assert!(
                    same,
                    "f64 row of {} (log {log}): path {} differs",
                    row.len(),
                    isa.name()
                );
            }
        }
        let reference = activ::row_logsumexp_on_isa(Isa::Portable, row);
        for isa in activ::available_isas() {
            let v = activ::row_logsumexp_on_isa(isa, row);
            assert_eq!(
                v.to_bits(),
                reference.to_bits(),
                "f64 logsumexp on {}",
                isa.name()
            );
        }
    }
    for row in &rows {
        for masked in [activ::MaskedRows::Zeros, activ::MaskedRows::Nan] {
            for log in [false, true] {
                let mut reference = row.clone();
                activ::row_softmax_on_isa(Isa::Portable, &mut reference, masked, log);
                for isa in activ::available_isas() {
                    let mut y = row.clone();
                    activ::row_softmax_on_isa(isa, &mut y, masked, log);
                    let same = y
                        .iter()
                        .zip(&reference)
                        .all(|(a, b)| a.to_bits() == b.to_bits());
                    assert!(
                        same,
                        "row of {} (log {log}): path {} differs",
                        row.len(),
                        isa.name()
                    );
                }
            }
        }
        let reference = activ::row_logsumexp_on_isa(Isa::Portable, row);
        for isa in activ::available_isas() {
            let v = activ::row_logsumexp_on_isa(isa, row);
            assert_eq!(
                v.to_bits(),
                reference.to_bits(),
                "logsumexp on {}",
                isa.name()
            );
        }
    }
}
