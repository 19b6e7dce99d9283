//! A small deterministic generator (SplitMix64), so the audit's random inputs are the same
//! on every run and every machine, and any reported input can be regenerated from its seed
//! and index, without a dependency on `rand`'s changing stream definitions.

/// SplitMix64 (Steele, Lea and Flood 2014): a 64-bit counter passed through a mixing
/// function. Statistically good enough for picking test inputs.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The SplitMix64 output function: a bijective scramble of one 64-bit value.
    pub fn mix(z: u64) -> u64 {
        let z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        Self::mix(self.state)
    }

    /// A value in `0..n` (`n > 0`), by multiply-shift (bias below 2^−32 for small `n`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// A uniform value in [0, 1) with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * 2f64.powi(-53)
    }
}
