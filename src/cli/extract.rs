//! `docnorm extract FILE`: the cleaned main text of one file on stdout, for a quick look and for
//! extraction benchmarks. Runs decode → extract → clean, so what it prints is what `run` would
//! hand to the normalise stage.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::cli::ExitCode;
use crate::config::Config;
use crate::document::RawInput;
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The file to read (HTML or text).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Settings file [default: config/pipeline.toml when it exists, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print the metadata (title, author, published, url, site name, description) as a JSON line
    /// before the text.
    #[arg(long)]
    pub metadata: bool,
}

/// Exit status when the file yields no document (the reject is reported on stderr).
const REJECTED: ExitCode = 1;

pub fn execute(args: ExtractArgs) -> Result<ExitCode> {
    let config = Config::load(args.config.as_deref())?;
    let pipeline = Pipeline::new(&config)?;
    let bytes =
        std::fs::read(&args.file).map_err(|e| Error::io("cannot read", args.file.clone(), e))?;
    let raw = RawInput {
        source: args.file.display().to_string(),
        extension: args
            .file
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase()),
        bytes,
        ..RawInput::default()
    };
    let doc = match pipeline.process_until(&raw, "clean") {
        Ok(doc) => doc,
        Err(reject) => {
            eprintln!(
                "docnorm: {}: {} ({})",
                reject.source, reject.reason, reject.detail
            );
            return Ok(REJECTED);
        }
    };
    let mut out = std::io::stdout().lock();
    let written = (|| -> std::io::Result<()> {
        if args.metadata {
            let meta = serde_json::json!({
                "title": doc.title, "author": doc.author, "published": doc.published,
                "url": doc.url, "site_name": doc.site_name, "description": doc.description,
            });
            writeln!(out, "{meta}")?;
        }
        if !doc.text.is_empty() {
            writeln!(out, "{}", doc.text)?;
        }
        out.flush()
    })();
    match written {
        Ok(()) => Ok(0),
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(Error::io("cannot write", "stdout", e)),
    }
}
