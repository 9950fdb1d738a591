//! Extract stage on arbitrary text as an HTML page (the bytes read as UTF-8, lossily): never a
//! panic, never a stack overflow.
#![no_main]

use docnorm::stages::Stage;
use docnorm::stages::extract::{Extract, ExtractConfig};
use docnorm::{Document, Format};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn extract() -> &'static Extract {
    static EXTRACT: OnceLock<Extract> = OnceLock::new();
    EXTRACT.get_or_init(|| Extract::new(&ExtractConfig::default()))
}

fuzz_target!(|bytes: &[u8]| {
    let doc = Document {
        source: "fuzz".into(),
        format: Format::Html,
        text: String::from_utf8_lossy(bytes).into_owned(),
        ..Document::default()
    };
    let _ = extract().apply(doc);
});
