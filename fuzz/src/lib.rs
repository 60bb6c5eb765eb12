//! Fuzz targets for gongwen: each takes any bytes and must neither panic nor produce an invalid
//! file. The functions live in `targets.rs`, which `tests/all/fuzz_regressions.rs` also includes, so
//! the corpus and every regression replay in `cargo test --release` without libFuzzer.

pub mod targets;
