//! `docnorm detect-language`: one text a line on stdin, one ISO 639-1 code a line on stdout.

use std::io::{BufRead, LineWriter, Write};
use std::path::PathBuf;

use clap::Args;

use crate::cli::ExitCode;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::stages::detect::Detect;

#[derive(Debug, Args)]
pub struct DetectLanguageArgs {
    /// Settings file; its `[detect]` section applies (default: config/pipeline.toml if it exists).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Candidate languages, comma-separated ISO 639-1 codes; overrides `[detect] languages`.
    #[arg(long, value_delimiter = ',')]
    pub languages: Vec<String>,
}

pub fn execute(args: DetectLanguageArgs) -> Result<ExitCode> {
    let mut settings = Config::load(args.config.as_deref())?.settings.detect;
    if !args.languages.is_empty() {
        settings.languages = args.languages;
    }
    let detect = Detect::new(&settings)?;
    let stdin = std::io::stdin().lock();
    // Line-buffered: each answer leaves as soon as its line is read, so a pipe can stream.
    let mut out = LineWriter::new(std::io::stdout().lock());
    let result = label_lines(&detect, stdin, &mut out);
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(Error::io(
            "cannot stream languages between stdin and",
            "stdout",
            e,
        )),
        Ok(()) => Ok(0),
    }
}

/// Writes one code per input line; a line that is not UTF-8 is read with replacement characters.
fn label_lines(
    detect: &Detect,
    mut input: impl BufRead,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let (detection, _) = detect.detect_text(text.trim_end_matches(['\n', '\r']));
        writeln!(out, "{}", detection.code())?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::detect::DetectConfig;

    #[test]
    fn one_code_per_line_in_order_und_when_unsure() {
        let detect = Detect::new(&DetectConfig::default()).unwrap();
        let input = "The committee will publish its report next week.\n\n42\nКомитет опубликует свой доклад на следующей неделе.\n";
        let mut out = Vec::new();
        label_lines(&detect, input.as_bytes(), &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "en\nund\nund\nru\n");
    }
}
