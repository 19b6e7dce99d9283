//! Test-only crate: runs the Rust examples of the book (`book/src/*.md`) as doctests.
//!
//! Each chapter is the documentation of a `#[cfg(doctest)]` item, so `cargo test` compiles
//! and runs every `rust` block in it. A failure is reported as
//! `<Chapter>Chapter (line N)`, where N − (the line of that chapter's `#[doc]` attribute
//! below) + 1 is the line in the Markdown file. Blocks in other languages are tagged (`text`,
//! `c`, `sh`, …) and not run here; the C examples are compiled and run by
//! `ffi-tests/tests/book_c.rs`. `tests/chapters.rs` checks that every chapter of
//! `book/src/SUMMARY.md` is listed in [`CHAPTERS`] and that no Rust block is left untested.

/// The chapters whose examples run as doctests, in book order.
pub const CHAPTERS: &[&str] = &[
    "introduction.md",
    "floating-point.md",
    "logistic.md",
    "rectifiers.md",
    "smooth.md",
    "hard.md",
    "softmax.md",
    "gradients.md",
    "performance.md",
    "using.md",
];

#[cfg(doctest)]
#[doc = include_str!("../../../book/src/introduction.md")]
pub struct IntroductionChapter;

#[cfg(doctest)]
#[doc = include_str!("../../../book/src/floating-point.md")]
pub struct FloatingPointChapter;

#[cfg(doctest)]
#[doc = include_str!("../../../book/src/logistic.md")]
pub struct LogisticChapter;

#[cfg(doctest)]
#[doc = include_str!("../../../book/src/rectifiers.md")]
pub struct RectifiersChapter;

#[cfg(doctest)]
#[doc = include_str!("../../../book/src/smooth.md")]
pub struct SmoothChapter;

#[cfg(doctest)]
#[doc = include_str!("../../../book/src/hard.md")]
pub struct HardChapter;

#[cfg(doctest)]
#[doc = include_str!("../../../book/src/softmax.md")]
pub struct SoftmaxChapter;

#[cfg(doctest)]
#[doc = include_str!("../../../book/src/gradients.md")]
pub struct GradientsChapter;

#[cfg(doctest)]
#[doc = include_str!("../../../book/src/performance.md")]
pub struct PerformanceChapter;

#[cfg(doctest)]
#[doc = include_str!("../../../book/src/using.md")]
pub struct UsingChapter;
