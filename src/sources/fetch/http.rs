//! One URL, politely: the per-host and global limits, robots.txt, redirects followed by hand (so
//! loops and their length are seen), conditional requests, retries with backoff, and the body
//! streamed to disk.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{self, HeaderMap};
use reqwest::{Client, Response, Url, redirect};
use tokio::sync::{OnceCell, OwnedSemaphorePermit, Semaphore};

use super::body::{BodyWriter, is_too_large};
use super::robots::{self, Robots};
use super::store::{self, Sidecar};
use super::{FetchConfig, UrlOutcome};
use crate::document::{Reject, RejectReason};

/// The codings [`BodyWriter`] undoes, offered to servers.
const ACCEPT_ENCODING: &str = "gzip, deflate, br";

/// Built once per run, shared by every URL's task.
pub struct Fetcher {
    client: Client,
    robots_client: Client,
    config: FetchConfig,
    /// The User-Agent's product token, which robots.txt groups are matched against.
    agent_token: String,
    dir: PathBuf,
    robots: Mutex<HashMap<String, Arc<OnceCell<Robots>>>>,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
    global: Arc<Semaphore>,
}

/// How one try at a URL ended.
enum Attempt {
    Stored(Sidecar),
    NotModified(HeaderMap),
    Retry {
        reason: RejectReason,
        detail: String,
        after: Option<Duration>,
    },
    Fail(RejectReason, String),
}

/// How one request of a try ended.
enum Hop {
    Redirect(Url),
    Done(Attempt),
}

/// What a request holds while it is in flight: a permit of its host's and one of the global
/// limit.
struct Permits {
    host: String,
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

impl Fetcher {
    pub fn new(config: &FetchConfig, dir: &Path) -> Result<Fetcher, reqwest::Error> {
        let user_agent = config.user_agent();
        let builder = || {
            Client::builder()
                .user_agent(&user_agent)
                .connect_timeout(Duration::from_millis(config.connect_timeout_ms))
        };
        Ok(Fetcher {
            client: builder().redirect(redirect::Policy::none()).build()?,
            robots_client: builder().redirect(redirect::Policy::limited(5)).build()?,
            agent_token: user_agent
                .split(['/', ' '])
                .next()
                .unwrap_or("docnorm")
                .to_string(),
            config: config.clone(),
            dir: dir.to_path_buf(),
            robots: Mutex::default(),
            hosts: Mutex::default(),
            global: Arc::new(Semaphore::new(config.global_concurrency)),
        })
    }

    /// Fetches `requested` into the raw folder, or says why not.
    pub async fn fetch(&self, requested: &str) -> UrlOutcome {
        let fail =
            |reason, detail: String| UrlOutcome::Failed(Reject::new(requested, reason, detail));
        let url = match parse_url(requested) {
            Ok(url) => url,
            Err(detail) => return fail(RejectReason::InvalidUrl, detail),
        };
        let body = store::body_path(&self.dir, &url);
        let mut permits = None;
        self.hold_permits(&mut permits, &url).await;
        if let Err((reason, detail)) = self.robots_allow(&url).await {
            return fail(reason, detail);
        }
        // Hashing a stored body to trust its validators is file work: off the async threads.
        let check = body.clone();
        let stored = tokio::task::spawn_blocking(move || store::verified_sidecar(&check))
            .await
            .ok()
            .flatten();
        let mut tries = 0;
        loop {
            tries += 1;
            let result = self
                .attempt(&url, &body, stored.as_ref(), &mut permits)
                .await;
            if !matches!(result, Attempt::Stored(_)) {
                // A cut-off body is never taken as complete; it is fetched again next time.
                let _ = std::fs::remove_file(store::partial_path(&body));
            }
            match result {
                Attempt::Stored(sidecar) => {
                    return UrlOutcome::Stored {
                        url: requested.to_string(),
                        body,
                        bytes: sidecar.bytes,
                        fresh: true,
                    };
                }
                Attempt::NotModified(headers) => {
                    let sidecar = stored.expect("304 is only taken with a stored copy");
                    return self.revalidated(requested, body, sidecar, &headers);
                }
                Attempt::Retry { after, .. } if tries <= self.config.retries => {
                    tokio::time::sleep(self.config.backoff(tries, after)).await;
                }
                Attempt::Retry { reason, detail, .. } => {
                    return fail(reason, format!("{detail}; gave up after {tries} tries"));
                }
                Attempt::Fail(reason, detail) => return fail(reason, detail),
            }
        }
    }

    /// Makes `held` the permits for `url`'s host, waiting for them if it holds another host's.
    /// Both are given back before new ones are waited for, and taken host first, then global:
    /// two redirects that cross (A to B while B goes to A) never wait on each other.
    async fn hold_permits(&self, held: &mut Option<Permits>, url: &Url) {
        let host = url.host_str().unwrap_or_default();
        if held.as_ref().is_some_and(|p| p.host == host) {
            return;
        }
        *held = None;
        let semaphore = self
            .hosts
            .lock()
            .expect("host map lock")
            .entry(host.to_string())
            .or_insert_with(|| Arc::new(Semaphore::new(self.config.per_host_concurrency)))
            .clone();
        let host_permit = semaphore.acquire_owned().await.expect("never closed");
        let global = self
            .global
            .clone()
            .acquire_owned()
            .await
            .expect("never closed");
        *held = Some(Permits {
            host: host.to_string(),
            _host: host_permit,
            _global: global,
        });
    }

    async fn robots_allow(&self, url: &Url) -> Result<(), (RejectReason, String)> {
        if !self.config.obey_robots {
            return Ok(());
        }
        let cell = self
            .robots
            .lock()
            .expect("robots map lock")
            .entry(robots::origin_of(url))
            .or_default()
            .clone();
        cell.get_or_init(|| self.fetch_robots(url)).await.check(url)
    }

    /// robots.txt, with the same retries as a page: a site briefly down is not taken as closed.
    async fn fetch_robots(&self, url: &Url) -> Robots {
        let total = Duration::from_millis(self.config.total_timeout_ms);
        let mut tries = 0;
        loop {
            tries += 1;
            let robots = robots::fetch(&self.robots_client, url, &self.agent_token, total).await;
            if !robots.is_retryable() || tries > self.config.retries {
                return robots;
            }
            tokio::time::sleep(self.config.backoff(tries, None)).await;
        }
    }

    /// One try: follows redirects, each hop under its own host's permit, then stores the body
    /// or reports the status. Time spent waiting for permits is not part of the try's budget.
    async fn attempt(
        &self,
        requested: &Url,
        body: &Path,
        stored: Option<&Sidecar>,
        permits: &mut Option<Permits>,
    ) -> Attempt {
        let total = Duration::from_millis(self.config.total_timeout_ms);
        let mut left = total;
        let mut url = requested.clone();
        let mut seen = HashSet::from([url.to_string()]);
        for hop in 0..=self.config.max_redirects {
            self.hold_permits(permits, &url).await;
            let started = Instant::now();
            let step = tokio::time::timeout(left, async {
                if hop > 0
                    && let Err((reason, detail)) = self.robots_allow(&url).await
                {
                    return Hop::Done(Attempt::Fail(
                        reason,
                        format!("redirected to {url}: {detail}"),
                    ));
                }
                self.hop(requested, &url, body, stored).await
            })
            .await;
            left = left.saturating_sub(started.elapsed());
            let next = match step {
                Err(_) => {
                    return Attempt::Fail(
                        RejectReason::Timeout,
                        format!(
                            "no complete answer within {} ms (fetch.total_timeout_ms)",
                            total.as_millis()
                        ),
                    );
                }
                Ok(Hop::Done(attempt)) => return attempt,
                Ok(Hop::Redirect(next)) => next,
            };
            if !seen.insert(next.to_string()) {
                return Attempt::Fail(
                    RejectReason::RedirectLoop,
                    format!("{url} redirects back to {next}, already visited"),
                );
            }
            url = next;
        }
        Attempt::Fail(
            RejectReason::TooManyRedirects,
            format!(
                "more than {} redirects (fetch.max_redirects), last to {url}",
                self.config.max_redirects
            ),
        )
    }

    /// One request to `url`: a redirect's target, or how the try ended.
    async fn hop(&self, requested: &Url, url: &Url, body: &Path, stored: Option<&Sidecar>) -> Hop {
        let mut request = self
            .client
            .get(url.clone())
            .header(header::ACCEPT_ENCODING, ACCEPT_ENCODING);
        // Validators belong to the stored final URL, so they go only to that URL.
        if let Some(s) = stored.filter(|s| s.final_url == url.as_str()) {
            if let Some(etag) = &s.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(date) = &s.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, date);
            }
        }
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => return Hop::Done(transport_failure(&e)),
        };
        let status = response.status().as_u16();
        if !matches!(status, 301 | 302 | 303 | 307 | 308) {
            return Hop::Done(self.finish(requested, response, body, stored).await);
        }
        match location(&response, url) {
            Some(next) => Hop::Redirect(next),
            None => Hop::Done(Attempt::Fail(
                RejectReason::Http(status),
                "redirect without a usable Location".into(),
            )),
        }
    }

    /// Acts on a final (non-redirect) response.
    async fn finish(
        &self,
        requested: &Url,
        response: Response,
        body: &Path,
        stored: Option<&Sidecar>,
    ) -> Attempt {
        let status = response.status();
        match status.as_u16() {
            304 if stored.is_some() => Attempt::NotModified(response.headers().clone()),
            200..=299 => self.store_body(requested, response, body).await,
            429 | 500..=599 => Attempt::Retry {
                reason: RejectReason::Http(status.as_u16()),
                detail: format!("the server answered {status}"),
                after: retry_after(response.headers()),
            },
            code => Attempt::Fail(
                RejectReason::Http(code),
                format!("the server answered {status}"),
            ),
        }
    }

    /// Streams the body into a temporary file, then renames it and its sidecar into place.
    async fn store_body(&self, requested: &Url, mut response: Response, body: &Path) -> Attempt {
        let max = self.config.max_body_bytes;
        let too_large = |what: String| {
            Attempt::Fail(
                RejectReason::TooLarge,
                format!("{what}; the limit is {max} bytes (fetch.max_body_bytes)"),
            )
        };
        let headers = response.headers().clone();
        let text = |name| header_text(&headers, name);
        let encoding = text(header::CONTENT_ENCODING);
        let identity = encoding.as_deref().is_none_or(|e| !BodyWriter::decodes(e));
        if let Some(len) = response.content_length().filter(|&n| identity && n > max) {
            return too_large(format!("Content-Length is {len}"));
        }
        let partial = store::partial_path(body);
        let local = |e: std::io::Error| {
            Attempt::Fail(
                RejectReason::Unreadable,
                format!("cannot write {}: {e}", partial.display()),
            )
        };
        if let Some(parent) = partial.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            return local(e);
        }
        // Chunks are written synchronously: small writes to the page cache, not worth a thread hop.
        let mut writer = match BodyWriter::create(&partial, encoding.as_deref(), max) {
            Ok(w) => w,
            Err(e) => return local(e),
        };
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(e) => return transport_failure(&e),
            };
            if let Err(e) = writer.write(&chunk) {
                return body_failure(e, too_large, local);
            }
        }
        let written = match writer.finish() {
            Ok(w) => w,
            Err(e) => return body_failure(e, too_large, local),
        };
        let sidecar = Sidecar {
            requested_url: requested.to_string(),
            final_url: response.url().to_string(),
            status: response.status().as_u16(),
            content_type: text(header::CONTENT_TYPE),
            etag: text(header::ETAG),
            last_modified: text(header::LAST_MODIFIED),
            content_encoding: encoding,
            fetched_at: now_rfc3339(),
            revalidated_at: None,
            bytes: written.bytes,
            sha256: written.sha256,
        };
        match std::fs::rename(&partial, body).and_then(|_| store::write_sidecar(body, &sidecar)) {
            Ok(()) => Attempt::Stored(sidecar),
            Err(e) => local(e),
        }
    }

    /// A 304: the stored copy stands; the sidecar notes when, and any new validators.
    fn revalidated(
        &self,
        requested: &str,
        body: PathBuf,
        mut sidecar: Sidecar,
        headers: &HeaderMap,
    ) -> UrlOutcome {
        sidecar.revalidated_at = Some(now_rfc3339());
        if let Some(etag) = header_text(headers, header::ETAG) {
            sidecar.etag = Some(etag);
        }
        if let Some(date) = header_text(headers, header::LAST_MODIFIED) {
            sidecar.last_modified = Some(date);
        }
        if let Err(e) = store::write_sidecar(&body, &sidecar) {
            tracing::warn!("cannot update the sidecar of {}: {e}", body.display());
        }
        UrlOutcome::Stored {
            url: requested.to_string(),
            body,
            bytes: sidecar.bytes,
            fresh: false,
        }
    }
}

/// An absolute http(s) URL with a host, or why not.
pub fn parse_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("scheme {:?} is not http or https", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the URL has no host".into());
    }
    Ok(url)
}

fn location(response: &Response, base: &Url) -> Option<Url> {
    let text = response.headers().get(header::LOCATION)?.to_str().ok()?;
    base.join(text)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    let value = headers.get(name)?;
    Some(String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// `Retry-After` as seconds or an HTTP date, when present and sensible.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or_default())
}

fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// A transport error: connection failures are retried, the rest are final.
fn transport_failure(err: &reqwest::Error) -> Attempt {
    match classify(err) {
        (RejectReason::Connection, detail) => Attempt::Retry {
            reason: RejectReason::Connection,
            detail,
            after: None,
        },
        (reason, detail) => Attempt::Fail(reason, detail),
    }
}

/// A failure while writing the body: over the limit, a corrupt stream, or the local disk.
fn body_failure(
    err: std::io::Error,
    too_large: impl Fn(String) -> Attempt,
    local: impl Fn(std::io::Error) -> Attempt,
) -> Attempt {
    use std::io::ErrorKind::{InvalidData, InvalidInput, UnexpectedEof};
    if is_too_large(&err) {
        too_large("the body was cut while streaming".into())
    } else if matches!(err.kind(), InvalidData | InvalidInput | UnexpectedEof) {
        Attempt::Retry {
            reason: RejectReason::Connection,
            detail: format!("the body could not be decoded: {err}"),
            after: None,
        }
    } else {
        local(err)
    }
}

/// The reject reason for a transport error, and a detail with its whole chain of causes.
pub fn classify(err: &reqwest::Error) -> (RejectReason, String) {
    let mut detail = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    let reason = if err.is_timeout() {
        RejectReason::Timeout
    } else if err.is_builder() {
        RejectReason::InvalidUrl
    } else if err.is_connect() && detail.contains("dns error") {
        RejectReason::Dns
    } else {
        RejectReason::Connection
    };
    (reason, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_http_urls_with_a_host_are_taken() {
        assert!(parse_url("https://example.com/a").is_ok());
        assert!(parse_url("ftp://example.com/a").is_err());
        assert!(parse_url("example.com/a").is_err());
        assert!(parse_url("file:///etc/passwd").is_err());
        assert!(parse_url("http://").is_err());
        assert!(parse_url("data:text/plain,hi").is_err());
    }

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }
}
