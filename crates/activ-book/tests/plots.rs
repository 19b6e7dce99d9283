//! The committed figures of the book (`book/src/plots/*.svg`) are exactly what `activ plot`
//! writes: this test compiles the plotting code of the `activ` command, regenerates every
//! figure into a temporary directory and compares the bytes.
//!
//! After changing the plotting code or a function, regenerate the figures with
//! `cargo run --release -p activ-cli -- plot --out book/src/plots`, or without the command:
//! `ACTIV_BOOK_BLESS=1 cargo test -p activ-book --test plots`.

use std::path::PathBuf;

#[path = "../../activ-cli/src/plot.rs"]
mod plot;

#[test]
fn committed_plots_match_the_generated_ones() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let committed = root.join("../../book/src/plots");
    if std::env::var_os("ACTIV_BOOK_BLESS").is_some() {
        plot::run(&committed).expect("plot::run");
        return;
    }
    let fresh = std::env::temp_dir().join(format!("activ-book-plots-{}", std::process::id()));
    plot::run(&fresh).expect("plot::run");
    let mut stale = Vec::new();
    for file in plot::figure_files() {
        let new = std::fs::read(fresh.join(file)).expect("generated figure");
        match std::fs::read(committed.join(file)) {
            Ok(old) if old == new => {}
            Ok(_) => stale.push(format!("{file} differs")),
            Err(e) => stale.push(format!("{file}: {e}")),
        }
    }
    // No stray figures: every committed SVG is one the command writes.
    for entry in std::fs::read_dir(&committed).expect("book/src/plots") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy().into_owned();
        if name.ends_with(".svg") && !plot::figure_files().contains(&name.as_str()) {
            stale.push(format!("{name} is committed but not generated"));
        }
    }
    std::fs::remove_dir_all(&fresh).ok();
    assert!(
        stale.is_empty(),
        "book/src/plots is stale ({}); regenerate with \
         `cargo run --release -p activ-cli -- plot --out book/src/plots`",
        stale.join(", ")
    );
}
