//! Every `f32` function over 2^24 inputs (one bit pattern in every 256, NaNs and
//! infinities included) against the careful-`f64` reference, asserting its bound:
//! ≤ 1 ULP for the smooth functions, ≤ 2 for gelu, gelu_tanh and mish, correctly rounded
//! for relu, relu6 and leaky_relu. One test per function, so each takes a few seconds and
//! a failure names its function.

use activ_audit::cases::find;
use activ_audit::sweep_f32;

/// 2^32 / 256 = 2^24 inputs per function.
const STRIDE: u32 = 256;

fn check(name: &str) {
    let case = find(name).unwrap_or_else(|| panic!("no case named {name}"));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let m = sweep_f32(&case, STRIDE, threads);
    assert!(m.tested >= 1 << 24, "only {} inputs swept", m.tested);
    // Passing results are printed (see them with --nocapture); a failure says it all.
    assert!(m.passed(), "{}", m.describe());
    println!("{}", m.describe());
}

macro_rules! sweep_tests {
    ($($test:ident => $name:expr,)*) => {
        $(
            #[test]
            fn $test() {
                check($name);
            }
        )*
    };
}

sweep_tests! {
    sigmoid => "sigmoid",
    log_sigmoid => "log_sigmoid",
    logit => "logit",
    relu => "relu",
    relu6 => "relu6",
    leaky_relu => "leaky_relu",
    elu => "elu",
    selu => "selu",
    celu => "celu",
    softplus => "softplus",
    tanh => "tanh",
    gelu => "gelu",
    gelu_tanh => "gelu_tanh",
    silu => "silu",
    mish => "mish",
    softsign => "softsign",
    hard_sigmoid => "hard_sigmoid",
    hard_swish => "hard_swish",
    leaky_relu_slope_0_2 => "leaky_relu(negative_slope=0.2)",
    elu_alpha_0_5 => "elu(alpha=0.5)",
    celu_alpha_0_5 => "celu(alpha=0.5)",
    softplus_beta_2 => "softplus(beta=2)",
    softplus_beta_1e_3 => "softplus(beta=1e-3)",
    softplus_beta_100 => "softplus(beta=100)",
    logit_eps_1e_6 => "logit_eps(eps=1e-6)",
}

/// Every case in the table has a test above, so a new case cannot go unswept.
#[test]
fn every_case_is_swept() {
    let source = include_str!("f32_sweep.rs");
    for case in activ_audit::cases() {
        assert!(
            source.contains(&format!("=> \"{}\",", case.name)),
            "case {} has no sweep test",
            case.name
        );
    }
}
