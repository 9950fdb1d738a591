//! The progress journal of a run, `.docnorm-journal.json` in the output folder: how many inputs
//! are in the temporary outputs and how long each temporary file was at that checkpoint, so that
//! `docnorm run --resume` after a killed run continues from there and ends byte-identical to an
//! uninterrupted run.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::sinks::summary::Summary;

pub const JOURNAL_FILE: &str = ".docnorm-journal.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Journal {
    pub docnorm_version: String,
    pub config_sha256: String,
    /// Inputs whose outcome is in the temporary outputs, counted in input order.
    pub done: u64,
    /// A hash chained over the sources of those inputs, to check the inputs did not change.
    pub inputs_sha256: String,
    /// Length in bytes of each temporary output at this checkpoint, by output file name.
    pub lengths: Vec<(String, u64)>,
    pub summary: Summary,
}

impl Journal {
    /// The journal an interrupted run left at `path`, if there is a readable one.
    pub fn load(path: &Path) -> Option<Journal> {
        let text = std::fs::read_to_string(path).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Writes the journal atomically: a kill leaves the previous checkpoint or this one.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let mut temp = path.as_os_str().to_owned();
        temp.push(".tmp");
        let temp = PathBuf::from(temp);
        let json = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        // A symlink planted at the temporary name must not redirect the write: replace it.
        if temp.symlink_metadata().is_ok() {
            std::fs::remove_file(&temp)?;
        }
        let mut file = std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        std::io::Write::write_all(&mut file, &json)?;
        drop(file);
        std::fs::rename(temp, path)
    }

    pub fn remove(path: &Path) -> std::io::Result<()> {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// The next link of the chain of input sources.
pub fn chain(previous: &str, source: &str) -> String {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update([0u8]);
    h.update(source.as_bytes());
    hex::encode(h.finalize())
}
