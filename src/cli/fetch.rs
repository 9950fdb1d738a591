//! `docnorm fetch`: downloads a URL list into the raw folder, with a sidecar beside each body.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::cli::ExitCode;
use crate::config::Config;
use crate::document::Reject;
use crate::error::{Error, Result};
use crate::sinks::AtomicFile;
use crate::sinks::jsonl::write_line;
use crate::sources::fetch::{self, FetchReport, store::FETCH_REJECTS};

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// File of URLs, one a line; blank lines and lines starting with `#` are ignored.
    #[arg(long, value_name = "FILE")]
    pub urls: PathBuf,
    /// Folder the bodies and their sidecars are stored in.
    #[arg(long, value_name = "DIR", default_value = "raw")]
    pub raw: PathBuf,
    /// Settings file [default: config/pipeline.toml when it exists, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Never show a progress bar, even on a terminal.
    #[arg(long)]
    pub no_progress: bool,
}

pub fn execute(args: FetchArgs) -> Result<ExitCode> {
    let config = Config::load(args.config.as_deref())?;
    let report = fetch_urls(&config, &args.urls, &args.raw, !args.no_progress)?;
    write_rejects(&args.raw.join(FETCH_REJECTS), &report.rejects())?;
    eprintln!(
        "docnorm fetch: {} → {} (failures in {FETCH_REJECTS})",
        report.summary_line(),
        args.raw.display()
    );
    Ok(0)
}

/// Reads the list and fetches it: shared with `docnorm run --urls`.
pub fn fetch_urls(config: &Config, urls: &Path, raw: &Path, progress: bool) -> Result<FetchReport> {
    let settings = &config.settings.fetch;
    settings.validate(&config.origin)?;
    let list = fetch::read_url_list(urls)?;
    fetch::fetch_all(settings, list, raw, progress)
}

/// The failures of this fetch, one JSON object a line, replacing the previous fetch's.
fn write_rejects(path: &Path, rejects: &[Reject]) -> Result<()> {
    let io = |e| Error::io("cannot write", path, e);
    let mut file = AtomicFile::create(path).map_err(io)?;
    for reject in rejects {
        write_line(&mut file, reject).map_err(io)?;
    }
    file.finish().map_err(io)?.commit().map_err(io)
}
