//! The pipeline: the stages, compiled once from a config and wired in order. A run over many
//! inputs is [`crate::runner`]'s job.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::config::Config;
use crate::document::{Document, PipelineInfo, RawInput, Reject, RejectReason};
use crate::error::ConfigError;
use crate::stages::Stage;
use crate::stages::{
    clean::Clean, decode::Decode, detect::Detect, extract::Extract, normalise::Normalise,
};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The stages, compiled once from a config, applied to many documents from many threads.
pub struct Pipeline {
    decode: Decode,
    stages: Vec<Box<dyn Stage>>,
    info: PipelineInfo,
}

/// What became of one input.
#[derive(Debug)]
pub enum Outcome {
    Document(Box<Document>),
    Reject { reject: Reject, bytes: u64 },
}

impl Pipeline {
    pub fn new(config: &Config) -> Result<Pipeline, ConfigError> {
        let s = &config.settings;
        let stages: Vec<Box<dyn Stage>> = vec![
            Box::new(Extract::with_hints(&s.extract, &config.extract_hints)?),
            Box::new(Clean::new(&s.clean, &config.boilerplate)?),
            Box::new(Normalise::new(&s.normalise, &config.variants)?),
            Box::new(Detect::new(&s.detect)?),
        ];
        Ok(Pipeline {
            decode: Decode::new(&s.decode),
            stages,
            info: PipelineInfo {
                version: VERSION.to_string(),
                config_sha256: config.sha256(),
            },
        })
    }

    /// Runs every stage on one input. A panic inside a stage becomes an `internal error` reject.
    pub fn process(&self, raw: RawInput) -> Outcome {
        let bytes = raw.bytes.len() as u64;
        let source = raw.source.clone();
        let result = catch_unwind(AssertUnwindSafe(|| self.run_stages(&raw)));
        let result = result.unwrap_or_else(|panic| {
            Err(Reject::new(
                source,
                RejectReason::InternalError,
                panic_message(panic.as_ref()),
            ))
        });
        match result {
            Ok(doc) => Outcome::Document(Box::new(doc)),
            Err(reject) => Outcome::Reject { reject, bytes },
        }
    }

    fn run_stages(&self, raw: &RawInput) -> Result<Document, Reject> {
        self.run_stages_until(raw, None)
    }

    /// Runs the stages up to and including `last` (by name), for tools such as `docnorm extract`.
    pub fn process_until(&self, raw: &RawInput, last: &str) -> Result<Document, Reject> {
        self.run_stages_until(raw, Some(last))
    }

    fn run_stages_until(&self, raw: &RawInput, last: Option<&str>) -> Result<Document, Reject> {
        let mut doc = self.decode.apply(raw)?;
        for stage in &self.stages {
            doc = stage.apply(doc)?;
            if Some(stage.name()) == last {
                break;
            }
        }
        doc.finish();
        doc.pipeline = self.info.clone();
        Ok(doc)
    }

    pub fn info(&self) -> &PipelineInfo {
        &self.info
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        format!("panic: {s}")
    } else if let Some(s) = panic.downcast_ref::<String>() {
        format!("panic: {s}")
    } else {
        "panic with a non-text payload".to_string()
    }
}
