//! Every `f64` function against MPFR at 160 bits on the edge cases plus 10^5 random inputs
//! over every binade (the audit runs 10^6), asserting ≤ 2 ULP. One test per function.

use activ_audit::cases::find;
use activ_audit::measure::seed_for;
use activ_audit::sample_f64;

const SAMPLES: usize = 100_000;

fn check(name: &str) {
    let case = find(name).unwrap_or_else(|| panic!("no case named {name}"));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let m = sample_f64(&case, SAMPLES, seed_for(name), threads);
    assert!(m.tested >= SAMPLES as u64);
    // Passing results are printed (see them with --nocapture); a failure says it all.
    assert!(m.passed(), "{}", m.describe());
    println!("{}", m.describe());
}

macro_rules! mpfr_tests {
    ($($test:ident => $name:expr,)*) => {
        $(
            #[test]
            fn $test() {
                check($name);
            }
        )*
    };
}

mpfr_tests! {
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

/// Every case in the table has a test above.
#[test]
fn every_case_is_sampled() {
    let source = include_str!("f64_mpfr.rs");
    for case in activ_audit::cases() {
        assert!(
            source.contains(&format!("=> \"{}\",", case.name)),
            "case {} has no MPFR test",
            case.name
        );
    }
}
