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
use crate::stages::decode::Decode;
use crate::stages::extract::Extract;

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
    /// Dev only: print every text block the extractor builds, with its features, as JSON lines
    /// (for bench/extract_learn.py), instead of the text.
    #[arg(long, hide = true)]
    pub dump_blocks: bool,
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
    if args.dump_blocks {
        return dump_blocks(&config, &raw);
    }
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

/// `--dump-blocks`: the decoded page's text blocks as JSON lines.
fn dump_blocks(config: &Config, raw: &RawInput) -> Result<ExitCode> {
    let s = &config.settings;
    let doc = match Decode::new(&s.decode).apply(raw) {
        Ok(doc) => doc,
        Err(reject) => {
            eprintln!("docnorm: {}: {}", reject.source, reject.reason);
            return Ok(REJECTED);
        }
    };
    let extract = Extract::with_hints(&s.extract, &config.extract_hints)?;
    let blocks = match extract.dump_blocks(&doc.text) {
        Ok(blocks) => blocks,
        Err(detail) => {
            eprintln!("docnorm: {}: {detail}", raw.source);
            return Ok(REJECTED);
        }
    };
    let mut out = std::io::stdout().lock();
    let written = blocks.iter().try_for_each(|b| writeln!(out, "{b}"));
    written.map_err(|e| Error::io("cannot write", "stdout", e))?;
    Ok(0)
}
