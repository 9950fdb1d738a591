//! Sinks: where finished documents and rejects go, in input order. Each writes to a temporary file
//! beside its target and renames it into place only when the whole run has succeeded, so a killed
//! run never leaves a truncated file that looks complete.

pub mod csv;
pub mod journal;
pub mod jsonl;
pub mod merge;
pub mod output_dir;
pub mod record;
pub mod summary;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::document::{Document, Reject};

/// Receives every outcome of a run, in input order.
pub trait Sink {
    fn document(&mut self, doc: &Document) -> io::Result<()>;
    fn reject(&mut self, reject: &Reject) -> io::Result<()>;
}

/// A file written under a temporary name (`.NAME.partial`) and renamed to `NAME` by [`commit`].
///
/// [`commit`]: AtomicFile::commit
pub struct AtomicFile {
    writer: BufWriter<File>,
    temp: PathBuf,
    target: PathBuf,
    /// Bytes in the temporary file once everything written so far is flushed.
    written: u64,
}

/// The temporary name of an output file: hidden, beside it.
pub fn partial_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.partial"))
}

impl AtomicFile {
    /// Starts a new temporary file, replacing any left by an earlier run.
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let temp = partial_path(target);
        // A symlink planted at the temporary name must not redirect our writes.
        if temp.symlink_metadata().is_ok() {
            std::fs::remove_file(&temp)?;
        }
        let file = File::options().write(true).create_new(true).open(&temp)?;
        Ok(AtomicFile::wrap(file, temp, target, 0))
    }

    /// Reopens the temporary file an interrupted run left, cut back to `len` bytes (its last
    /// checkpoint), to append to it.
    pub fn resume(target: &Path, len: u64) -> io::Result<AtomicFile> {
        let temp = partial_path(target);
        let meta = temp.symlink_metadata()?;
        if !meta.file_type().is_file() || meta.len() < len {
            return Err(io::Error::other(format!(
                "{} is not the file the journal describes",
                temp.display()
            )));
        }
        let mut file = File::options().write(true).open(&temp)?;
        file.set_len(len)?;
        io::Seek::seek(&mut file, io::SeekFrom::End(0))?;
        Ok(AtomicFile::wrap(file, temp, target, len))
    }

    fn wrap(file: File, temp: PathBuf, target: &Path, written: u64) -> AtomicFile {
        AtomicFile {
            writer: BufWriter::with_capacity(1 << 16, file),
            temp,
            target: target.to_path_buf(),
            written,
        }
    }

    /// Bytes written so far (all of them on disk after a flush).
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Flushes and syncs the temporary file; the rename happens in [`AtomicFile::commit`].
    pub fn finish(mut self) -> io::Result<PendingRename> {
        self.writer.flush()?;
        let file = self
            .writer
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        file.sync_all()?;
        Ok(PendingRename {
            temp: self.temp,
            target: self.target,
        })
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.writer.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// A finished temporary file waiting to replace its target.
#[must_use]
pub struct PendingRename {
    temp: PathBuf,
    target: PathBuf,
}

impl PendingRename {
    pub fn commit(self) -> io::Result<()> {
        std::fs::rename(&self.temp, &self.target)
    }
}
