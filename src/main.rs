//! The `docnorm` binary: parse the command line, run, report an error once.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DOCNORM_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = docnorm::cli::Cli::parse();
    match docnorm::cli::dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("docnorm: error: {err}");
            ExitCode::from(match err {
                docnorm::Error::Usage(_) | docnorm::Error::Config(_) => 2,
                docnorm::Error::Io { .. } | docnorm::Error::Output { .. } => 1,
            })
        }
    }
}
