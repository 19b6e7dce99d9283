//! The committed header `include/activ.h` must equal a fresh cbindgen run.
//! `ACTIV_BLESS=1 cargo test -p activ-ffi --test header` rewrites it.

use std::path::PathBuf;

#[test]
#[cfg_attr(
    miri,
    ignore = "reads files and runs cbindgen; nothing unsafe to check"
)]
fn committed_header_is_fresh() {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let header = crate_dir.join("../../include/activ.h");
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml must parse");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen must generate the header")
        .write(&mut generated);
    let generated = String::from_utf8(generated).expect("header is UTF-8");

    if std::env::var_os("ACTIV_BLESS").is_some() {
        std::fs::write(&header, &generated).expect("write include/activ.h");
        return;
    }
    let committed = std::fs::read_to_string(&header).unwrap_or_default();
    if committed != generated {
        let first_diff = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map(|i| i + 1)
            .unwrap_or(committed.lines().count().min(generated.lines().count()) + 1);
        panic!(
            "include/activ.h is stale (first difference at line {first_diff}).\n\
             Regenerate it with: ACTIV_BLESS=1 cargo test -p activ-ffi --test header"
        );
    }
}
