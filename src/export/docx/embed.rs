//! Font embedding in the DOCX (filled in by the --embed-fonts work).
