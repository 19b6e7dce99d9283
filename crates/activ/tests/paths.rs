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

#[test]
fn f32_paths_match_portable_on_2_pow_24_inputs() {
    // 2^24 + 3 inputs: every 256th pattern, then three more for an odd tail.
    let x: Vec<f32> = (0..(1u32 << 24) + 3)
        .map(|i| f32::from_bits(i.wrapping_mul(256).wrapping_add(i >> 24)))
        .collect();
    eprintln!("paths: {:?}", activ::available_isas());
    for_each_elementwise!(f32, |name, f| {
        compare(name, &f, &x, |v: f32| v.to_bits() as u64);
    });
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
