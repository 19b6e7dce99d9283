//! The online-normalizer softmax kept for the benchmark comparison agrees with the
//! library's three-pass kernel to within 1 ULP (both are within 0.5 ULP of the exact value
//! on these rows, so they can differ by one rounding), on every path.

fn ulp_distance(a: f32, b: f32) -> u32 {
    (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs() as u32
}

#[test]
fn online_softmax_matches_three_pass() {
    let mut state = 0x1357_9bdf_2468_ace0u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for cols in [1usize, 5, 16, 17, 100, 1024, 4099] {
        for spread in [1.0, 10.0, 100.0, 1e4] {
            let x: Vec<f32> = (0..cols)
                .map(|_| ((next() - 0.5) * spread) as f32)
                .collect();
            let mut y = vec![0.0f32; cols];
            activ::softmax(&x, &mut y, 1, cols).unwrap();
            for isa in activ::available_isas() {
                let mut z = x.clone();
                activ::row_softmax_online_f32_on_isa(isa, &mut z);
                for j in 0..cols {
                    assert!(
                        ulp_distance(y[j], z[j]) <= 1,
                        "{cols} cols, spread {spread}, {isa:?}: {} vs {} at {j}",
                        y[j],
                        z[j]
                    );
                }
            }
        }
    }
}
