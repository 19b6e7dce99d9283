//! Every chapter of the book runs its examples: each file named in `book/src/SUMMARY.md` is a
//! doctest item of this crate, and every fenced block is either Rust (run) or tagged with
//! another language (not run by rustdoc, so it must say what it is).

use std::path::PathBuf;

fn book_src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../book/src")
}

#[test]
fn every_chapter_in_the_summary_is_tested() {
    let summary = std::fs::read_to_string(book_src().join("SUMMARY.md")).unwrap();
    let linked: Vec<&str> = summary
        .split("](")
        .skip(1)
        .map(|rest| &rest[..rest.find(')').unwrap()])
        .collect();
    assert!(!linked.is_empty());
    for file in &linked {
        assert!(
            activ_book::CHAPTERS.contains(file),
            "{file} is in SUMMARY.md but not in activ_book::CHAPTERS (src/lib.rs)"
        );
    }
    assert_eq!(linked.len(), activ_book::CHAPTERS.len());
}

#[test]
fn every_code_block_is_tagged_and_the_book_has_no_placeholders() {
    const ALLOWED: &[&str] = &["rust", "text", "c", "cpp", "sh", "cmake"];
    for file in activ_book::CHAPTERS {
        let text = std::fs::read_to_string(book_src().join(file)).unwrap();
        let mut inside = false;
        for (i, line) in text.lines().enumerate() {
            if let Some(tag) = line.trim_start().strip_prefix("```") {
                if !inside {
                    assert!(
                        ALLOWED.contains(&tag.trim()),
                        "{file}:{}: code block tagged {tag:?}; use one of {ALLOWED:?}",
                        i + 1
                    );
                }
                inside = !inside;
            }
        }
        assert!(!inside, "{file}: unclosed code block");
        for word in ["TODO", "FIXME", "TBD", "XXX", "placeholder"] {
            assert!(!text.contains(word), "{file} contains {word}");
        }
    }
}
