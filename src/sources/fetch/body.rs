//! Writing a response body to disk while it streams in: transfer compression undone, the decoded
//! size bounded (so an endless body or a compression bomb is cut, never buffered whole), and the
//! SHA-256 computed on the way.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

/// The decoded bytes written so far passed the limit.
#[derive(Debug)]
pub struct TooLarge;

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("body exceeds the size limit")
    }
}

impl std::error::Error for TooLarge {}

/// The innermost writer: the file, a byte count that may not pass `limit`, and the hash.
struct Counted {
    file: File,
    bytes: u64,
    limit: u64,
    hash: Sha256,
}

impl Write for Counted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.bytes + buf.len() as u64 > self.limit {
            return Err(io::Error::other(TooLarge));
        }
        let n = self.file.write(buf)?;
        self.bytes += n as u64;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

enum Decoder {
    Identity(Counted),
    Gzip(flate2::write::GzDecoder<Counted>),
    Deflate(flate2::write::ZlibDecoder<Counted>),
    Brotli(Box<brotli::DecompressorWriter<Counted>>),
}

/// A body being written; [`BodyWriter::finish`] says how many bytes and their hash.
pub struct BodyWriter(Decoder);

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub bytes: u64,
    pub sha256: String,
}

impl BodyWriter {
    /// Creates `path` and decodes `content_encoding` (`gzip`, `deflate`, `br`) into it; an unknown
    /// or stacked coding is stored as it came.
    pub fn create(path: &Path, content_encoding: Option<&str>, limit: u64) -> io::Result<Self> {
        let counted = Counted {
            file: File::create(path)?,
            bytes: 0,
            limit,
            hash: Sha256::new(),
        };
        let coding = content_encoding.map(|c| c.trim().to_ascii_lowercase());
        Ok(BodyWriter(match coding.as_deref() {
            Some("gzip" | "x-gzip") => Decoder::Gzip(flate2::write::GzDecoder::new(counted)),
            Some("deflate") => Decoder::Deflate(flate2::write::ZlibDecoder::new(counted)),
            Some("br") => Decoder::Brotli(Box::new(brotli::DecompressorWriter::new(counted, 8192))),
            _ => Decoder::Identity(counted),
        }))
    }

    /// True when `content_encoding` is one this writer decodes.
    pub fn decodes(content_encoding: &str) -> bool {
        matches!(
            content_encoding.trim().to_ascii_lowercase().as_str(),
            "gzip" | "x-gzip" | "deflate" | "br"
        )
    }

    pub fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        match &mut self.0 {
            Decoder::Identity(w) => w.write_all(chunk),
            Decoder::Gzip(w) => w.write_all(chunk),
            Decoder::Deflate(w) => w.write_all(chunk),
            Decoder::Brotli(w) => w.write_all(chunk),
        }
    }

    /// Ends the stream (a truncated compressed stream is an error) and syncs the file.
    pub fn finish(self) -> io::Result<Written> {
        let counted = match self.0 {
            Decoder::Identity(w) => w,
            Decoder::Gzip(w) => w.finish()?,
            Decoder::Deflate(w) => w.finish()?,
            Decoder::Brotli(w) => w.into_inner().map_err(|_| {
                io::Error::new(io::ErrorKind::UnexpectedEof, "truncated brotli stream")
            })?,
        };
        counted.file.sync_all()?;
        Ok(Written {
            bytes: counted.bytes,
            sha256: hex::encode(counted.hash.finalize()),
        })
    }
}

/// True when an I/O error from [`BodyWriter`] means the size limit was passed.
pub fn is_too_large(err: &io::Error) -> bool {
    err.get_ref().is_some_and(|e| e.is::<TooLarge>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn gzip_is_decoded_in_pieces_and_hashed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b");
        let data = b"hello world ".repeat(1000);
        let mut w = BodyWriter::create(&path, Some("gzip"), 1 << 20).unwrap();
        for piece in gzip(&data).chunks(7) {
            w.write(piece).unwrap();
        }
        let written = w.finish().unwrap();
        assert_eq!(written.bytes, data.len() as u64);
        assert_eq!(written.sha256, hex::encode(Sha256::digest(&data)));
        assert_eq!(std::fs::read(&path).unwrap(), data);
    }

    #[test]
    fn deflate_and_brotli_are_decoded_too() {
        let data = b"the same text, twice compressed ".repeat(100);
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        zlib.write_all(&data).unwrap();
        let mut br = Vec::new();
        brotli::CompressorWriter::new(&mut br, 4096, 5, 22)
            .write_all(&data)
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        for (coding, encoded) in [("deflate", zlib.finish().unwrap()), ("br", br)] {
            let path = dir.path().join(coding);
            let mut w = BodyWriter::create(&path, Some(coding), 1 << 20).unwrap();
            for piece in encoded.chunks(5) {
                w.write(piece).unwrap();
            }
            assert_eq!(w.finish().unwrap().bytes, data.len() as u64, "{coding}");
            assert_eq!(std::fs::read(&path).unwrap(), data, "{coding}");
        }
    }

    #[test]
    fn a_compression_bomb_is_cut_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = BodyWriter::create(&dir.path().join("b"), Some("gzip"), 1000).unwrap();
        let err = w.write(&gzip(&vec![0u8; 100_000])).unwrap_err();
        assert!(is_too_large(&err), "{err}");
    }

    #[test]
    fn a_truncated_gzip_stream_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = BodyWriter::create(&dir.path().join("b"), Some("gzip"), 1 << 20).unwrap();
        let z = gzip(&b"abc".repeat(100));
        w.write(&z[..z.len() / 2]).unwrap();
        assert!(w.finish().is_err());
    }

    #[test]
    fn unknown_codings_are_stored_as_they_came() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b");
        let mut w = BodyWriter::create(&path, Some("zstd"), 10).unwrap();
        w.write(b"raw").unwrap();
        assert_eq!(w.finish().unwrap().bytes, 3);
        assert!(!BodyWriter::decodes("zstd") && BodyWriter::decodes("BR"));
    }
}
