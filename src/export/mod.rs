//! Writers: `Paged` → PDF, and `Document` + layout → DOCX.
pub mod docx;
pub mod pdf;
