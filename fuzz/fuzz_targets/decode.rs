//! Decode stage on arbitrary bytes, as a plain-text and as an HTML file: never a panic, and a
//! document's text is always clean (no control characters but `\n` and `\t`).
#![no_main]

use docnorm::RawInput;
use docnorm::stages::decode::{Decode, DecodeConfig};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn decode() -> &'static Decode {
    static DECODE: OnceLock<Decode> = OnceLock::new();
    DECODE.get_or_init(|| Decode::new(&DecodeConfig::default()))
}

fuzz_target!(|bytes: &[u8]| {
    for extension in ["txt", "html"] {
        let raw = RawInput {
            source: "fuzz".into(),
            extension: Some(extension.into()),
            bytes: bytes.to_vec(),
            ..RawInput::default()
        };
        match decode().apply(&raw) {
            Ok(doc) => assert!(
                !doc.text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
                "control character in decoded text"
            ),
            Err(reject) => assert!(!reject.detail.is_empty()),
        }
    }
});
