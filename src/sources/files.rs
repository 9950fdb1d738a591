//! The file source: walks input folders (recursively, in a stable order) and files, and reads
//! each file's bytes, within the configured size limit.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::config::InputConfig;
use crate::document::{RawInput, Reject, RejectReason};
use crate::error::Error;
use crate::sources::fetch::{self, store};

/// One file to read, with its `source` name (path relative to the input root it came from).
#[derive(Debug, Clone)]
pub struct FileEntry {
    pub path: PathBuf,
    pub source: String,
}

/// Lists every file under `inputs`, folders in file-name order, lazily. A missing input is an
/// error before anything is read; an unreadable folder entry becomes a reject.
pub fn walk(
    inputs: &[PathBuf],
    config: &InputConfig,
    exclude: Option<PathBuf>,
) -> Result<impl Iterator<Item = Result<FileEntry, Reject>> + Send + 'static, Error> {
    for input in inputs {
        if !input.exists() {
            return Err(Error::Usage(format!(
                "input {} does not exist; pass --input with a file or folder to read",
                input.display()
            )));
        }
    }
    let inputs = inputs.to_vec();
    let skip_hidden = config.skip_hidden;
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    Ok(inputs
        .into_iter()
        .flat_map(move |root| walk_root(root, skip_hidden, exclude.clone())))
}

fn walk_root(
    root: PathBuf,
    skip_hidden: bool,
    exclude: Option<PathBuf>,
) -> Box<dyn Iterator<Item = Result<FileEntry, Reject>> + Send> {
    if root.is_file() {
        let source = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| root.display().to_string());
        return Box::new(std::iter::once(Ok(FileEntry { path: root, source })));
    }
    let base = root.clone();
    let walker = walkdir::WalkDir::new(&root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            let excluded = exclude.as_ref().is_some_and(|x| {
                e.file_type().is_dir() && e.path().canonicalize().ok().as_ref() == Some(x)
            });
            // Sidecars and partial bodies of the fetcher describe inputs; they are not inputs.
            let fetch_metadata = e.file_type().is_file()
                && fetch::is_fetch_metadata(&e.file_name().to_string_lossy());
            !(excluded || fetch_metadata || (skip_hidden && hidden))
        });
    Box::new(walker.filter_map(move |entry| match entry {
        Ok(e) if e.file_type().is_file() => Some(Ok(FileEntry {
            source: relative_source(&base, e.path()),
            path: e.into_path(),
        })),
        Ok(_) => None,
        Err(err) => {
            let path = err.path().map(Path::to_path_buf).unwrap_or(base.clone());
            Some(Err(Reject::new(
                relative_source(&base, &path),
                RejectReason::Unreadable,
                err.to_string(),
            )))
        }
    }))
}

/// `path` relative to `root`, with `/` separators whatever the platform.
fn relative_source(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        path.display().to_string()
    } else {
        parts.join("/")
    }
}

/// Opens files ahead of their readers and asks the OS to start reading them into memory, so
/// that a worker's [`read_prefetched`] a moment later finds the bytes there instead of waiting on
/// the disk: one worker waits for one file at a time, but the walker runs ahead of them and so
/// keeps many reads queued. The open file and its size travel on to the reader, which then needs
/// neither an open nor a stat of its own: half the system calls per file, which on this VM's
/// plain-text run was 11% of the CPU time.
pub struct Prefetcher {
    max_bytes: u64,
    max_held: usize,
    held: Arc<AtomicUsize>,
}

/// How many prefetched files may be open at once, at most: each worker has about 32 inputs in
/// flight, so this covers 8 workers. Past it a prefetch closes its file again and the reader
/// opens it anew.
const MAX_HELD_FILES: usize = 256;

/// A quarter of the open files the process may have (so that the walker's folders, the workers'
/// own opens and the outputs always find room), and at most [`MAX_HELD_FILES`].
fn max_held_files() -> usize {
    #[cfg(unix)]
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
    #[cfg(not(unix))]
    let limit: Option<u64> = None;
    let quarter = limit.map_or(MAX_HELD_FILES, |n| {
        usize::try_from(n / 4).unwrap_or(usize::MAX)
    });
    quarter.min(MAX_HELD_FILES)
}

/// A file opened by [`Prefetcher::prefetch`], with its size then.
pub struct Prefetched {
    file: File,
    len: u64,
    _slot: HeldSlot,
}

/// One of the prefetcher's held files, given back when the file is closed.
struct HeldSlot(Arc<AtomicUsize>);

impl Drop for HeldSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Prefetcher {
    pub fn new(config: &InputConfig) -> Prefetcher {
        Prefetcher {
            max_bytes: config.max_bytes,
            max_held: max_held_files(),
            held: Arc::default(),
        }
    }

    /// Best effort: a file that cannot be opened or sized is left for the read to report.
    pub fn prefetch(&self, entry: &FileEntry) -> Option<Prefetched> {
        let file = File::open(&entry.path).ok()?;
        let len = file.metadata().ok()?.len();
        // A file over the limit is refused unread: nothing to fetch.
        #[cfg(unix)]
        if len <= self.max_bytes {
            use rustix::fs::{Advice, fadvise};
            let _ = fadvise(&file, 0, None, Advice::WillNeed);
        }
        if self.held.fetch_add(1, Ordering::Relaxed) >= self.max_held {
            self.held.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        Some(Prefetched {
            file,
            len,
            _slot: HeldSlot(Arc::clone(&self.held)),
        })
    }
}

/// Reads one file's bytes, refusing files over the size limit before reading them.
pub fn read(entry: &FileEntry, config: &InputConfig) -> Result<RawInput, Reject> {
    read_prefetched(entry, None, config)
}

/// [`read`], from the file [`Prefetcher::prefetch`] opened when there is one.
pub fn read_prefetched(
    entry: &FileEntry,
    prefetched: Option<Prefetched>,
    config: &InputConfig,
) -> Result<RawInput, Reject> {
    let unreadable =
        |e: std::io::Error| Reject::new(&entry.source, RejectReason::Unreadable, e.to_string());
    let (file, len) = match prefetched {
        Some(p) => (p.file, p.len),
        None => {
            let file = File::open(&entry.path).map_err(unreadable)?;
            let len = file.metadata().map_err(unreadable)?.len();
            (file, len)
        }
    };
    let too_large = |n: u64| {
        Reject::new(
            &entry.source,
            RejectReason::TooLarge,
            format!(
                "{n} bytes; the limit is {} (input.max_bytes)",
                config.max_bytes
            ),
        )
    };
    if len > config.max_bytes {
        return Err(too_large(len));
    }
    let bytes = read_bytes(&file, len, config.max_bytes).map_err(unreadable)?;
    if bytes.len() as u64 > config.max_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    let raw = RawInput {
        source: entry.source.clone(),
        extension: entry
            .path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase()),
        bytes,
        ..RawInput::default()
    };
    with_fetch_sidecar(raw, &entry.path)
}

/// A file's bytes, `len` (its size when opened) of them in one read where the file has not
/// changed since, never more than `limit + 1`: a file that grows while we read is still bounded.
fn read_bytes(mut file: &File, len: u64, limit: u64) -> std::io::Result<Vec<u8>> {
    // One byte of room past the size: a read that fills it means the file has grown.
    let room = len.min(limit) as usize + 1;
    let mut bytes = vec![0; room];
    let mut filled = 0;
    while filled < room {
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        // A short read that brings all the bytes the size promised is the end of the file, as
        // read_to_end's last read of 0 bytes would say, without that read.
        if filled as u64 >= len && filled < room {
            break;
        }
    }
    bytes.truncate(filled);
    if filled == room {
        file.take(limit + 1 - filled as u64)
            .read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// A fetched body carries its URLs and Content-Type (whose charset decides decoding) from its
/// sidecar; its `source` is the URL that was asked for, as in the fetch's rejects.
fn with_fetch_sidecar(mut raw: RawInput, path: &Path) -> Result<RawInput, Reject> {
    let sidecar = store::read_sidecar(path).map_err(|e| {
        let detail = format!("its fetch sidecar cannot be read: {e}");
        Reject::new(&raw.source, RejectReason::Unreadable, detail)
    })?;
    if let Some(s) = sidecar {
        raw.source = s.requested_url.clone();
        raw.url = Some(s.final_url);
        raw.requested_url = Some(s.requested_url);
        raw.content_type = s.content_type;
        raw.extension = None;
    }
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_folders_in_name_order_with_relative_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/c")).unwrap();
        for p in ["z.txt", "a.txt", "b/c/d.html", ".hidden", "b/.git/x"] {
            if let Some(parent) = root.join(p).parent() {
                std::fs::create_dir_all(parent).unwrap();
            }
            std::fs::write(root.join(p), "x").unwrap();
        }
        let sources: Vec<String> = walk(&[root.to_path_buf()], &InputConfig::default(), None)
            .unwrap()
            .map(|e| e.unwrap().source)
            .collect();
        assert_eq!(sources, ["a.txt", "b/c/d.html", "z.txt"]);
    }

    fn entry_in(dir: &Path, name: &str) -> FileEntry {
        FileEntry {
            path: dir.join(name),
            source: name.to_string(),
        }
    }

    #[test]
    fn a_prefetched_file_reads_as_an_unprefetched_one() {
        let dir = tempfile::tempdir().unwrap();
        let config = InputConfig::default();
        let prefetcher = Prefetcher::new(&config);
        for (name, bytes) in [("a.txt", &b"bytes as they are"[..]), ("empty.txt", b"")] {
            std::fs::write(dir.path().join(name), bytes).unwrap();
            let entry = entry_in(dir.path(), name);
            let prefetched = prefetcher.prefetch(&entry);
            assert!(prefetched.is_some());
            let raw = read_prefetched(&entry, prefetched, &config).unwrap();
            assert_eq!(raw.bytes, bytes);
            assert_eq!(read(&entry, &config).unwrap().bytes, bytes);
        }
        // A file that cannot be opened is the read's to report, not the prefetch's.
        let missing = entry_in(dir.path(), "missing.txt");
        assert!(prefetcher.prefetch(&missing).is_none());
        let reject = read_prefetched(&missing, None, &config).unwrap_err();
        assert_eq!(reject.reason, RejectReason::Unreadable);
    }

    #[test]
    fn a_file_changed_after_its_prefetch_is_read_as_it_is_then() {
        let dir = tempfile::tempdir().unwrap();
        let config = InputConfig {
            max_bytes: 20,
            ..InputConfig::default()
        };
        let prefetcher = Prefetcher::new(&config);
        let path = dir.path().join("a.txt");
        let entry = entry_in(dir.path(), "a.txt");
        let read_after = |before: &str, after: &str| {
            std::fs::write(&path, before).unwrap();
            let prefetched = prefetcher.prefetch(&entry);
            std::fs::write(&path, after).unwrap();
            read_prefetched(&entry, prefetched, &config)
        };
        assert_eq!(
            read_after("short", "longer now").unwrap().bytes,
            b"longer now"
        );
        assert_eq!(read_after("longer then", "short").unwrap().bytes, b"short");
        // Grown past the limit: still refused, and never read past one byte over it.
        let reject = read_after("small", &"x".repeat(1000)).unwrap_err();
        assert_eq!(reject.reason, RejectReason::TooLarge);
        assert!(reject.detail.starts_with("21 bytes"), "{}", reject.detail);
    }

    #[test]
    fn prefetches_past_the_open_file_budget_leave_the_open_to_the_read() {
        let dir = tempfile::tempdir().unwrap();
        let config = InputConfig::default();
        let prefetcher = Prefetcher {
            max_held: 3,
            ..Prefetcher::new(&config)
        };
        let entries: Vec<FileEntry> = (0..5)
            .map(|i| {
                std::fs::write(dir.path().join(format!("{i}.txt")), format!("file {i}")).unwrap();
                entry_in(dir.path(), &format!("{i}.txt"))
            })
            .collect();
        let mut held: Vec<Option<Prefetched>> =
            entries.iter().map(|e| prefetcher.prefetch(e)).collect();
        let count = |held: &[Option<Prefetched>]| held.iter().filter(|p| p.is_some()).count();
        assert_eq!(count(&held), 3);
        // Reading a held file closes it and frees its place for the next prefetch.
        let raw = read_prefetched(&entries[0], held[0].take(), &config).unwrap();
        assert_eq!(raw.bytes, b"file 0");
        assert!(prefetcher.prefetch(&entries[4]).is_some());
        for (entry, prefetched) in entries.iter().zip(held) {
            let want = std::fs::read(&entry.path).unwrap();
            assert_eq!(
                read_prefetched(entry, prefetched, &config).unwrap().bytes,
                want
            );
        }
        assert_eq!(prefetcher.held.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn the_output_folder_is_not_read_as_input() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("out")).unwrap();
        std::fs::write(dir.path().join("out/documents.jsonl"), "{}").unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        let out = Some(dir.path().join("out"));
        let n = walk(&[dir.path().to_path_buf()], &InputConfig::default(), out)
            .unwrap()
            .count();
        assert_eq!(n, 1);
    }

    #[test]
    fn oversized_files_are_rejected_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, vec![b'a'; 100]).unwrap();
        let config = InputConfig {
            max_bytes: 10,
            ..InputConfig::default()
        };
        let entry = FileEntry {
            path,
            source: "big.txt".into(),
        };
        let reject = read(&entry, &config).unwrap_err();
        assert_eq!(reject.reason, RejectReason::TooLarge);
        assert!(reject.detail.starts_with("100 bytes"), "{}", reject.detail);
    }

    #[test]
    fn fetched_bodies_take_urls_and_content_type_from_their_sidecar() {
        let dir = tempfile::tempdir().unwrap();
        let url = reqwest::Url::parse("http://h/page").unwrap();
        let body = store::body_path(dir.path(), &url);
        std::fs::create_dir_all(body.parent().unwrap()).unwrap();
        std::fs::write(&body, b"\xcf\xf0\xe8").unwrap();
        let sidecar = store::Sidecar {
            requested_url: "http://h/page".into(),
            final_url: "http://h/final".into(),
            status: 200,
            content_type: Some("text/plain; charset=windows-1251".into()),
            etag: None,
            last_modified: None,
            content_encoding: None,
            fetched_at: "2026-01-01T00:00:00Z".into(),
            revalidated_at: None,
            bytes: 3,
            sha256: crate::document::sha256_hex(b"\xcf\xf0\xe8"),
        };
        store::write_sidecar(&body, &sidecar).unwrap();
        let entries: Vec<FileEntry> =
            walk(&[dir.path().to_path_buf()], &InputConfig::default(), None)
                .unwrap()
                .map(Result::unwrap)
                .collect();
        assert_eq!(entries.len(), 1, "only the body is an input: {entries:?}");
        let raw = read(&entries[0], &InputConfig::default()).unwrap();
        assert_eq!(raw.source, "http://h/page");
        assert_eq!(raw.url.as_deref(), Some("http://h/final"));
        assert_eq!(raw.requested_url.as_deref(), Some("http://h/page"));
        assert_eq!(raw.content_type, sidecar.content_type);
        std::fs::write(store::sidecar_path(&body).unwrap(), "{not json").unwrap();
        let reject = read(&entries[0], &InputConfig::default()).unwrap_err();
        assert_eq!(reject.reason, RejectReason::Unreadable);
    }

    #[test]
    fn a_missing_input_is_an_error_up_front() {
        let err = walk(
            &[PathBuf::from("/no/such/place")],
            &InputConfig::default(),
            None,
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("/no/such/place"));
    }
}
