//! libFuzzer entry for [`gongwen_fuzz::targets::layout_file`].
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| gongwen_fuzz::targets::layout_file(data));
