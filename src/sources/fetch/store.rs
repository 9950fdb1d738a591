//! Where fetched bodies live inside the raw folder, and their sidecars.
//!
//! Layout: `DIR/<host>/<hash>.body` holds the bytes as the server meant them (transfer
//! compression undone), `DIR/<host>/<hash>.fetch.json` the [`Sidecar`]. `<host>` is the URL's host
//! (IDN in punycode, `_PORT` appended when a port is given) reduced to `[a-z0-9.-]`; `<hash>` is
//! 32 hex digits of the SHA-256 of the requested URL. Nothing of the URL's path reaches the file
//! system, so no URL can name a file outside DIR.

use std::io::Write;
use std::path::{Path, PathBuf};

use reqwest::Url;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Suffix of a fetched body.
pub const BODY_SUFFIX: &str = ".body";
/// Suffix of the sidecar beside a body.
pub const SIDECAR_SUFFIX: &str = ".fetch.json";
/// Suffix of a body still being written; never taken as complete.
pub const PARTIAL_SUFFIX: &str = ".part";
/// The failures of the last `docnorm fetch`, at the top of DIR.
pub const FETCH_REJECTS: &str = "fetch-rejects.jsonl";

/// Longest host folder name kept (file systems allow 255 bytes).
const MAX_HOST_DIR: usize = 100;

/// What docnorm knows about how a body was fetched; stored as JSON beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sidecar {
    pub requested_url: String,
    /// The URL after redirects.
    pub final_url: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The transfer compression the server used (`gzip`, `br`, `deflate`); the body is stored
    /// decoded unless the coding is one docnorm does not know.
    pub content_encoding: Option<String>,
    /// When the body was downloaded, RFC 3339 UTC.
    pub fetched_at: String,
    /// When a later run last found it unchanged (HTTP 304), RFC 3339 UTC.
    #[serde(default)]
    pub revalidated_at: Option<String>,
    /// Length and SHA-256 of the stored body.
    pub bytes: u64,
    pub sha256: String,
}

/// True for the files the fetcher writes beside bodies, which are not documents.
pub fn is_fetch_metadata(file_name: &str) -> bool {
    file_name.ends_with(SIDECAR_SUFFIX)
        || file_name.ends_with(PARTIAL_SUFFIX)
        || file_name == FETCH_REJECTS
}

/// The body file for `url` inside `dir`.
pub fn body_path(dir: &Path, url: &Url) -> PathBuf {
    let hash = Sha256::digest(url.as_str().as_bytes());
    dir.join(host_dir(url))
        .join(format!("{}{BODY_SUFFIX}", hex::encode(&hash[..16])))
}

/// The sidecar beside a body file, or `None` when `body` is not a body file name.
pub fn sidecar_path(body: &Path) -> Option<PathBuf> {
    let name = body.file_name()?.to_str()?;
    let stem = name.strip_suffix(BODY_SUFFIX)?;
    Some(body.with_file_name(format!("{stem}{SIDECAR_SUFFIX}")))
}

/// The temporary name a body is written under until it is complete (hidden, so never walked).
pub fn partial_path(body: &Path) -> PathBuf {
    let name = body
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    body.with_file_name(format!(".{name}{PARTIAL_SUFFIX}"))
}

/// A folder name for the URL's host: only `[a-z0-9.-_]`, never `.` or `..`, bounded in length.
fn host_dir(url: &Url) -> String {
    let host = url.host_str().unwrap_or("_");
    let mut name: String = host
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '.' | '-') => c,
            _ => '_',
        })
        .collect();
    if let Some(port) = url.port() {
        name.push_str(&format!("_{port}"));
    }
    name.truncate(MAX_HOST_DIR);
    if name.starts_with('.') || name.is_empty() {
        name.insert(0, '_');
    }
    name
}

/// Reads the sidecar beside `body`; `Ok(None)` when there is none.
pub fn read_sidecar(body: &Path) -> std::io::Result<Option<Sidecar>> {
    let Some(path) = sidecar_path(body) else {
        return Ok(None);
    };
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes the sidecar beside `body` under a temporary name, then renames it into place.
pub fn write_sidecar(body: &Path, sidecar: &Sidecar) -> std::io::Result<()> {
    let path = sidecar_path(body).expect("body paths come from body_path");
    let tmp = partial_path(&path);
    let mut file = std::fs::File::create(&tmp)?;
    serde_json::to_writer_pretty(&mut file, sidecar).map_err(std::io::Error::other)?;
    file.write_all(b"\n")?;
    file.sync_all()?;
    std::fs::rename(&tmp, &path)
}

/// The stored sidecar of `body`, only when the body on disk is the one it describes (a body
/// replaced or truncated by hand is fetched again rather than revalidated).
pub fn verified_sidecar(body: &Path) -> Option<Sidecar> {
    let sidecar = read_sidecar(body).ok()??;
    let bytes = std::fs::read(body).ok()?;
    let intact = bytes.len() as u64 == sidecar.bytes
        && hex::encode(Sha256::digest(&bytes)) == sidecar.sha256;
    intact.then_some(sidecar)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_of(url: &str) -> PathBuf {
        body_path(Path::new("/raw"), &Url::parse(url).unwrap())
    }

    fn assert_inside(path: &Path) {
        let rel = path.strip_prefix("/raw").unwrap();
        let parts: Vec<_> = rel.components().collect();
        assert_eq!(parts.len(), 2, "{}", path.display());
        for part in parts {
            let std::path::Component::Normal(s) = part else {
                panic!("{} has a non-normal component", path.display());
            };
            let s = s.to_str().unwrap();
            assert!(s.len() <= 255 && !s.starts_with('.'), "{s}");
        }
    }

    #[test]
    fn crafted_urls_stay_inside_the_folder() {
        for url in [
            "http://example.com/..%2f..%2fetc%2fpasswd",
            "http://example.com/../../etc/passwd",
            "http://example.com/a/b/c?x=/../../y#z",
            "http://Ex%41mple.com./x",
            "http://[::1]:8080/x",
            "http://127.0.0.1:9/..",
            "http://xn--bcher-kva.example/",
            "http://bücher.example/straße",
            &format!("http://{}.com/{}", "a".repeat(250), "b/".repeat(5000)),
        ] {
            assert_inside(&path_of(url));
        }
    }

    #[test]
    fn names_keep_host_and_port_and_differ_per_url() {
        let p = path_of("http://Bücher.example:8080/a");
        assert!(
            p.starts_with("/raw/xn--bcher-kva.example_8080"),
            "{}",
            p.display()
        );
        assert_ne!(path_of("http://h/a"), path_of("http://h/b"));
        assert_eq!(path_of("http://h/a"), path_of("http://h/a"));
        assert_eq!(
            path_of("http://[::1]/").parent().unwrap(),
            Path::new("/raw/___1_")
        );
    }

    #[test]
    fn sidecar_and_partial_names_sit_beside_the_body() {
        let body = path_of("http://h/a");
        let sidecar = sidecar_path(&body).unwrap();
        assert!(sidecar.to_str().unwrap().ends_with(SIDECAR_SUFFIX));
        assert_eq!(sidecar.parent(), body.parent());
        assert!(is_fetch_metadata(
            sidecar.file_name().unwrap().to_str().unwrap()
        ));
        assert!(is_fetch_metadata(
            partial_path(&body).file_name().unwrap().to_str().unwrap()
        ));
        assert!(!is_fetch_metadata(
            body.file_name().unwrap().to_str().unwrap()
        ));
        assert_eq!(sidecar_path(Path::new("a.txt")), None);
    }

    #[test]
    fn a_sidecar_of_a_changed_body_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let body = body_path(dir.path(), &Url::parse("http://h/a").unwrap());
        std::fs::create_dir_all(body.parent().unwrap()).unwrap();
        std::fs::write(&body, b"hello").unwrap();
        let sidecar = Sidecar {
            requested_url: "http://h/a".into(),
            final_url: "http://h/a".into(),
            status: 200,
            content_type: None,
            etag: Some("\"1\"".into()),
            last_modified: None,
            content_encoding: None,
            fetched_at: "2026-01-01T00:00:00Z".into(),
            revalidated_at: None,
            bytes: 5,
            sha256: hex::encode(Sha256::digest(b"hello")),
        };
        write_sidecar(&body, &sidecar).unwrap();
        assert_eq!(verified_sidecar(&body), Some(sidecar));
        std::fs::write(&body, b"hellO").unwrap();
        assert_eq!(verified_sidecar(&body), None);
    }
}
