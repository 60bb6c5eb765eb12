//! libFuzzer entry for [`gongwen_fuzz::targets::docx`].
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| gongwen_fuzz::targets::docx(data));
