//! Pages per second of the extract stage alone, on one core.
//!
//! `cargo bench --bench extract_speed -- DIR` reads every `.html` file under DIR (for instance the
//! decompressed WCXB pages), decodes them first (untimed), then times the extract stage on each
//! page in this one thread and prints pages/s and MB/s, by the wall clock and by the CPU time
//! of the process (`/proc/self/stat`, so other load on the machine does not count).

use std::time::Instant;

use docnorm::RawInput;
use docnorm::stages::Stage;
use docnorm::stages::decode::{Decode, DecodeConfig};
use docnorm::stages::extract::{Extract, ExtractConfig};

fn main() {
    let Some(dir) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        eprintln!("usage: cargo bench --bench extract_speed -- DIR");
        return;
    };
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("a readable folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    paths.sort();
    let decode = Decode::new(&DecodeConfig::default());
    let docs: Vec<_> = paths
        .iter()
        .filter_map(|p| {
            let raw = RawInput {
                source: p.display().to_string(),
                extension: Some("html".into()),
                bytes: std::fs::read(p).ok()?,
                ..RawInput::default()
            };
            decode.apply(&raw).ok()
        })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let extract = Extract::new(&ExtractConfig::default());
    let cpu_started = cpu_seconds();
    let started = Instant::now();
    let mut kept = 0usize;
    for doc in docs.iter().cloned() {
        if let Ok(doc) = extract.apply(doc) {
            kept += doc.text.len();
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds()
        .zip(cpu_started)
        .map(|(end, start)| end - start);
    println!(
        "extract stage, one thread: {} pages, {:.1} MB of HTML in {secs:.2} s: {:.0} pages/s, {:.1} MB/s ({} bytes of text kept)",
        docs.len(),
        bytes as f64 / 1e6,
        docs.len() as f64 / secs,
        bytes as f64 / 1e6 / secs,
        kept
    );
    if let Some(cpu) = cpu {
        println!(
            "extract stage, CPU time: {cpu:.2} s: {:.0} pages/s, {:.1} MB/s",
            docs.len() as f64 / cpu,
            bytes as f64 / 1e6 / cpu
        );
    }
}

/// User + system CPU time of this process so far (Linux; `None` elsewhere).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // The kernel reports clock ticks; USER_HZ is 100 on Linux.
    Some((utime + stime) / 100.0)
}
