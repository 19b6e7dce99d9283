//! Compiles and runs the C and C++ programs in `ffi-tests/` against the libraries cargo
//! just built (`libactiv.a` and `libactiv.so` in `target/<profile>/deps`), and checks that
//! their results are bit-identical to the Rust API.

use std::path::{Path, PathBuf};
use std::process::Command;

use activ::{Derivative, Elementwise};

struct Paths {
    /// Where cargo left libactiv.a and libactiv.so.
    lib_dir: PathBuf,
    include: PathBuf,
    sources: PathBuf,
    out: PathBuf,
}

fn paths(test: &str) -> Paths {
    // The test binary runs from target/<profile>/deps, next to the libraries.
    let exe = std::env::current_exe().expect("current_exe");
    let lib_dir = exe.parent().expect("deps dir").to_path_buf();
    for lib in ["libactiv.a", "libactiv.so"] {
        assert!(
            lib_dir.join(lib).exists(),
            "{lib} not found in {}; it is built by the activ-ffi dependency",
            lib_dir.display()
        );
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = lib_dir.join("activ-ffi-tests-out").join(test);
    std::fs::create_dir_all(&out).expect("create output dir");
    Paths {
        lib_dir,
        include: root.join("../include"),
        sources: root,
        out,
    }
}

fn run_ok(cmd: &mut Command) -> String {
    // cargo test puts target/<profile> on LD_LIBRARY_PATH, which may hold an older
    // libactiv.so than deps/: the programs must load the one their rpath names.
    cmd.env_remove("LD_LIBRARY_PATH");
    let shown = format!("{cmd:?}");
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {shown}: {e}"));
    assert!(
        output.status.success(),
        "{shown} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

const STRICT: &[&str] = &["-Wall", "-Wextra", "-Werror", "-pedantic"];

fn static_libs(p: &Paths) -> Vec<String> {
    vec![
        p.lib_dir.join("libactiv.a").display().to_string(),
        "-lm".into(),
        "-lpthread".into(),
        "-ldl".into(),
    ]
}

fn compile(
    compiler: &str,
    std: &str,
    extra: &[&str],
    source: &Path,
    libs: &[String],
    exe: &Path,
    p: &Paths,
) {
    let mut cmd = Command::new(compiler);
    cmd.arg(format!("-std={std}"))
        .args(STRICT)
        .args(extra)
        .arg("-I")
        .arg(&p.include)
        .arg(source)
        .args(libs)
        .arg("-o")
        .arg(exe);
    run_ok(&mut cmd);
}

/// The Rust result for a line of the C program's output.
fn rust_f32(name: &str, x: f32) -> f32 {
    match name {
        "sigmoid" => activ::sigmoid(x),
        "log_sigmoid" => activ::log_sigmoid(x),
        "logit" => activ::logit(x),
        "logit_eps" => activ::LogitEps::new(1e-6f32).unwrap().eval(x),
        "softplus" => activ::softplus(x),
        "tanh" => activ::tanh(x),
        "relu" => activ::relu(x),
        "relu6" => activ::relu6(x),
        "leaky_relu" => activ::leaky_relu(x),
        "elu" => activ::elu(x),
        "selu" => activ::selu(x),
        "celu" => activ::celu(x),
        "gelu" => activ::gelu(x),
        "gelu_tanh" => activ::gelu_tanh(x),
        "silu" => activ::silu(x),
        "mish" => activ::mish(x),
        "softsign" => activ::softsign(x),
        "hard_sigmoid" => activ::hard_sigmoid(x),
        "hard_swish" => activ::hard_swish(x),
        other => panic!("unknown function {other} in the C output"),
    }
}

fn rust_f64(name: &str, x: f64) -> f64 {
    match name {
        "sigmoid" => activ::sigmoid(x),
        "log_sigmoid" => activ::log_sigmoid(x),
        "logit" => activ::logit(x),
        "logit_eps" => activ::LogitEps::new(1e-6f64).unwrap().eval(x),
        "softplus" => activ::softplus(x),
        "tanh" => activ::tanh(x),
        "relu" => activ::relu(x),
        "relu6" => activ::relu6(x),
        "leaky_relu" => activ::leaky_relu(x),
        "elu" => activ::elu(x),
        "selu" => activ::selu(x),
        "celu" => activ::celu(x),
        "gelu" => activ::gelu(x),
        "gelu_tanh" => activ::gelu_tanh(x),
        "silu" => activ::silu(x),
        "mish" => activ::mish(x),
        "softsign" => activ::softsign(x),
        "hard_sigmoid" => activ::hard_sigmoid(x),
        "hard_swish" => activ::hard_swish(x),
        other => panic!("unknown function {other} in the C output"),
    }
}

/// Every line of the contract program's output must match the Rust API bit for bit.
fn verify_contract_output(stdout: &str) {
    let mut row = Vec::new();
    let (mut softmax_c, mut log_softmax_c) = (Vec::new(), Vec::new());
    let mut logsumexp_c = None;
    let mut elementwise = 0;
    for line in stdout.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [name, ty, x, y] = parts[..] else {
            panic!("malformed line {line:?}");
        };
        match (name, ty) {
            ("softmax_row", _) => {
                row.push(f64::from_bits(u64::from_str_radix(x, 16).unwrap()));
                softmax_c.push(u64::from_str_radix(y, 16).unwrap());
            }
            ("log_softmax_row", _) => log_softmax_c.push(u64::from_str_radix(y, 16).unwrap()),
            ("logsumexp_row", _) => logsumexp_c = Some(u64::from_str_radix(y, 16).unwrap()),
            (_, "f32") => {
                let xv = f32::from_bits(u32::from_str_radix(x, 16).unwrap());
                let yc = u32::from_str_radix(y, 16).unwrap();
                let yr = rust_f32(name, xv).to_bits();
                assert_eq!(
                    yc, yr,
                    "{name} f32 at {xv:e} ({x}): C gave {yc:08x}, Rust {yr:08x}"
                );
                elementwise += 1;
            }
            (_, "f64") => {
                let xv = f64::from_bits(u64::from_str_radix(x, 16).unwrap());
                let yc = u64::from_str_radix(y, 16).unwrap();
                let yr = rust_f64(name, xv).to_bits();
                assert_eq!(
                    yc, yr,
                    "{name} f64 at {xv:e} ({x}): C gave {yc:016x}, Rust {yr:016x}"
                );
                elementwise += 1;
            }
            _ => panic!("malformed line {line:?}"),
        }
    }
    assert_eq!(
        elementwise,
        19 * 2 * 600,
        "the C program emitted every function and type"
    );
    let n = row.len();
    assert_eq!(n, 40);
    let mut sm = vec![0.0; n];
    activ::softmax(&row, &mut sm, 1, n).unwrap();
    let mut ls = vec![0.0; n];
    activ::log_softmax(&row, &mut ls, 1, n).unwrap();
    let mut lse = [0.0];
    activ::logsumexp(&row, &mut lse, 1, n).unwrap();
    for i in 0..n {
        assert_eq!(softmax_c[i], sm[i].to_bits(), "softmax element {i}");
        assert_eq!(log_softmax_c[i], ls[i].to_bits(), "log_softmax element {i}");
    }
    assert_eq!(logsumexp_c, Some(lse[0].to_bits()), "logsumexp");
}

/// The Rust backward pass of a function named in the backward program's output, with the
/// parameters that program passes.
macro_rules! rust_backward_by_name {
    ($t:ty, $name:expr, $x:expr, $dy:expr) => {{
        let (x, dy): (&[$t], &[$t]) = ($x, $dy);
        let mut dx = vec![0.0; x.len()];
        let result = match $name {
            "sigmoid" => activ::Sigmoid.backward(x, dy, &mut dx),
            "log_sigmoid" => activ::LogSigmoid.backward(x, dy, &mut dx),
            "logit" => activ::Logit.backward(x, dy, &mut dx),
            "logit_eps" => activ::LogitEps::<$t>::new(1e-6)
                .unwrap()
                .backward(x, dy, &mut dx),
            "softplus" => activ::Softplus::<$t>::new(1.0)
                .unwrap()
                .backward(x, dy, &mut dx),
            "tanh" => activ::Tanh.backward(x, dy, &mut dx),
            "relu" => activ::Relu.backward(x, dy, &mut dx),
            "relu6" => activ::Relu6.backward(x, dy, &mut dx),
            "leaky_relu" => activ::LeakyRelu::<$t>::new(0.01)
                .unwrap()
                .backward(x, dy, &mut dx),
            "elu" => activ::Elu::<$t>::new(1.0).unwrap().backward(x, dy, &mut dx),
            "selu" => activ::Selu.backward(x, dy, &mut dx),
            "celu" => activ::Celu::<$t>::new(1.0)
                .unwrap()
                .backward(x, dy, &mut dx),
            "gelu" => activ::Gelu.backward(x, dy, &mut dx),
            "gelu_tanh" => activ::GeluTanh.backward(x, dy, &mut dx),
            "silu" => activ::Silu.backward(x, dy, &mut dx),
            "mish" => activ::Mish.backward(x, dy, &mut dx),
            "softsign" => activ::Softsign.backward(x, dy, &mut dx),
            "hard_sigmoid" => activ::HardSigmoid.backward(x, dy, &mut dx),
            "hard_swish" => activ::HardSwish.backward(x, dy, &mut dx),
            other => panic!("unknown function {other} in the C output"),
        };
        result.unwrap();
        dx
    }};
}

/// The rows of the backward program (see `c/backward.c`).
const BACKWARD_ROWS: usize = 3;
const BACKWARD_COLS: usize = 40;

/// Columns of the backward program's output for one (function, type): a, b and dx, as bits.
type Columns = (Vec<u64>, Vec<u64>, Vec<u64>);

/// The Rust result for one (function, type) of the backward program, as bits.
fn rust_backward_bits(name: &str, ty: &str, a: &[u64], b: &[u64]) -> Vec<u64> {
    let rows_shape = |len: usize| {
        assert_eq!(len, BACKWARD_ROWS * BACKWARD_COLS, "{name} {ty}: rows");
        (BACKWARD_ROWS, BACKWARD_COLS)
    };
    match ty {
        "f32" => {
            let a: Vec<f32> = a.iter().map(|&v| f32::from_bits(v as u32)).collect();
            let b: Vec<f32> = b.iter().map(|&v| f32::from_bits(v as u32)).collect();
            let mut dx = vec![0.0f32; a.len()];
            match name {
                "softmax_backward" | "log_softmax_backward" | "logsumexp_backward" => {
                    let (rows, cols) = rows_shape(a.len());
                    match name {
                        "softmax_backward" => activ::softmax_backward(&a, &b, &mut dx, rows, cols),
                        "log_softmax_backward" => {
                            activ::log_softmax_backward(&a, &b, &mut dx, rows, cols)
                        }
                        _ => {
                            let dout: Vec<f32> = b.iter().step_by(cols).copied().collect();
                            activ::logsumexp_backward(&a, &dout, &mut dx, rows, cols)
                        }
                    }
                    .unwrap();
                }
                _ => dx = rust_backward_by_name!(f32, name, &a, &b),
            }
            dx.iter().map(|v| u64::from(v.to_bits())).collect()
        }
        _ => {
            let a: Vec<f64> = a.iter().map(|&v| f64::from_bits(v)).collect();
            let b: Vec<f64> = b.iter().map(|&v| f64::from_bits(v)).collect();
            let mut dx = vec![0.0f64; a.len()];
            match name {
                "softmax_backward" | "log_softmax_backward" | "logsumexp_backward" => {
                    let (rows, cols) = rows_shape(a.len());
                    match name {
                        "softmax_backward" => activ::softmax_backward(&a, &b, &mut dx, rows, cols),
                        "log_softmax_backward" => {
                            activ::log_softmax_backward(&a, &b, &mut dx, rows, cols)
                        }
                        _ => {
                            let dout: Vec<f64> = b.iter().step_by(cols).copied().collect();
                            activ::logsumexp_backward(&a, &dout, &mut dx, rows, cols)
                        }
                    }
                    .unwrap();
                }
                _ => dx = rust_backward_by_name!(f64, name, &a, &b),
            }
            dx.iter().map(|v| v.to_bits()).collect()
        }
    }
}

/// Every line of the backward program's output must match the Rust API bit for bit: the
/// C results are regrouped into the arrays the program passed, and Rust runs on them.
fn verify_backward_output(stdout: &str) {
    let mut groups: Vec<((String, String), Columns)> = Vec::new();
    for line in stdout.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [name, ty, a, b, dx] = parts[..] else {
            panic!("malformed line {line:?}");
        };
        assert!(ty == "f32" || ty == "f64", "malformed line {line:?}");
        let key = (name.to_string(), ty.to_string());
        let i = match groups.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                groups.push((key, Default::default()));
                groups.len() - 1
            }
        };
        let hex = |s: &str| u64::from_str_radix(s, 16).unwrap();
        let cols = &mut groups[i].1;
        cols.0.push(hex(a));
        cols.1.push(hex(b));
        cols.2.push(hex(dx));
    }
    // 19 elementwise functions and the three row functions, each in both types.
    assert_eq!(
        groups.len(),
        (19 + 3) * 2,
        "the C program emitted every function and type"
    );
    let mut elements = 0;
    for ((name, ty), (a, b, c_dx)) in &groups {
        let rust_dx = rust_backward_bits(name, ty, a, b);
        for i in 0..a.len() {
            assert_eq!(
                c_dx[i], rust_dx[i],
                "{name} {ty} element {i} (a = {:x}, b = {:x}): C gave {:x}, Rust {:x}",
                a[i], b[i], c_dx[i], rust_dx[i]
            );
        }
        elements += a.len();
    }
    assert_eq!(elements, 2 * (19 * 600 + 3 * BACKWARD_ROWS * BACKWARD_COLS));
}

#[test]
fn c_backward_program_against_the_static_and_shared_libraries() {
    let p = paths("backward");
    let source = p.sources.join("c/backward.c");
    let exe = p.out.join("backward_static");
    for std in ["c99", "c11"] {
        compile("cc", std, &[], &source, &static_libs(&p), &exe, &p);
        verify_backward_output(&run_ok(&mut Command::new(&exe)));
    }
    let exe = p.out.join("backward_shared");
    let libs = vec![
        format!("-L{}", p.lib_dir.display()),
        "-l:libactiv.so".into(),
        format!("-Wl,-rpath,{}", p.lib_dir.display()),
        "-lm".into(),
    ];
    compile("cc", "c99", &[], &source, &libs, &exe, &p);
    verify_backward_output(&run_ok(&mut Command::new(&exe)));
}

#[test]
fn c_backward_program_under_address_and_undefined_sanitizers() {
    let p = paths("backward-sanitized");
    let exe = p.out.join("backward_sanitized");
    let flags = [
        "-fsanitize=address,undefined",
        "-fno-sanitize-recover=all",
        "-fno-omit-frame-pointer",
        "-g",
    ];
    compile(
        "cc",
        "c99",
        &flags,
        &p.sources.join("c/backward.c"),
        &static_libs(&p),
        &exe,
        &p,
    );
    let out = run_ok(Command::new(&exe).env("ASAN_OPTIONS", "detect_leaks=0"));
    verify_backward_output(&out);
}

#[test]
fn header_compiles_warning_free_as_c_and_cpp() {
    let p = paths("header");
    let c_file = p.out.join("header.c");
    std::fs::write(
        &c_file,
        "#include \"activ.h\"\nint main(void) { return ACTIV_STATUS_OK; }\n",
    )
    .unwrap();
    let cpp_file = p.out.join("header.cpp");
    std::fs::copy(&c_file, &cpp_file).unwrap();
    for std in ["c99", "c11"] {
        let mut cmd = Command::new("cc");
        cmd.arg(format!("-std={std}"))
            .args(STRICT)
            .arg("-I")
            .arg(&p.include)
            .arg("-fsyntax-only")
            .arg(&c_file);
        run_ok(&mut cmd);
    }
    for std in ["c++11", "c++17"] {
        let mut cmd = Command::new("c++");
        cmd.arg(format!("-std={std}"))
            .args(STRICT)
            .arg("-I")
            .arg(&p.include)
            .arg("-fsyntax-only")
            .arg(&cpp_file);
        run_ok(&mut cmd);
    }
}

#[test]
fn c_program_against_the_static_library() {
    let p = paths("static");
    let exe = p.out.join("contract_static");
    for std in ["c99", "c11"] {
        compile(
            "cc",
            std,
            &[],
            &p.sources.join("c/contract.c"),
            &static_libs(&p),
            &exe,
            &p,
        );
        verify_contract_output(&run_ok(&mut Command::new(&exe)));
    }
}

#[test]
fn c_program_against_the_shared_library() {
    let p = paths("shared");
    let exe = p.out.join("contract_shared");
    let libs = vec![
        format!("-L{}", p.lib_dir.display()),
        "-l:libactiv.so".into(),
        format!("-Wl,-rpath,{}", p.lib_dir.display()),
        "-lm".into(),
    ];
    compile(
        "cc",
        "c99",
        &[],
        &p.sources.join("c/contract.c"),
        &libs,
        &exe,
        &p,
    );
    // It must really load the shared library.
    let needed = run_ok(Command::new("ldd").arg(&exe));
    assert!(
        needed.contains("libactiv.so"),
        "not linked against libactiv.so:\n{needed}"
    );
    verify_contract_output(&run_ok(&mut Command::new(&exe)));
}

#[test]
fn cpp_program() {
    let p = paths("cpp");
    let exe = p.out.join("basic_cpp");
    for std in ["c++11", "c++17"] {
        compile(
            "c++",
            std,
            &[],
            &p.sources.join("cpp/basic.cpp"),
            &static_libs(&p),
            &exe,
            &p,
        );
        assert_eq!(run_ok(&mut Command::new(&exe)).trim(), "ok");
    }
}

#[test]
fn c_program_under_address_and_undefined_sanitizers() {
    let p = paths("sanitized");
    let exe = p.out.join("contract_sanitized");
    let flags = [
        "-fsanitize=address,undefined",
        "-fno-sanitize-recover=all",
        "-fno-omit-frame-pointer",
        "-g",
    ];
    compile(
        "cc",
        "c99",
        &flags,
        &p.sources.join("c/contract.c"),
        &static_libs(&p),
        &exe,
        &p,
    );
    // Leak checking needs ptrace, which sandboxes often forbid; the checks that matter here
    // are out-of-bounds accesses and undefined behaviour.
    let out = run_ok(Command::new(&exe).env("ASAN_OPTIONS", "detect_leaks=0"));
    verify_contract_output(&out);
}

#[test]
fn pkg_config_file_compiles_and_links_a_program() {
    let p = paths("pkg-config");
    let template =
        std::fs::read_to_string(p.sources.join("../crates/activ-ffi/activ.pc.in")).unwrap();
    let pc = template
        .replace("@PREFIX@", &p.out.display().to_string())
        .replace("@LIBDIR@", &p.lib_dir.display().to_string())
        .replace(
            "@INCLUDEDIR@",
            &p.include.canonicalize().unwrap().display().to_string(),
        )
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"));
    std::fs::write(p.out.join("activ.pc"), pc).unwrap();
    let flags = run_ok(
        Command::new("pkg-config")
            .args(["--cflags", "--libs", "activ"])
            .env("PKG_CONFIG_PATH", &p.out),
    );
    let version = run_ok(
        Command::new("pkg-config")
            .args(["--modversion", "activ"])
            .env("PKG_CONFIG_PATH", &p.out),
    );
    assert_eq!(version.trim(), env!("CARGO_PKG_VERSION"));
    let exe = p.out.join("example");
    let mut cmd = Command::new("cc");
    cmd.args(["-std=c99"])
        .args(STRICT)
        .arg(p.sources.join("c/example.c"))
        .args(flags.split_whitespace())
        .arg(format!("-Wl,-rpath,{}", p.lib_dir.display()))
        .arg("-o")
        .arg(&exe);
    run_ok(&mut cmd);
    let out = run_ok(&mut Command::new(&exe));
    assert_eq!(out.trim(), "3.78351e-44 0.268941 0.5 1");
}

#[test]
fn readme_shows_the_tested_c_example() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../README.md")).unwrap();
    let example = std::fs::read_to_string(root.join("c/example.c")).unwrap();
    assert!(
        readme.contains(&example),
        "README.md must show ffi-tests/c/example.c verbatim (its 'Use from C' section)"
    );
}
