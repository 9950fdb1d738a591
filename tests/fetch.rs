//! End-to-end tests of `docnorm fetch` and `docnorm run --urls`: each test starts its own small
//! HTTP server on 127.0.0.1 (a raw tokio listener, so odd servers are easy: one that never
//! answers, an endless body) and runs the real binary against it with short timeouts.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Request {
    path: String,
    headers: Vec<(String, String)>,
}

impl Request {
    /// The port of the `Host` header: the server's own, whichever name the client used.
    fn port(&self) -> &str {
        let host = self.header("host").unwrap_or_default();
        host.rsplit(':').next().unwrap_or_default()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
enum Reply {
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        delay: Duration,
    },
    /// Headers, then body bytes until the client goes away (bounded to 10 s).
    Endless,
    /// Reads the request and says nothing (for 10 s at most).
    Silent,
}

fn reply(status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> Reply {
    Reply::Full {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.into(),
        delay: Duration::ZERO,
    }
}

fn text(body: &str) -> Reply {
    reply(200, &[("Content-Type", "text/plain; charset=utf-8")], body)
}

/// `reply`, answered after `delay_ms`.
fn delayed(mut reply: Reply, delay_ms: u64) -> Reply {
    if let Reply::Full { delay, .. } = &mut reply {
        *delay = Duration::from_millis(delay_ms);
    }
    reply
}

/// A plain-text page answered after `delay_ms`.
fn slow_text(body: &str, delay_ms: u64) -> Reply {
    delayed(
        reply(200, &[("Content-Type", "text/plain")], body),
        delay_ms,
    )
}

fn not_found() -> Reply {
    reply(404, &[("Content-Type", "text/plain")], "no such page")
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// Requests in flight for each `Host` header: now, and the most at once.
type HostCounts = Mutex<HashMap<String, (usize, usize)>>;

/// A one-connection-per-request HTTP/1.1 server on 127.0.0.1, on its own runtime thread. It
/// records every request and the most requests it had in flight at once, in all and per `Host`.
struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Request>>>,
    max_in_flight: Arc<AtomicUsize>,
    by_host: Arc<HostCounts>,
}

impl Server {
    fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        let handler: Arc<Handler> = Arc::new(handler);
        let log = Arc::new(Mutex::new(Vec::new()));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let by_host = Arc::new(HostCounts::default());
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (log2, max2, hosts2) = (log.clone(), max_in_flight.clone(), by_host.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let in_flight = Arc::new(AtomicUsize::new(0));
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let counts = Counts {
                        max: max2.clone(),
                        in_flight: in_flight.clone(),
                        by_host: hosts2.clone(),
                    };
                    let (handler, log) = (handler.clone(), log2.clone());
                    tokio::spawn(async move {
                        serve(stream, &*handler, &log, &counts).await;
                    });
                }
            });
        });
        let addr = addr_rx.recv().unwrap();
        Server {
            addr,
            log,
            max_in_flight,
            by_host,
        }
    }

    /// The most requests that were in flight at once with this `Host` header.
    fn max_in_flight_for(&self, host: &str) -> usize {
        self.by_host.lock().unwrap().get(host).map_or(0, |c| c.1)
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn requests(&self, path: &str) -> Vec<Request> {
        let log = self.log.lock().unwrap();
        log.iter().filter(|r| r.path == path).cloned().collect()
    }
}

/// A server's in-flight counters, shared by its connections.
struct Counts {
    max: Arc<AtomicUsize>,
    in_flight: Arc<AtomicUsize>,
    by_host: Arc<HostCounts>,
}

impl Counts {
    fn start(&self, host: &str) {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        let mut by_host = self.by_host.lock().unwrap();
        let count = by_host.entry(host.to_string()).or_default();
        count.0 += 1;
        count.1 = count.1.max(count.0);
    }

    fn end(&self, host: &str) {
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        if let Some(count) = self.by_host.lock().unwrap().get_mut(host) {
            count.0 -= 1;
        }
    }
}

async fn serve(
    mut stream: TcpStream,
    handler: &Handler,
    log: &Mutex<Vec<Request>>,
    counts: &Counts,
) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/")
        .to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let request = Request { path, headers };
    log.lock().unwrap().push(request.clone());
    let host = request.header("host").unwrap_or_default().to_string();
    counts.start(&host);
    match handler(&request) {
        Reply::Full {
            status,
            headers,
            body,
            delay,
        } => {
            tokio::time::sleep(delay).await;
            let mut out = format!(
                "HTTP/1.1 {status} Status\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str("\r\n");
            let _ = stream.write_all(out.as_bytes()).await;
            let _ = stream.write_all(&body).await;
        }
        Reply::Endless => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            let chunk = vec![b'a'; 64 * 1024];
            let until = Instant::now() + Duration::from_secs(10);
            while Instant::now() < until && stream.write_all(&chunk).await.is_ok() {}
        }
        Reply::Silent => tokio::time::sleep(Duration::from_secs(10)).await,
    }
    counts.end(&host);
    let _ = stream.shutdown().await;
}

/// A scratch folder with a URL list, a config with short timeouts and the raw/output folders.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new(urls: &[String], fetch_settings: &str) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("urls.txt"), urls.join("\n") + "\n").unwrap();
        // Short timeouts and backoffs keep the file fast; a test's own settings win.
        let defaults = [
            "connect_timeout_ms = 1000",
            "total_timeout_ms = 3000",
            "backoff_base_ms = 10",
            "backoff_max_ms = 100",
        ];
        let mut config = String::from("[fetch]\n");
        for line in defaults {
            let key = line.split(' ').next().unwrap();
            if !fetch_settings.contains(&format!("{key} =")) {
                config.push_str(line);
                config.push('\n');
            }
        }
        config.push_str(fetch_settings);
        config.push('\n');
        std::fs::write(dir.path().join("pipeline.toml"), config).unwrap();
        Workspace { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn docnorm(&self, args: &[&str]) -> Output {
        self.docnorm_within(args, Duration::from_secs(300))
    }

    /// Runs docnorm, killing it (and failing the test) if it is still running after `limit`:
    /// a fetcher that deadlocks must fail its test, not hang the suite.
    fn docnorm_within(&self, args: &[&str], limit: Duration) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_docnorm"));
        command.current_dir(self.dir.path()).args(args).args([
            "--config",
            "pipeline.toml",
            "--no-progress",
        ]);
        // The servers are on loopback; a proxy from the environment must not be asked.
        for var in [
            "http_proxy",
            "HTTP_PROXY",
            "https_proxy",
            "HTTPS_PROXY",
            "all_proxy",
            "ALL_PROXY",
        ] {
            command.env_remove(var);
        }
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read while it runs, so a full pipe cannot stall it.
        let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                pipe.read_to_end(&mut bytes).unwrap();
                bytes
            })
        };
        let stdout = drain(Box::new(child.stdout.take().unwrap()));
        let stderr = drain(Box::new(child.stderr.take().unwrap()));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > limit {
                let _ = child.kill();
                panic!("docnorm {args:?} was still running after {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let output = Output {
            status,
            stdout: stdout.join().unwrap(),
            stderr: stderr.join().unwrap(),
        };
        assert!(
            output.status.success(),
            "docnorm {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    fn fetch(&self) -> Output {
        self.fetch_within(Duration::from_secs(300))
    }

    fn fetch_within(&self, limit: Duration) -> Output {
        self.docnorm_within(&["fetch", "--urls", "urls.txt", "--raw", "raw"], limit)
    }

    fn run(&self) -> Output {
        self.docnorm(&[
            "run", "--urls", "urls.txt", "--raw", "raw", "--output", "out",
        ])
    }

    fn jsonl(&self, rel: &str) -> Vec<Value> {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Every file under raw/, relative, sorted.
    fn raw_files(&self) -> Vec<String> {
        let root = self.path("raw");
        let mut files = Vec::new();
        collect_files(&root, &root, &mut files);
        files.sort();
        files
    }

    fn sidecars(&self) -> Vec<Value> {
        self.raw_files()
            .iter()
            .filter(|f| f.ends_with(".fetch.json"))
            .map(|f| {
                serde_json::from_slice(&std::fs::read(self.path("raw").join(f)).unwrap()).unwrap()
            })
            .collect()
    }
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_files(root, &path, out);
        } else {
            out.push(
                path.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
}

fn reject_of<'a>(rejects: &'a [Value], url: &str) -> &'a Value {
    rejects
        .iter()
        .find(|r| r["source"] == url)
        .unwrap_or_else(|| panic!("no reject for {url} in {rejects:?}"))
}

#[test]
fn a_charset_only_in_the_http_header_decides_the_decoding() {
    let russian = "Съешь же ещё этих мягких французских булок, да выпей чаю. Широкая электрификация южных губерний даст мощный толчок подъёму сельского хозяйства.";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(russian);
    let body = bytes.into_owned();
    let server = Server::start(move |r| match r.path.as_str() {
        "/ru" => reply(
            200,
            &[("Content-Type", "text/plain; charset=windows-1251")],
            body.clone(),
        ),
        _ => not_found(),
    });
    let url = server.url("/ru");
    let ws = Workspace::new(std::slice::from_ref(&url), "");
    ws.run();
    let docs = ws.jsonl("out/documents.jsonl");
    assert_eq!(docs.len(), 1, "{docs:?}");
    let doc = &docs[0];
    assert_eq!(doc["encoding"], "windows-1251");
    assert_eq!(doc["encoding_source"], "content-type");
    assert!(
        doc["text"].as_str().unwrap().contains("французских булок"),
        "{doc}"
    );
    assert_eq!(doc["source"], url);
    assert_eq!(doc["url"], url);
    assert_eq!(doc["requested_url"], url);
    let sidecar = &ws.sidecars()[0];
    assert_eq!(sidecar["content_type"], "text/plain; charset=windows-1251");
    assert_eq!(sidecar["status"], 200);
    assert_eq!(sidecar["bytes"], russian.chars().count());
    let ua = server.requests("/ru")[0]
        .header("user-agent")
        .unwrap()
        .to_string();
    assert_eq!(ua, format!("docnorm/{}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn a_redirect_is_followed_and_both_urls_are_kept() {
    let server = Server::start(|r| match r.path.as_str() {
        "/old" => reply(301, &[("Location", "/new")], ""),
        "/new" => text("The page moved here and says hello."),
        _ => not_found(),
    });
    let ws = Workspace::new(&[server.url("/old")], "");
    ws.run();
    let doc = &ws.jsonl("out/documents.jsonl")[0];
    assert_eq!(doc["source"], server.url("/old"));
    assert_eq!(doc["requested_url"], server.url("/old"));
    assert_eq!(doc["url"], server.url("/new"));
    assert_eq!(ws.sidecars()[0]["final_url"], server.url("/new"));
}

#[test]
fn a_503_is_retried_until_it_succeeds_on_the_third_try() {
    let tries = AtomicUsize::new(0);
    let server = Server::start(move |r| match r.path.as_str() {
        "/flaky" if tries.fetch_add(1, Ordering::SeqCst) < 2 => {
            reply(503, &[("Retry-After", "0")], "busy")
        }
        "/flaky" => text("Third time lucky."),
        _ => not_found(),
    });
    let ws = Workspace::new(&[server.url("/flaky")], "");
    ws.run();
    assert_eq!(server.requests("/flaky").len(), 3);
    assert_eq!(ws.jsonl("out/documents.jsonl").len(), 1);
    assert!(ws.jsonl("out/rejects.jsonl").is_empty());
}

#[test]
fn retry_after_is_honoured_up_to_the_configured_cap() {
    let tries = AtomicUsize::new(0);
    let server = Server::start(move |r| match r.path.as_str() {
        "/busy" if tries.fetch_add(1, Ordering::SeqCst) == 0 => {
            reply(429, &[("Retry-After", "3600")], "slow down")
        }
        "/busy" => text("Thanks for waiting."),
        _ => not_found(),
    });
    let ws = Workspace::new(&[server.url("/busy")], "backoff_max_ms = 200");
    let started = Instant::now();
    ws.fetch();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests("/busy").len(), 2);
    assert!(ws.jsonl("raw/fetch-rejects.jsonl").is_empty());
}

#[test]
fn urls_and_inputs_cannot_be_mixed() {
    let ws = Workspace::new(&[], "");
    let output = Command::new(env!("CARGO_BIN_EXE_docnorm"))
        .current_dir(ws.dir.path())
        .args(["run", "--urls", "urls.txt", "--input", "elsewhere"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--input"));
}

#[test]
fn failures_become_rejects_with_the_url_and_the_cause() {
    let server = Server::start(|r| match r.path.as_str() {
        "/ok" => text("A page that exists."),
        "/a" => reply(302, &[("Location", "/b")], ""),
        "/b" => reply(302, &[("Location", "/a")], ""),
        "/always-503" => reply(503, &[], "down"),
        p if p.starts_with("/chain/") => {
            let n: u32 = p[7..].parse().unwrap();
            reply(302, &[("Location", &format!("/chain/{}", n + 1))], "")
        }
        _ => not_found(),
    });
    let urls = [
        server.url("/missing"),
        server.url("/a"),
        server.url("/ok"),
        "ftp://example.invalid/x".to_string(),
        server.url("/chain/0"),
        server.url("/always-503"),
    ];
    let ws = Workspace::new(&urls, "retries = 1\nmax_redirects = 3");
    ws.run();
    let rejects = ws.jsonl("out/rejects.jsonl");
    let sources: Vec<&str> = rejects
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = [0, 1, 3, 4, 5].iter().map(|&i| urls[i].as_str()).collect();
    assert_eq!(sources, expected, "fetch rejects come first, in list order");
    assert_eq!(reject_of(&rejects, &urls[0])["reason"], "http 404");
    assert_eq!(reject_of(&rejects, &urls[1])["reason"], "redirect loop");
    assert_eq!(reject_of(&rejects, &urls[3])["reason"], "invalid url");
    assert_eq!(
        reject_of(&rejects, &urls[4])["reason"],
        "too many redirects"
    );
    assert_eq!(reject_of(&rejects, &urls[5])["reason"], "http 503");
    assert_eq!(server.requests("/missing").len(), 1, "a 404 is not retried");
    assert_eq!(
        server.requests("/always-503").len(),
        2,
        "one try and one retry"
    );
    assert_eq!(server.requests("/chain/3").len(), 1);
    assert!(
        server.requests("/chain/4").is_empty(),
        "no more than max_redirects hops"
    );
    let summary: Value =
        serde_json::from_slice(&std::fs::read(ws.path("out/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["inputs"], 6);
    assert_eq!(summary["documents"], 1);
    assert_eq!(summary["rejects"], 5);
    assert_eq!(summary["rejects_by_reason"]["http 404"], 1);
}

#[test]
fn a_server_that_never_answers_costs_at_most_the_timeout() {
    let server = Server::start(|_| Reply::Silent);
    let ws = Workspace::new(
        &[server.url("/slow")],
        "total_timeout_ms = 300\nobey_robots = false",
    );
    let started = Instant::now();
    ws.fetch();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let rejects = ws.jsonl("raw/fetch-rejects.jsonl");
    assert_eq!(rejects[0]["reason"], "timeout", "{rejects:?}");
    assert_eq!(
        server.requests("/slow").len(),
        1,
        "a timeout is not retried"
    );
}

#[test]
fn an_endless_body_is_cut_at_the_limit_and_nothing_partial_is_kept() {
    let server = Server::start(|r| match r.path.as_str() {
        "/endless" => Reply::Endless,
        _ => not_found(),
    });
    let ws = Workspace::new(&[server.url("/endless")], "max_body_bytes = 200000");
    ws.fetch();
    let rejects = ws.jsonl("raw/fetch-rejects.jsonl");
    assert_eq!(rejects[0]["reason"], "too large", "{rejects:?}");
    assert_eq!(ws.raw_files(), ["fetch-rejects.jsonl"]);
}

#[test]
fn gzip_bodies_are_stored_decoded_and_the_coding_is_recorded() {
    let plain = "Compressed on the wire, plain on disk. ".repeat(50);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(plain.as_bytes()).unwrap();
    let gz = encoder.finish().unwrap();
    let server = Server::start(move |r| match r.path.as_str() {
        "/gz" => reply(
            200,
            &[
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Encoding", "gzip"),
            ],
            gz.clone(),
        ),
        _ => not_found(),
    });
    let ws = Workspace::new(&[server.url("/gz")], "");
    ws.fetch();
    let accept = server.requests("/gz")[0]
        .header("accept-encoding")
        .unwrap()
        .to_string();
    assert!(accept.contains("gzip") && accept.contains("br"), "{accept}");
    let body = ws
        .raw_files()
        .into_iter()
        .find(|f| f.ends_with(".body"))
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(ws.path("raw").join(body)).unwrap(),
        plain
    );
    let sidecar = &ws.sidecars()[0];
    assert_eq!(sidecar["content_encoding"], "gzip");
    assert_eq!(sidecar["bytes"], plain.len());
}

#[test]
fn robots_txt_is_obeyed() {
    let server = Server::start(|r| match r.path.as_str() {
        "/robots.txt" => text("User-agent: *\nDisallow: /private\n"),
        "/public" => text("Anyone may read this."),
        "/private/diary" => text("Nobody should read this."),
        _ => not_found(),
    });
    let ws = Workspace::new(&[server.url("/public"), server.url("/private/diary")], "");
    ws.fetch();
    let rejects = ws.jsonl("raw/fetch-rejects.jsonl");
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(rejects[0]["source"], server.url("/private/diary"));
    assert_eq!(rejects[0]["reason"], "robots");
    assert!(server.requests("/private/diary").is_empty());
    assert_eq!(
        server.requests("/robots.txt").len(),
        1,
        "robots.txt is fetched once per site"
    );
}

#[test]
fn robots_txt_answering_5xx_is_retried_then_closes_the_site() {
    let robots_tries = AtomicUsize::new(0);
    let server = Server::start(move |r| match r.path.as_str() {
        "/robots.txt" if robots_tries.fetch_add(1, Ordering::SeqCst) == 0 => reply(503, &[], ""),
        "/robots.txt" => not_found(),
        _ => text("Open once the site is back."),
    });
    let ws = Workspace::new(&[server.url("/page")], "");
    ws.fetch();
    assert!(ws.jsonl("raw/fetch-rejects.jsonl").is_empty());
    assert_eq!(server.requests("/robots.txt").len(), 2);

    let down = Server::start(|r| match r.path.as_str() {
        "/robots.txt" => reply(503, &[], ""),
        _ => text("Never asked for."),
    });
    let ws = Workspace::new(&[down.url("/page")], "retries = 2");
    ws.fetch();
    let rejects = ws.jsonl("raw/fetch-rejects.jsonl");
    assert_eq!(rejects[0]["reason"], "robots", "{rejects:?}");
    assert!(rejects[0]["detail"].as_str().unwrap().contains("503"));
    assert_eq!(down.requests("/robots.txt").len(), 3);
    assert!(down.requests("/page").is_empty());
}

#[test]
fn crafted_urls_cannot_write_outside_the_raw_folder() {
    let server = Server::start(|_| text("Whatever the path, this is the page."));
    let long = "x".repeat(3000);
    let urls = [
        server.url("/..%2f..%2f..%2fescape"),
        server.url("/../../../escape2"),
        server.url(&format!("/{long}?q={long}")),
        server.url("/a%00b/%5c..%5c/~!$&'()*+,;=:@"),
        format!("http://localhost:{}/named-host", server.addr.port()),
    ];
    let ws = Workspace::new(&urls, "");
    ws.fetch();
    assert!(ws.jsonl("raw/fetch-rejects.jsonl").is_empty());
    let mut top: Vec<String> = std::fs::read_dir(ws.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["pipeline.toml", "raw", "urls.txt"]);
    let files = ws.raw_files();
    let host = format!("127.0.0.1_{}", server.addr.port());
    let bodies: Vec<&String> = files.iter().filter(|f| f.ends_with(".body")).collect();
    assert_eq!(bodies.len(), 5, "{files:?}");
    for body in bodies {
        let parts: Vec<&str> = body.split('/').collect();
        assert_eq!(parts.len(), 2, "{body}");
        assert!(parts[0] == host || parts[0] == format!("localhost_{}", server.addr.port()));
        assert_eq!(parts[1].len(), 32 + ".body".len(), "{body}");
    }
}

#[test]
fn no_more_than_four_requests_are_in_flight_per_host() {
    let server = Server::start(|r| match r.path.as_str() {
        "/robots.txt" => not_found(),
        _ => slow_text("slow page", 150),
    });
    let urls: Vec<String> = (0..16).map(|i| server.url(&format!("/page/{i}"))).collect();
    let ws = Workspace::new(&urls, "");
    ws.fetch();
    assert_eq!(
        ws.raw_files()
            .iter()
            .filter(|f| f.ends_with(".body"))
            .count(),
        16
    );
    let max = server.max_in_flight.load(Ordering::SeqCst);
    assert!(max <= 4, "{max} requests were in flight at once");
    assert!(
        max >= 2,
        "requests to one host should still overlap (max {max})"
    );
}

#[test]
fn a_redirect_to_another_host_waits_for_that_hosts_permit() {
    // localhost and 127.0.0.1 are two hosts to the fetcher and one server here, which counts
    // requests by their Host header. Pages on 127.0.0.1 redirect to slow pages on localhost.
    let server = Server::start(|r| match r.path.as_str() {
        "/robots.txt" => not_found(),
        p if p.starts_with("/hop/") => {
            let target = format!("http://localhost:{}/slow/{}", r.port(), &p[5..]);
            reply(302, &[("Location", target.as_str())], "")
        }
        _ => slow_text("slow page", 300),
    });
    let localhost = format!("localhost:{}", server.addr.port());
    let mut urls: Vec<String> = (0..3)
        .map(|i| format!("http://{localhost}/slow/direct-{i}"))
        .collect();
    urls.extend((0..3).map(|i| server.url(&format!("/hop/{i}"))));
    // Six 300 ms answers from localhost, one at a time, take 1.8 s: the last hop waits longer
    // than a try's whole budget for its permit, and that wait is not counted against it.
    let ws = Workspace::new(&urls, "per_host_concurrency = 1\ntotal_timeout_ms = 1000");
    ws.fetch();
    assert!(ws.jsonl("raw/fetch-rejects.jsonl").is_empty());
    assert_eq!(ws.sidecars().len(), 6);
    let max = server.max_in_flight_for(&localhost);
    assert_eq!(
        max, 1,
        "{max} requests to {localhost} were in flight at once"
    );
}

#[test]
fn a_redirect_targets_robots_txt_counts_against_the_try() {
    // The target's robots.txt and its page each take 900 ms: together past the 1 s budget.
    let server = Server::start(|r| {
        let host = r.header("host").unwrap_or_default();
        match r.path.as_str() {
            "/robots.txt" if host.starts_with("localhost") => delayed(not_found(), 900),
            "/robots.txt" => not_found(),
            "/hop" => {
                let target = format!("http://localhost:{}/page", r.port());
                reply(302, &[("Location", target.as_str())], "")
            }
            _ => slow_text("late page", 900),
        }
    });
    let ws = Workspace::new(
        &[server.url("/hop")],
        "total_timeout_ms = 1000\nretries = 0",
    );
    ws.fetch();
    let rejects = ws.jsonl("raw/fetch-rejects.jsonl");
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(rejects[0]["reason"], "timeout", "{rejects:?}");
}

#[test]
fn redirects_that_cross_between_two_hosts_all_complete() {
    // Each host's pages redirect to the other's: a fetcher that held one host's permit while
    // waiting for the other's could wait forever with one permit per host.
    let server = Server::start(|r| {
        let host = r.header("host").unwrap_or_default();
        let port = r.port();
        let other = if host.starts_with("localhost") {
            "127.0.0.1"
        } else {
            "localhost"
        };
        match r.path.as_str() {
            "/robots.txt" => not_found(),
            p if p.starts_with("/hop/") => {
                let target = format!("http://{other}:{port}/page/{}", &p[5..]);
                reply(302, &[("Location", target.as_str())], "")
            }
            _ => slow_text("page", 100),
        }
    });
    let port = server.addr.port();
    let urls: Vec<String> = (0..4)
        .flat_map(|i| {
            [
                format!("http://localhost:{port}/hop/a{i}"),
                format!("http://127.0.0.1:{port}/hop/b{i}"),
            ]
        })
        .collect();
    let ws = Workspace::new(&urls, "per_host_concurrency = 1\nglobal_concurrency = 2");
    ws.fetch_within(Duration::from_secs(20));
    assert!(ws.jsonl("raw/fetch-rejects.jsonl").is_empty());
    let finals: Vec<String> = ws
        .sidecars()
        .iter()
        .map(|s| s["final_url"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(finals.len(), 8);
    assert!(finals.iter().all(|u| u.contains("/page/")), "{finals:?}");
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        assert_eq!(server.max_in_flight_for(&host), 1, "{host}");
    }
}

#[test]
fn a_second_run_revalidates_and_reuses_the_stored_copy() {
    let server = Server::start(|r| match r.path.as_str() {
        "/page" if r.header("if-none-match") == Some("\"v1\"") => {
            reply(304, &[("ETag", "\"v1\"")], "")
        }
        "/page" => reply(
            200,
            &[
                ("Content-Type", "text/plain; charset=utf-8"),
                ("ETag", "\"v1\""),
                ("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ],
            "A page that does not change between runs.",
        ),
        _ => not_found(),
    });
    let ws = Workspace::new(&[server.url("/page")], "");
    ws.run();
    let first_files = ws.raw_files();
    let first_doc = ws.jsonl("out/documents.jsonl")[0].clone();
    let stderr = String::from_utf8(ws.run().stderr).unwrap();
    assert!(stderr.contains("1 unchanged (304)"), "{stderr}");
    let requests = server.requests("/page");
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].header("if-none-match"), Some("\"v1\""));
    assert_eq!(
        requests[1].header("if-modified-since"),
        Some("Wed, 21 Oct 2015 07:28:00 GMT")
    );
    assert_eq!(
        ws.raw_files(),
        first_files,
        "the stored copy is reused, not duplicated"
    );
    let docs = ws.jsonl("out/documents.jsonl");
    assert_eq!(docs, [first_doc]);
    assert!(ws.sidecars()[0]["revalidated_at"].is_string());
}

#[test]
fn a_partial_body_from_an_interrupted_fetch_is_never_taken_as_complete() {
    let server = Server::start(|r| match r.path.as_str() {
        "/page" => text("The whole page, at last."),
        _ => not_found(),
    });
    let ws = Workspace::new(&[server.url("/page")], "");
    ws.fetch();
    let body = ws
        .raw_files()
        .into_iter()
        .find(|f| f.ends_with(".body"))
        .unwrap();
    let body = ws.path("raw").join(body);
    // Simulate a fetch killed mid-body: no complete body, a leftover partial file.
    let partial = body.with_file_name(format!(
        ".{}.part",
        body.file_name().unwrap().to_string_lossy()
    ));
    std::fs::rename(&body, &partial).unwrap();
    std::fs::write(&partial, "The whole").unwrap();
    // Hidden files read too: the partial file stays out as a fetch's own, not as a dot file.
    let settings = ws.path("pipeline.toml");
    let config = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(
        &settings,
        format!("{config}\n[input]\nskip_hidden = false\n"),
    )
    .unwrap();
    ws.docnorm(&["run", "--input", "raw", "--output", "out"]);
    assert!(
        ws.jsonl("out/documents.jsonl").is_empty(),
        "a .part file is not an input"
    );
    ws.fetch();
    assert_eq!(
        std::fs::read_to_string(&body).unwrap(),
        "The whole page, at last."
    );
    assert!(!partial.exists());
    assert_eq!(server.requests("/page").len(), 2);
    ws.docnorm(&["run", "--input", "raw", "--output", "out"]);
    let docs = ws.jsonl("out/documents.jsonl");
    assert_eq!(
        docs.len(),
        1,
        "sidecars and fetch-rejects.jsonl are not inputs"
    );
    assert_eq!(docs[0]["source"], server.url("/page"));
}

#[test]
fn fetch_prints_a_summary_line() {
    let server = Server::start(|r| match r.path.as_str() {
        "/ok" => text("fine"),
        _ => not_found(),
    });
    let ws = Workspace::new(
        &[server.url("/ok"), server.url("/gone"), server.url("/ok")],
        "",
    );
    let stderr = String::from_utf8(ws.fetch().stderr).unwrap();
    assert!(
        stderr.contains("2 URLs: 1 fetched, 0 unchanged (304), 1 failed (http 404: 1), 1 duplicate lines skipped"),
        "{stderr}"
    );
}

#[test]
fn two_spellings_of_one_url_are_fetched_once() {
    let server = Server::start(|r| match r.path.as_str() {
        "/ok" => text("fine"),
        _ => not_found(),
    });
    let spelled = server
        .url("/ok")
        .replacen("http://", "HTTP://", 1)
        .replace("/ok", "/./ok");
    let ws = Workspace::new(&[server.url("/ok"), spelled], "");
    let stderr = String::from_utf8(ws.fetch().stderr).unwrap();
    assert!(
        stderr.contains("1 URLs: 1 fetched") && stderr.contains("1 duplicate lines skipped"),
        "{stderr}"
    );
    assert_eq!(server.requests("/ok").len(), 1);
}
