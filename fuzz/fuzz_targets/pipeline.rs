//! The whole per-document pipeline (`Pipeline::process`, built-in config) on arbitrary bytes, as a
//! plain-text and as an HTML file: no input may end in an `internal error` (a caught panic).
#![no_main]

use docnorm::pipeline::Outcome;
use docnorm::{Config, Pipeline, RawInput, RejectReason};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::new(&Config::built_in().expect("built-in config")).unwrap())
}

fuzz_target!(|bytes: &[u8]| {
    for extension in ["txt", "html"] {
        let raw = RawInput {
            source: "fuzz".into(),
            extension: Some(extension.into()),
            bytes: bytes.to_vec(),
            ..RawInput::default()
        };
        match pipeline().process(raw) {
            Outcome::Document(doc) => assert!(
                !doc.text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
                "control character in the final text"
            ),
            Outcome::Reject { reject, .. } => assert!(
                reject.reason != RejectReason::InternalError,
                "internal error: {}",
                reject.detail
            ),
        }
    }
});
