//! The integration tests, one crate (one link of the library) with a module per area, as
//! ripgrep's tests/ are. `cargo test --release --test all MODULE::` runs one module.

mod harness;

mod batch;
mod batch_print;
mod catalogue;
mod check;
mod cli;
mod edits;
mod elements;
mod examples;
mod explain;
mod fonts;
mod fuzz_regressions;
mod keeps;
mod kinds;
mod limits;
mod lines;
mod long;
mod pages;
mod pdf_cache;
mod preview;
mod property;
mod readback;
mod recognise;
mod reference;
mod render;
mod retype;
mod rule;
mod scripting;
mod serve;
mod sheets;
mod signals;
mod templates;
mod trust;
mod web;
mod wordin;
