//! The function table shared by the integration tests: every elementwise function, with
//! default and a few non-default parameters, for both types.

/// Runs `$body` with `$f` bound to each elementwise function of type `$t`, and `$name` to
/// its name.
#[macro_export]
macro_rules! for_each_elementwise {
    ($t:ty, |$name:ident, $f:ident| $body:block) => {{
        macro_rules! run {
            ($n:expr, $v:expr) => {{
                let $name: &str = $n;
                let $f = $v;
                $body
            }};
        }
        run!("sigmoid", activ::Sigmoid);
        run!("log_sigmoid", activ::LogSigmoid);
        run!("logit", activ::Logit);
        run!("logit_eps(1e-3)", activ::LogitEps::<$t>::new(1e-3).unwrap());
        run!("relu", activ::Relu);
        run!("relu6", activ::Relu6);
        run!("leaky_relu", activ::LeakyRelu::<$t>::default());
        run!("leaky_relu(0.2)", activ::LeakyRelu::<$t>::new(0.2).unwrap());
        run!("leaky_relu(0)", activ::LeakyRelu::<$t>::new(0.0).unwrap());
        run!("elu", activ::Elu::<$t>::default());
        run!("elu(0.5)", activ::Elu::<$t>::new(0.5).unwrap());
        run!("selu", activ::Selu);
        run!("celu", activ::Celu::<$t>::default());
        run!("celu(-2)", activ::Celu::<$t>::new(-2.0).unwrap());
        run!("celu(3)", activ::Celu::<$t>::new(3.0).unwrap());
        // Below 2^−60 the f32 ELU and CELU take their f64-lane kernels.
        run!("elu(1e-20)", activ::Elu::<$t>::new(1e-20).unwrap());
        run!("celu(1e-20)", activ::Celu::<$t>::new(1e-20).unwrap());
        run!("softplus", activ::Softplus::<$t>::default());
        run!("softplus(3)", activ::Softplus::<$t>::new(3.0).unwrap());
        run!("softplus(1e-3)", activ::Softplus::<$t>::new(1e-3).unwrap());
        run!("tanh", activ::Tanh);
        run!("gelu", activ::Gelu);
        run!("gelu_tanh", activ::GeluTanh);
        run!("silu", activ::Silu);
        run!("mish", activ::Mish);
        run!("softsign", activ::Softsign);
        run!("hard_sigmoid", activ::HardSigmoid);
        run!("hard_swish", activ::HardSwish);
    }};
}
