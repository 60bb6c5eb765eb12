//! Batches: one document per row of a sheet, or per file of a folder (issue 4).
pub mod names;
pub mod source;
