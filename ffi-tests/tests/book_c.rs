//! The C and C++ examples of the book (`ffi-tests/book/`, included verbatim into
//! `book/src/using.md`) are compiled and run here, against the static and the shared library,
//! through pkg-config and through CMake, exactly as the chapter shows.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Paths {
    /// Where cargo left libactiv.a and libactiv.so.
    lib_dir: PathBuf,
    include: PathBuf,
    book: PathBuf,
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
    let out = lib_dir.join("activ-ffi-tests-out").join("book").join(test);
    std::fs::create_dir_all(&out).expect("create output dir");
    Paths {
        lib_dir,
        include: root.join("../include"),
        book: root.join("book"),
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

/// Static linking, as the chapter shows it: the archive plus `-lm -lpthread -ldl`.
fn build_static(compiler: &str, std: &str, source: &Path, exe: &Path, p: &Paths) {
    let mut cmd = Command::new(compiler);
    cmd.arg(format!("-std={std}"))
        .args(STRICT)
        .arg("-I")
        .arg(&p.include)
        .arg(source)
        .arg(p.lib_dir.join("libactiv.a"))
        .args(["-lm", "-lpthread", "-ldl"])
        .arg("-o")
        .arg(exe);
    run_ok(&mut cmd);
}

/// Shared linking with an rpath, as the chapter shows it.
fn build_shared(source: &Path, exe: &Path, p: &Paths) {
    let mut cmd = Command::new("cc");
    cmd.arg("-std=c99")
        .args(STRICT)
        .arg("-I")
        .arg(&p.include)
        .arg(source)
        .arg(format!("-L{}", p.lib_dir.display()))
        .arg("-l:libactiv.so")
        .arg(format!("-Wl,-rpath,{}", p.lib_dir.display()))
        .arg("-lm")
        .arg("-o")
        .arg(exe);
    run_ok(&mut cmd);
    let needed = run_ok(Command::new("ldd").arg(exe));
    assert!(
        needed.contains("libactiv.so"),
        "not linked against libactiv.so:\n{needed}"
    );
}

/// Writes activ.pc from the template into `p.out` and returns the directory.
fn pkg_config_dir(p: &Paths) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let template =
        std::fs::read_to_string(root.join("../crates/activ-ffi/activ.pc.in")).expect("template");
    let pc = template
        .replace("@PREFIX@", &p.out.display().to_string())
        .replace("@LIBDIR@", &p.lib_dir.display().to_string())
        .replace(
            "@INCLUDEDIR@",
            &p.include.canonicalize().unwrap().display().to_string(),
        )
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"));
    std::fs::write(p.out.join("activ.pc"), pc).expect("write activ.pc");
    p.out.clone()
}

#[test]
fn quickstart_static_and_shared() {
    let p = paths("quickstart");
    let source = p.book.join("quickstart.c");
    for std in ["c99", "c11"] {
        let exe = p.out.join(format!("quickstart_static_{std}"));
        build_static("cc", std, &source, &exe, &p);
        let out = run_ok(&mut Command::new(&exe));
        assert!(out.starts_with("sigmoid(-100) = 3.78351e-44"), "{out}");
    }
    let exe = p.out.join("quickstart_shared");
    build_shared(&source, &exe, &p);
    let out = run_ok(&mut Command::new(&exe));
    assert!(out.starts_with("sigmoid(-100) = 3.78351e-44"), "{out}");
}

#[test]
fn errors_program() {
    let p = paths("errors");
    let exe = p.out.join("errors");
    build_static("cc", "c99", &p.book.join("errors.c"), &exe, &p);
    let out = run_ok(&mut Command::new(&exe));
    assert!(out.contains("partial overlap"), "{out}");
    assert!(
        out.contains(&format!("activ {}", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
}

#[test]
fn rows_program() {
    let p = paths("rows");
    let exe = p.out.join("rows");
    build_static("cc", "c11", &p.book.join("rows.c"), &exe, &p);
    let out = run_ok(&mut Command::new(&exe));
    assert!(out.starts_with("logsumexp = 1000.6931471805599"), "{out}");
}

#[test]
fn cpp_program() {
    let p = paths("cpp");
    for std in ["c++11", "c++17"] {
        let exe = p.out.join(format!("quickstart_cpp_{std}"));
        build_static("c++", std, &p.book.join("quickstart.cpp"), &exe, &p);
        let out = run_ok(&mut Command::new(&exe));
        assert!(out.starts_with("refused: invalid parameter"), "{out}");
    }
}

#[test]
fn pkg_config_build() {
    let p = paths("pkg-config");
    let dir = pkg_config_dir(&p);
    let flags = run_ok(
        Command::new("pkg-config")
            .args(["--cflags", "--libs", "activ"])
            .env("PKG_CONFIG_PATH", &dir),
    );
    let exe = p.out.join("quickstart");
    let mut cmd = Command::new("cc");
    cmd.arg("-std=c99")
        .args(STRICT)
        .arg(p.book.join("quickstart.c"))
        .args(flags.split_whitespace())
        .arg(format!("-Wl,-rpath,{}", p.lib_dir.display()))
        .arg("-lm")
        .arg("-o")
        .arg(&exe);
    run_ok(&mut cmd);
    run_ok(&mut Command::new(&exe));
}

/// The chapter's CMakeLists.txt, configured and built with the generated activ.pc.
/// Skipped (with a note) where CMake is not installed.
#[test]
fn cmake_build() {
    if Command::new("cmake").arg("--version").output().is_err() {
        eprintln!("cmake not found: the CMake example of the book is not built");
        return;
    }
    let p = paths("cmake");
    let dir = pkg_config_dir(&p);
    let build = p.out.join("build");
    std::fs::create_dir_all(&build).unwrap();
    run_ok(
        Command::new("cmake")
            .arg("-S")
            .arg(&p.book)
            .arg("-B")
            .arg(&build)
            .env("PKG_CONFIG_PATH", &dir),
    );
    run_ok(Command::new("cmake").arg("--build").arg(&build));
    let out = run_ok(&mut Command::new(build.join("quickstart")));
    assert!(out.starts_with("sigmoid(-100) = 3.78351e-44"), "{out}");
}
