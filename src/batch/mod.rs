//! Batches: one document per row of a sheet, or per file of a folder (issue 4).
//!
//! - [`source`]: rows from a workbook, CSV, JSON Lines, YAML/JSON list or folder of data files,
//!   with repeated items joined from a second sheet or file; `table` finds a table's header
//!   row and makes its rows records, `sheet` reads workbooks, `csvfile` CSV files, and
//!   [`formats`] the other formats; [`odsscan`] measures an `.ods` before calamine expands its
//!   repeated rows;
//! - [`lock`]: one batch at a time per output folder;
//! - [`names`] (at the crate's root since issue 20): output names made safe and unique;
//! - [`manifest`]: `manifest.json`, the hashes that decide what is rebuilt, and the journal that
//!   lets an interrupted run be picked up;
//! - [`run`](mod@run): the run itself — rows streamed to a rayon pool that shares the layout and
//!   fonts, per-row isolation of failures, summary, what happens told to the caller's
//!   [`Progress`]; `prepare` (a row's template, layout, name, hash) and `build` (render and
//!   write, rows spooled in order) are its two halves;
//! - `merge`: `--merge all.pdf`, every document in one PDF, each from an odd page;
//! - [`prune`]: files of rows that left the source or were renamed (`--prune`).
mod build;
mod cellrefs;
pub(crate) mod csvfile;
pub mod formats;
pub mod lock;
pub mod manifest;
mod merge;
// Moved to the crate's root (`render` and `serve` name files too); the old path still works.
pub use crate::names;
pub mod odsscan;
mod prepare;
pub mod prune;
pub mod run;
mod sheet;
pub mod source;
mod table;

pub use run::{BatchOptions, Progress, Silent, Summary, run};
