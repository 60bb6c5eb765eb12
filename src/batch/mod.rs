//! Batches: one document per row of a sheet, or per file of a folder (issue 4).
//!
//! - [`source`]: rows from a workbook, CSV, JSON Lines, YAML/JSON list or folder of data files,
//!   with repeated items joined from a second sheet or file; `table` finds a table's header
//!   row and makes its rows records, `sheet` reads workbooks, `csvfile` CSV files, and
//!   [`formats`] the other formats;
//! - [`names`]: output names made safe and unique;
//! - [`manifest`]: `manifest.json`, the hashes that decide what is rebuilt, and the journal that
//!   lets an interrupted run be picked up;
//! - [`run`]: the run itself — rows streamed to a rayon pool that shares the layout and fonts,
//!   per-row isolation of failures, progress, summary.
mod csvfile;
pub mod formats;
pub mod manifest;
pub mod names;
pub mod run;
mod sheet;
pub mod source;
mod table;

pub use run::{BatchOptions, Progress, Summary, run};
