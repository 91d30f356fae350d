//! `pauselab serve`: the browser tutorial's static files over HTTP on loopback. The page has
//! no server logic, so this is only GET and HEAD of files in one folder, with the content
//! types a browser insists on (`application/wasm` for streaming compilation), and each file's
//! precompressed sibling (`.br`, `.gz`, from the build) when the browser accepts it.
//!
//! It runs as root on readers' machines, so it trusts nothing: a path never leads outside the
//! folder (symlinks are followed, then checked), a request head must arrive whole within a few
//! seconds and a few kilobytes, connections are capped, and what is not HTTP/1.x gets 400.

mod files;
mod http;

use std::fs;
use std::io::{self, BufReader, Write};
use std::net::IpAddr;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use crate::live::stream::Access;
use crate::live::stream::Credentials;
use crate::live::Live;
pub use files::{compressible, content_type, precompressed, resolve, Coding, Refusal};
use http::{read_head, Head, HeadError};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The folder to serve has no `index.html`.
    #[error("{0} has no index.html: build the tutorial first (bash scripts/build-web.sh)")]
    NoIndex(PathBuf),
    /// The address is taken or not ours.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: io::Error,
    },
}

/// What one client may take.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Connections answered at once; more get 503 and are closed.
    pub connections: usize,
    /// How long a request head may take to arrive, from its first byte's wait.
    pub head_time: Duration,
    /// The largest request head.
    pub head_bytes: usize,
    /// How long an answer may take to be taken by the client.
    pub write_time: Duration,
    /// Live streams (`/live/events`) at once, within `connections`.
    pub streams: usize,
    /// How long a live stream may be quiet before a comment line checks the page is there.
    pub idle: Duration,
    /// How long one live stream lasts before the page is made to reconnect.
    pub stream_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections: 64,
            head_time: Duration::from_secs(5),
            head_bytes: 16 * 1024,
            write_time: Duration::from_secs(30),
            streams: 16,
            idle: Duration::from_secs(15),
            stream_time: Duration::from_secs(600),
        }
    }
}

/// A bound server, not yet answering.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    root: PathBuf,
    limits: Limits,
    live: Option<Live>,
    access: Access,
}

/// What every connection's thread shares.
#[derive(Debug)]
struct Context {
    root: PathBuf,
    limits: Limits,
    live: Option<Live>,
    access: Access,
    streams: AtomicUsize,
    /// The token's cookie, named after this server's port.
    cookie_name: String,
}

/// Whether a `Host` header names this machine (with any port), or is absent (HTTP/1.0).
fn local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    host.is_empty()
        || name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether an address is this machine's alone (127.0.0.0/8, ::1).
pub fn is_loopback(addr: SocketAddr) -> bool {
    match addr.ip() {
        IpAddr::V4(ip) => ip.is_loopback(),
        IpAddr::V6(ip) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

impl Server {
    /// Binds `addr` (port 0 picks a free one) for the files under `root`.
    pub fn bind(root: &Path, addr: SocketAddr) -> Result<Server, ServeError> {
        Server::with_limits(root, addr, Limits::default())
    }

    /// Like [`Server::bind`], with other limits.
    pub fn with_limits(
        root: &Path,
        addr: SocketAddr,
        limits: Limits,
    ) -> Result<Server, ServeError> {
        let root = root
            .canonicalize()
            .ok()
            .filter(|root| root.join("index.html").is_file())
            .ok_or_else(|| ServeError::NoIndex(root.to_owned()))?;
        let listener =
            TcpListener::bind(addr).map_err(|source| ServeError::Bind { addr, source })?;
        Ok(Server {
            listener,
            root,
            limits,
            live: None,
            access: Access::Open,
        })
    }

    /// Also serves this node, live: `/live/snapshot` and `/live/events`.
    pub fn with_live(mut self, live: Live) -> Server {
        self.live = Some(live);
        self
    }

    /// Answers only requests that carry the token.
    pub fn with_access(mut self, access: Access) -> Server {
        self.access = access;
        self
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Answers requests until the process ends, one thread per connection, at most
    /// `limits.connections` at once.
    pub fn run(self) -> ! {
        let busy = Arc::new(AtomicUsize::new(0));
        let port = self.listener.local_addr().map_or(0, |a| a.port());
        let context = Arc::new(Context {
            cookie_name: crate::live::stream::cookie_name(port),
            root: self.root,
            limits: self.limits,
            live: self.live,
            access: self.access,
            streams: AtomicUsize::new(0),
        });
        loop {
            let Ok((mut stream, _)) = self.listener.accept() else {
                continue;
            };
            if busy.load(Ordering::Acquire) >= self.limits.connections {
                // A fresh socket's send buffer takes this at once; then it is closed.
                let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
                let _ = respond(
                    &mut stream,
                    "503 Service Unavailable",
                    b"busy\n",
                    "text/plain",
                    false,
                    false,
                );
                continue;
            }
            busy.fetch_add(1, Ordering::AcqRel);
            let slot = Slot(Arc::clone(&busy));
            let context = Arc::clone(&context);
            std::thread::spawn(move || {
                let _slot = slot;
                // A client that goes away mid-answer is no error of ours.
                let _ = answer(stream, &context);
            });
        }
    }
}

/// One of the connections being answered; given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

fn respond(
    writer: &mut TcpStream,
    status: &str,
    body: &[u8],
    kind: &str,
    with_body: bool,
    keep_alive: bool,
) -> io::Result<()> {
    respond_with(writer, status, body, kind, "", with_body, keep_alive)
}

/// An answer, with `extra` header lines (each ending in CRLF) after the usual ones.
fn respond_with(
    writer: &mut TcpStream,
    status: &str,
    body: &[u8],
    kind: &str,
    extra: &str,
    with_body: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let connection = if keep_alive { "keep-alive" } else { "close" };
    write!(
        writer,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n{extra}Connection: {connection}\r\n\r\n",
        body.len()
    )?;
    if with_body {
        writer.write_all(body)?;
    }
    writer.flush()
}

fn answer(stream: TcpStream, context: &Context) -> io::Result<()> {
    let (root, limits) = (context.root.as_path(), context.limits);
    stream.set_write_timeout(Some(limits.write_time))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let deadline = Instant::now() + limits.head_time;
        let head = match read_head(&mut reader, deadline, limits.head_bytes) {
            Ok(head) => head,
            Err(HeadError::Gone | HeadError::TooSlow) => return Ok(()),
            Err(HeadError::TooLarge) => {
                let body = b"request head too large\n";
                return respond(
                    &mut writer,
                    "431 Request Header Fields Too Large",
                    body,
                    "text/plain",
                    true,
                    false,
                );
            }
            Err(HeadError::Malformed(why)) => {
                let body = format!("bad request: {why}\n");
                return respond(
                    &mut writer,
                    "400 Bad Request",
                    body.as_bytes(),
                    "text/plain",
                    true,
                    false,
                );
            }
        };
        let with_body = head.method != "HEAD";
        let mut extra = String::new();
        let credentials = Credentials {
            target: &head.target,
            cookie: &head.cookie,
            authorization: &head.authorization,
            cookie_name: &context.cookie_name,
        };
        let path = head.target.split(['?', '#']).next().unwrap_or("");
        // For a liveness probe, which carries no token: it says nothing but that it answers,
        // and holds no connection.
        if path == "/healthz" {
            return respond(
                &mut writer,
                "200 OK",
                b"ok\n",
                "text/plain",
                with_body,
                false,
            );
        }
        // Without a token, only this machine's own names: a page elsewhere that got a name
        // of its own to point here (DNS rebinding) is refused.
        if context.access == Access::Open && !local_host(&head.host) {
            let body = b"421: this server answers only to 127.0.0.1, localhost or [::1]\n";
            return respond(
                &mut writer,
                "421 Misdirected Request",
                body,
                "text/plain",
                with_body,
                false,
            );
        }
        match context.access.admit(credentials) {
            Ok(cookie) => extra.push_str(&cookie.unwrap_or_default()),
            Err(refusal) => {
                let body = format!("401: {refusal}\n");
                return respond(
                    &mut writer,
                    "401 Unauthorized",
                    body.as_bytes(),
                    "text/plain",
                    with_body,
                    false,
                );
            }
        }
        if let (Some(live), "GET", "/live/events") = (&context.live, head.method.as_str(), path) {
            return stream_live(&mut writer, context, live, &head);
        }
        let (status, body, kind) = match head.method.as_str() {
            "GET" | "HEAD" if context.live.is_some() && path == "/live/snapshot" => (
                "200 OK",
                context
                    .live
                    .as_ref()
                    .map(Live::snapshot_json)
                    .unwrap_or_default()
                    .into_bytes(),
                "application/json",
            ),
            "GET" | "HEAD" => match resolve(root, &head.target) {
                Ok(file) => {
                    // The build writes F.br and F.gz beside each text and wasm file: send the
                    // best one the browser takes, as F with its Content-Encoding.
                    let mut source = file.clone();
                    if compressible(&file) {
                        extra.push_str("Vary: Accept-Encoding\r\n");
                        if let Some((sibling, coding)) =
                            precompressed(root, &file, &head.accept_encoding)
                        {
                            extra.push_str(&format!("Content-Encoding: {}\r\n", coding.name()));
                            source = sibling;
                        }
                    }
                    match fs::read(&source) {
                        Ok(body) => ("200 OK", body, content_type(&file)),
                        Err(_) => {
                            extra.clear();
                            ("404 Not Found", b"not found\n".to_vec(), "text/plain")
                        }
                    }
                }
                Err(Refusal::Missing) => ("404 Not Found", b"not found\n".to_vec(), "text/plain"),
                Err(Refusal::Outside) => ("403 Forbidden", b"forbidden\n".to_vec(), "text/plain"),
                Err(Refusal::Malformed) => (
                    "400 Bad Request",
                    b"bad request: the path\n".to_vec(),
                    "text/plain",
                ),
            },
            _ => (
                "405 Method Not Allowed",
                b"GET or HEAD only\n".to_vec(),
                "text/plain",
            ),
        };
        let keep_alive = head.keep_alive && status != "400 Bad Request";
        respond_with(
            &mut writer,
            status,
            &body,
            kind,
            &extra,
            with_body,
            keep_alive,
        )?;
        if !keep_alive {
            return Ok(());
        }
    }
}

/// One page's live stream, within the cap on streams; it takes the connection.
fn stream_live(
    writer: &mut TcpStream,
    context: &Context,
    live: &Live,
    head: &Head,
) -> io::Result<()> {
    if context.streams.fetch_add(1, Ordering::AcqRel) >= context.limits.streams {
        context.streams.fetch_sub(1, Ordering::AcqRel);
        return respond(
            writer,
            "503 Service Unavailable",
            b"too many live pages\n",
            "text/plain",
            true,
            false,
        );
    }
    let result = crate::live::stream::serve(
        writer,
        live,
        head.last_event_id.as_deref(),
        context.limits.idle,
        context.limits.stream_time,
    );
    context.streams.fetch_sub(1, Ordering::AcqRel);
    result
}

#[cfg(test)]
mod tests;
