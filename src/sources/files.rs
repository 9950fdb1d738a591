//! The file source: walks input folders (recursively, in a stable order) and files, and reads
//! each file's bytes, within the configured size limit.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

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

/// Asks the OS to start reading a file into memory, so that a worker's [`read`] of it a moment
/// later finds it there instead of waiting on the disk: one worker waits for one file at a time,
/// but the walker runs ahead of them and so keeps many reads queued. Best effort: any error here
/// is left for `read` to report.
pub fn prefetch(entry: &FileEntry, config: &InputConfig) {
    #[cfg(unix)]
    if let Ok(file) = File::open(&entry.path)
        // A file over the limit is refused unread: nothing to fetch.
        && file.metadata().is_ok_and(|m| m.len() <= config.max_bytes)
    {
        use rustix::fs::{Advice, fadvise};
        let _ = fadvise(&file, 0, None, Advice::WillNeed);
    }
    #[cfg(not(unix))]
    let _ = (entry, config);
}

/// Reads one file's bytes, refusing files over the size limit before reading them.
pub fn read(entry: &FileEntry, config: &InputConfig) -> Result<RawInput, Reject> {
    let unreadable =
        |e: std::io::Error| Reject::new(&entry.source, RejectReason::Unreadable, e.to_string());
    let file = File::open(&entry.path).map_err(unreadable)?;
    let len = file.metadata().map_err(unreadable)?.len();
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
    // Read at most one byte past the limit: a file that grows while we read is still bounded.
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(config.max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
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

    #[test]
    fn a_prefetch_changes_nothing_a_read_then_sees() {
        let dir = tempfile::tempdir().unwrap();
        let config = InputConfig::default();
        let entry = |name: &str| FileEntry {
            path: dir.path().join(name),
            source: name.to_string(),
        };
        std::fs::write(dir.path().join("a.txt"), "bytes as they are").unwrap();
        prefetch(&entry("a.txt"), &config);
        assert_eq!(
            read(&entry("a.txt"), &config).unwrap().bytes,
            b"bytes as they are"
        );
        // A file that cannot be opened is the read's to report, not the prefetch's.
        prefetch(&entry("missing.txt"), &config);
        let reject = read(&entry("missing.txt"), &config).unwrap_err();
        assert_eq!(reject.reason, RejectReason::Unreadable);
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
