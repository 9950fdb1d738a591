//! robots.txt, fetched once per origin (scheme, host, port) and kept for the run. Parsing and
//! matching are `texting_robots`' (tested against Google's robots.txt suite).
//!
//! What an answer means follows RFC 9309: 2xx is parsed; 4xx means no rules (everything allowed);
//! 429 and 5xx mean the site is unreachable, so everything is disallowed; a transport failure
//! (timeout, DNS, refused) is the failure of every URL of that origin, without trying each one.

use std::time::Duration;

use reqwest::{Client, Url};
use texting_robots::Robot;

use crate::document::RejectReason;

/// RFC 9309 asks crawlers to parse at least 500 KiB; more than this is ignored.
pub const MAX_ROBOTS_BYTES: usize = 512 * 1024;

/// What a run knows about one origin's robots.txt.
pub enum Robots {
    /// No rules apply (no robots.txt, or one that cannot be parsed).
    AllowAll,
    Rules(Box<Robot>),
    /// Everything is disallowed (robots.txt answered 429 or 5xx); the detail says why.
    DisallowAll(String),
    /// The origin could not be reached at all.
    Unreachable(RejectReason, String),
}

impl Robots {
    /// `Err((reason, detail))` when `url` may not be fetched.
    pub fn check(&self, url: &Url) -> Result<(), (RejectReason, String)> {
        match self {
            Robots::AllowAll => Ok(()),
            Robots::Rules(robot) if robot.allowed(url.as_str()) => Ok(()),
            Robots::Rules(_) => Err((
                RejectReason::Robots,
                "disallowed by the site's robots.txt".into(),
            )),
            Robots::DisallowAll(why) => Err((RejectReason::Robots, why.clone())),
            Robots::Unreachable(reason, detail) => Err((*reason, detail.clone())),
        }
    }

    /// A connection failure, 429 or 5xx: worth another try before giving up on the site.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Robots::DisallowAll(_) | Robots::Unreachable(RejectReason::Connection, _)
        )
    }

    /// Parses a robots.txt body for `agent` (the product token of the User-Agent).
    pub fn parse(agent: &str, body: &[u8]) -> Robots {
        let body = &body[..body.len().min(MAX_ROBOTS_BYTES)];
        match Robot::new(agent, body) {
            Ok(robot) => Robots::Rules(Box::new(robot)),
            Err(e) => {
                tracing::warn!("robots.txt cannot be parsed, no rules apply: {e}");
                Robots::AllowAll
            }
        }
    }
}

/// The origin key robots.txt applies to.
pub fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// Fetches and interprets `origin`'s robots.txt with a client that follows up to 5 redirects.
pub async fn fetch(client: &Client, url: &Url, agent: &str, timeout: Duration) -> Robots {
    let mut robots_url = url.clone();
    robots_url.set_path("/robots.txt");
    robots_url.set_query(None);
    robots_url.set_fragment(None);
    match tokio::time::timeout(timeout, get(client, robots_url)).await {
        Err(_) => Robots::Unreachable(
            RejectReason::Timeout,
            format!("robots.txt: no answer within {} ms", timeout.as_millis()),
        ),
        Ok(Err(e)) => {
            let (reason, detail) = super::http::classify(&e);
            Robots::Unreachable(reason, format!("robots.txt: {detail}"))
        }
        Ok(Ok((status, body))) => match status {
            200..=299 => Robots::parse(agent, &body),
            429 | 500..=599 => Robots::DisallowAll(format!(
                "robots.txt answered {status}: the site counts as disallowed (RFC 9309)"
            )),
            _ => Robots::AllowAll,
        },
    }
}

async fn get(client: &Client, url: Url) -> Result<(u16, Vec<u8>), reqwest::Error> {
    let mut response = client.get(url).send().await?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() >= MAX_ROBOTS_BYTES {
            break;
        }
    }
    Ok((status, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_for_the_agent_are_obeyed() {
        let txt = b"User-agent: docnorm\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n";
        let robots = Robots::parse("docnorm", txt);
        let ok = Url::parse("http://h/public").unwrap();
        let no = Url::parse("http://h/private/x").unwrap();
        assert!(robots.check(&ok).is_ok());
        assert_eq!(robots.check(&no).unwrap_err().0, RejectReason::Robots);
    }

    #[test]
    fn the_wildcard_group_applies_to_other_agents() {
        let robots = Robots::parse("docnorm", b"User-agent: *\nDisallow: /x\n");
        assert!(robots.check(&Url::parse("http://h/x/1").unwrap()).is_err());
        assert!(robots.check(&Url::parse("http://h/y").unwrap()).is_ok());
    }

    #[test]
    fn origins_keep_scheme_host_and_port() {
        let url = Url::parse("http://Example.com:8080/a?b").unwrap();
        assert_eq!(origin_of(&url), "http://example.com:8080");
    }
}
