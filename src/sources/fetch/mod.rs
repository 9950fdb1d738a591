//! The fetch source: downloads a list of URLs into a raw folder, politely and within bounds, so
//! that the file source can then read them (see [`store`] for the layout).
//!
//! The only async part of docnorm: a tokio runtime is built for the fetch and dropped after it.
//! Each URL is one task; at most `global_concurrency` requests are in flight, at most
//! `per_host_concurrency` per host, and tasks are spawned from a bounded window so a list of
//! millions of URLs does not become millions of tasks.

pub mod body;
pub mod http;
pub mod robots;
pub mod store;

use std::collections::{BTreeMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::task::JoinSet;

use crate::document::Reject;
use crate::error::{ConfigError, Error, Result};

pub use store::is_fetch_metadata;

/// The `[fetch]` section of `pipeline.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct FetchConfig {
    /// Sent with every request; `{version}` becomes docnorm's version.
    pub user_agent: String,
    /// Fetch each site's robots.txt first and skip what it disallows.
    pub obey_robots: bool,
    pub per_host_concurrency: usize,
    pub global_concurrency: usize,
    pub connect_timeout_ms: u64,
    /// Bound on one try at a URL: redirects, headers and the whole body.
    pub total_timeout_ms: u64,
    /// Bodies longer than this (after transfer decompression) are cut and rejected.
    pub max_body_bytes: u64,
    pub max_redirects: usize,
    /// Further tries after a connection error, 429 or 5xx.
    pub retries: u32,
    /// First backoff; it doubles at each try, with jitter.
    pub backoff_base_ms: u64,
    /// No wait between tries is longer than this, whatever Retry-After asks.
    pub backoff_max_ms: u64,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: "docnorm/{version}".into(),
            obey_robots: true,
            per_host_concurrency: 4,
            global_concurrency: 32,
            connect_timeout_ms: 10_000,
            total_timeout_ms: 60_000,
            max_body_bytes: 64 * 1024 * 1024,
            max_redirects: 10,
            retries: 3,
            backoff_base_ms: 1_000,
            backoff_max_ms: 30_000,
        }
    }
}

impl FetchConfig {
    pub fn user_agent(&self) -> String {
        self.user_agent
            .replace("{version}", env!("CARGO_PKG_VERSION"))
    }

    /// Settings that cannot work are errors naming the key.
    pub fn validate(&self, file: &str) -> Result<(), ConfigError> {
        let positive = [
            ("per_host_concurrency", self.per_host_concurrency as u64),
            ("global_concurrency", self.global_concurrency as u64),
            ("connect_timeout_ms", self.connect_timeout_ms),
            ("total_timeout_ms", self.total_timeout_ms),
            ("max_body_bytes", self.max_body_bytes),
        ];
        for (key, value) in positive {
            if value == 0 {
                return Err(
                    ConfigError::new(file, "must be at least 1").entry(format!("fetch.{key}"))
                );
            }
        }
        if reqwest::header::HeaderValue::from_str(&self.user_agent()).is_err() {
            return Err(
                ConfigError::new(file, "not a valid HTTP header value").entry("fetch.user_agent")
            );
        }
        Ok(())
    }

    /// The wait before try `tries + 1`: Retry-After when given, else exponential backoff with
    /// jitter (between half and all of `base × 2^(tries-1)`), never more than `backoff_max_ms`.
    pub fn backoff(&self, tries: u32, retry_after: Option<Duration>) -> Duration {
        let cap = Duration::from_millis(self.backoff_max_ms);
        if let Some(wait) = retry_after {
            return wait.min(cap);
        }
        let exp = self
            .backoff_base_ms
            .saturating_mul(1u64 << tries.saturating_sub(1).min(30));
        let full = Duration::from_millis(exp).min(cap);
        full / 2 + full.mul_f64(fastrand::f64() / 2.0)
    }
}

/// What became of one URL.
#[derive(Debug, Clone)]
pub enum UrlOutcome {
    /// The body is on disk at `body`; `fresh` is false when a 304 confirmed the stored copy.
    Stored {
        url: String,
        body: PathBuf,
        bytes: u64,
        fresh: bool,
    },
    Failed(Reject),
}

/// How a fetch went, URL by URL in list order.
#[derive(Debug)]
pub struct FetchReport {
    pub outcomes: Vec<UrlOutcome>,
    /// Lines of the list that repeated an earlier URL and were skipped.
    pub duplicates: usize,
    pub elapsed: Duration,
}

impl FetchReport {
    /// Bodies on disk, in list order.
    pub fn bodies(&self) -> Vec<PathBuf> {
        self.outcomes
            .iter()
            .filter_map(|o| match o {
                UrlOutcome::Stored { body, .. } => Some(body.clone()),
                UrlOutcome::Failed(_) => None,
            })
            .collect()
    }

    /// Failures, in list order.
    pub fn rejects(&self) -> Vec<Reject> {
        self.outcomes
            .iter()
            .filter_map(|o| match o {
                UrlOutcome::Failed(r) => Some(r.clone()),
                UrlOutcome::Stored { .. } => None,
            })
            .collect()
    }

    /// One line: counts, failures by reason, bytes and time.
    pub fn summary_line(&self) -> String {
        let (mut fetched, mut unchanged, mut bytes) = (0, 0, 0u64);
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        for o in &self.outcomes {
            match o {
                UrlOutcome::Stored {
                    fresh: true,
                    bytes: b,
                    ..
                } => {
                    fetched += 1;
                    bytes += b;
                }
                UrlOutcome::Stored { fresh: false, .. } => unchanged += 1,
                UrlOutcome::Failed(r) => *reasons.entry(r.reason.as_str()).or_default() += 1,
            }
        }
        let failed: usize = reasons.values().sum();
        let mut line = format!(
            "{} URLs: {fetched} fetched, {unchanged} unchanged (304), {failed} failed",
            self.outcomes.len()
        );
        if !reasons.is_empty() {
            let parts: Vec<String> = reasons.iter().map(|(r, n)| format!("{r}: {n}")).collect();
            line.push_str(&format!(" ({})", parts.join(", ")));
        }
        if self.duplicates > 0 {
            line.push_str(&format!(", {} duplicate lines skipped", self.duplicates));
        }
        line.push_str(&format!(
            "; {} in {:.2} s",
            indicatif::HumanBytes(bytes),
            self.elapsed.as_secs_f64()
        ));
        line
    }
}

/// The URLs of a list file: one a line, blank lines and `#` comments ignored.
pub fn read_url_list(path: &Path) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::io("cannot read URL list", path, e))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect())
}

/// Fetches every URL into `dir`, skipping repeated ones; failures are in the report, not errors.
pub fn fetch_all(
    config: &FetchConfig,
    urls: Vec<String>,
    dir: &Path,
    progress: bool,
) -> Result<FetchReport> {
    let started = Instant::now();
    std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create raw folder", dir, e))?;
    // Repeats are told apart as the body files are named: by the parsed URL (scheme and host
    // lower-cased, dot segments resolved), so two spellings of one page share no file.
    let mut seen = HashSet::new();
    let unique: Vec<String> = urls
        .iter()
        .filter(|u| {
            seen.insert(http::parse_url(u).map_or_else(|_| u.to_string(), |u| u.to_string()))
        })
        .cloned()
        .collect();
    let duplicates = urls.len() - unique.len();
    let fetcher = http::Fetcher::new(config, dir)
        .map_err(|e| Error::Usage(format!("cannot set up the HTTP client: {e}")))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the fetch runtime", dir, e))?;
    let bar = FetchProgress::new(progress, unique.len());
    let window = config.global_concurrency.saturating_mul(4).max(1);
    let outcomes = runtime.block_on(run_tasks(Arc::new(fetcher), unique, window, &bar));
    bar.finish();
    Ok(FetchReport {
        outcomes,
        duplicates,
        elapsed: started.elapsed(),
    })
}

async fn run_tasks(
    fetcher: Arc<http::Fetcher>,
    urls: Vec<String>,
    window: usize,
    bar: &FetchProgress,
) -> Vec<UrlOutcome> {
    let mut slots: Vec<Option<UrlOutcome>> = vec![None; urls.len()];
    let mut tasks = JoinSet::new();
    let mut store = |joined: Result<(usize, UrlOutcome), tokio::task::JoinError>| {
        // A task only ends early by panicking, which would be a bug in the fetcher.
        let (index, outcome) = joined.expect("fetch task panicked");
        bar.record(&outcome);
        slots[index] = Some(outcome);
    };
    for (index, url) in urls.into_iter().enumerate() {
        while tasks.len() >= window {
            if let Some(joined) = tasks.join_next().await {
                store(joined);
            }
        }
        let fetcher = fetcher.clone();
        tasks.spawn(async move { (index, fetcher.fetch(&url).await) });
    }
    while let Some(joined) = tasks.join_next().await {
        store(joined);
    }
    slots
        .into_iter()
        .map(|o| o.expect("every URL has an outcome"))
        .collect()
}

/// A progress bar on stderr, only when it is a terminal: URLs done of all, failed, bytes.
struct FetchProgress {
    bar: Option<indicatif::ProgressBar>,
    failed: AtomicU64,
    bytes: AtomicU64,
}

impl FetchProgress {
    fn new(wanted: bool, len: usize) -> FetchProgress {
        let bar = (wanted && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(len as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {elapsed} [{bar:30}] {pos}/{len} URLs {msg}",
                )
                .expect("static template"),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        FetchProgress {
            bar,
            failed: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    fn record(&self, outcome: &UrlOutcome) {
        match outcome {
            UrlOutcome::Stored {
                bytes, fresh: true, ..
            } => {
                self.bytes.fetch_add(*bytes, Ordering::Relaxed);
            }
            UrlOutcome::Stored { .. } => {}
            UrlOutcome::Failed(_) => {
                self.failed.fetch_add(1, Ordering::Relaxed);
            }
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
            bar.set_message(format!(
                "{} failed, {}",
                self.failed.load(Ordering::Relaxed),
                indicatif::HumanBytes(self.bytes.load(Ordering::Relaxed))
            ));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_respects_the_cap() {
        let c = FetchConfig {
            backoff_base_ms: 100,
            backoff_max_ms: 1_000,
            ..FetchConfig::default()
        };
        for _ in 0..50 {
            let first = c.backoff(1, None);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = c.backoff(3, None);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            assert!(c.backoff(40, None) <= Duration::from_millis(1_000));
        }
        assert_eq!(
            c.backoff(1, Some(Duration::from_secs(3600))),
            Duration::from_secs(1)
        );
        assert_eq!(
            c.backoff(1, Some(Duration::from_millis(5))),
            Duration::from_millis(5)
        );
    }

    #[test]
    fn url_lists_skip_blank_lines_and_comments() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("urls.txt");
        std::fs::write(&path, "# list\n\nhttp://a/1\n  http://a/2  \r\n#x\n").unwrap();
        assert_eq!(read_url_list(&path).unwrap(), ["http://a/1", "http://a/2"]);
    }

    #[test]
    fn the_user_agent_names_docnorm_and_its_version() {
        let ua = FetchConfig::default().user_agent();
        assert_eq!(ua, format!("docnorm/{}", env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn zero_limits_are_config_errors_naming_the_key() {
        let c = FetchConfig {
            per_host_concurrency: 0,
            ..FetchConfig::default()
        };
        let err = c.validate("p.toml").unwrap_err();
        assert!(
            err.to_string().contains("fetch.per_host_concurrency"),
            "{err}"
        );
        assert!(FetchConfig::default().validate("p.toml").is_ok());
    }
}
