//! Row sources for batches (filled in by the batch work).
