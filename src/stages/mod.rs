//! The per-document stages, in pipeline order: decode → extract → clean → normalise → detect.
//!
//! Each stage is built once per run from its config (compiling whatever it needs: automata,
//! selectors, models) and then applied to many documents from several threads. A stage never calls
//! another; the pipeline wires them. Whatever a stage removes or replaces it records as a
//! [`crate::Change`] on the document.

pub mod ascii;
pub mod calendar;
pub mod clean;
pub mod decode;
pub mod detect;
pub mod extract;
pub mod normalise;
pub mod pattern;

use crate::document::{Document, Reject};

/// A transform from a document to a document, or to a reject.
pub trait Stage: Send + Sync {
    /// The stage's name as it appears in `changes[].stage`.
    fn name(&self) -> &'static str;
    fn apply(&self, doc: Document) -> Result<Document, Reject>;
}
