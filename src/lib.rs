//! docnorm: a document ingestion and normalisation pipeline.
//!
//! Sources ([`sources`]) yield raw bytes; stages ([`stages`]) turn them into a [`Document`] or a
//! [`Reject`], recording every edit as a [`Change`]; sinks ([`sinks`]) write the results in input
//! order. [`pipeline`] wires them; [`config`] holds the settings and rules, defaults compiled in.

pub mod cli;
pub mod config;
pub mod document;
pub mod error;
pub mod parallel;
pub mod pipeline;
pub mod runner;
pub mod shard;
pub mod sinks;
pub mod sources;
pub mod stages;

pub use config::Config;
pub use document::{Change, Document, Format, RawInput, Reject, RejectReason};
pub use error::{ConfigError, Error};
pub use pipeline::Pipeline;
