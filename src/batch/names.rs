//! Output file names for batches (filled in by the batch work).
