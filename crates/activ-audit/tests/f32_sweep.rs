//! Every `f32` function over 2^24 inputs (one bit pattern in every 256, NaNs and
//! infinities included; 2^22 for the backward products) against the careful-`f64`
//! reference, asserting its bound: ≤ 1 ULP for the smooth functions, ≤ 2 for gelu,
//! gelu_tanh and mish, correctly rounded for relu, relu6 and leaky_relu; ≤ 2 ULP for every
//! derivative (`_grad`) and backward product (`_vjp`). One test per case, so each takes a
//! few seconds and a failure names its function.

use activ_audit::cases::find;
use activ_audit::{sweep_f32, Kind};

/// 2^32 / 256 = 2^24 inputs per function and derivative.
const STRIDE: u32 = 256;
/// 2^22 inputs per backward product: it runs the derivative's kernel (swept above at
/// 2^24), and its reference costs two careful evaluations. `activ audit` sweeps it at the
/// full 2^24.
const VJP_STRIDE: u32 = 1024;

fn check(name: &str) {
    let case = find(name).unwrap_or_else(|| panic!("no case named {name}"));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let stride = if case.kind == Kind::Vjp {
        VJP_STRIDE
    } else {
        STRIDE
    };
    let m = sweep_f32(&case, stride, threads);
    assert!(
        m.tested >= (1 << 32) / stride as u64,
        "only {} inputs swept",
        m.tested
    );
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
    elu_alpha_3 => "elu(alpha=3)",
    celu_alpha_3 => "celu(alpha=3)",
    softplus_beta_2 => "softplus(beta=2)",
    softplus_beta_1e_3 => "softplus(beta=1e-3)",
    softplus_beta_100 => "softplus(beta=100)",
    logit_eps_1e_6 => "logit_eps(eps=1e-6)",
}

// The derivatives, f′(x).
sweep_tests! {
    sigmoid_grad => "sigmoid_grad",
    log_sigmoid_grad => "log_sigmoid_grad",
    logit_grad => "logit_grad",
    relu_grad => "relu_grad",
    relu6_grad => "relu6_grad",
    leaky_relu_grad => "leaky_relu_grad",
    elu_grad => "elu_grad",
    selu_grad => "selu_grad",
    celu_grad => "celu_grad",
    softplus_grad => "softplus_grad",
    tanh_grad => "tanh_grad",
    gelu_grad => "gelu_grad",
    gelu_tanh_grad => "gelu_tanh_grad",
    silu_grad => "silu_grad",
    mish_grad => "mish_grad",
    softsign_grad => "softsign_grad",
    hard_sigmoid_grad => "hard_sigmoid_grad",
    hard_swish_grad => "hard_swish_grad",
    leaky_relu_grad_slope_0_2 => "leaky_relu_grad(negative_slope=0.2)",
    elu_grad_alpha_0_5 => "elu_grad(alpha=0.5)",
    celu_grad_alpha_0_5 => "celu_grad(alpha=0.5)",
    softplus_grad_beta_2 => "softplus_grad(beta=2)",
    softplus_grad_beta_1e_3 => "softplus_grad(beta=1e-3)",
    softplus_grad_beta_100 => "softplus_grad(beta=100)",
    logit_eps_grad_1e_6 => "logit_eps_grad(eps=1e-6)",
}

// The backward pass of one element, dy·f′(x), dy pseudo-random.
sweep_tests! {
    sigmoid_vjp => "sigmoid_vjp",
    log_sigmoid_vjp => "log_sigmoid_vjp",
    logit_vjp => "logit_vjp",
    relu_vjp => "relu_vjp",
    relu6_vjp => "relu6_vjp",
    leaky_relu_vjp => "leaky_relu_vjp",
    elu_vjp => "elu_vjp",
    selu_vjp => "selu_vjp",
    celu_vjp => "celu_vjp",
    softplus_vjp => "softplus_vjp",
    tanh_vjp => "tanh_vjp",
    gelu_vjp => "gelu_vjp",
    gelu_tanh_vjp => "gelu_tanh_vjp",
    silu_vjp => "silu_vjp",
    mish_vjp => "mish_vjp",
    softsign_vjp => "softsign_vjp",
    hard_sigmoid_vjp => "hard_sigmoid_vjp",
    hard_swish_vjp => "hard_swish_vjp",
    leaky_relu_vjp_slope_0_2 => "leaky_relu_vjp(negative_slope=0.2)",
    elu_vjp_alpha_0_5 => "elu_vjp(alpha=0.5)",
    celu_vjp_alpha_0_5 => "celu_vjp(alpha=0.5)",
    softplus_vjp_beta_2 => "softplus_vjp(beta=2)",
    softplus_vjp_beta_1e_3 => "softplus_vjp(beta=1e-3)",
    softplus_vjp_beta_100 => "softplus_vjp(beta=100)",
    logit_eps_vjp_1e_6 => "logit_eps_vjp(eps=1e-6)",
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
