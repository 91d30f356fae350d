//! `pauselab serve`: the browser tutorial's static files over HTTP on loopback. The page has
//! no server logic, so this is only GET and HEAD of files in one folder, with the content
//! types a browser insists on (`application/wasm` for streaming compilation).

use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

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

/// A request line longer than this is refused: no file of ours has such a path.
const MAX_REQUEST_LINE: usize = 8 * 1024;
/// A client that sends nothing for this long is dropped, so it cannot hold a thread.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

/// A bound server, not yet answering.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    root: PathBuf,
}

impl Server {
    /// Binds `addr` (port 0 picks a free one) for the files under `root`.
    pub fn bind(root: &Path, addr: SocketAddr) -> Result<Server, ServeError> {
        if !root.join("index.html").is_file() {
            return Err(ServeError::NoIndex(root.to_owned()));
        }
        let listener =
            TcpListener::bind(addr).map_err(|source| ServeError::Bind { addr, source })?;
        Ok(Server {
            listener,
            root: root.to_owned(),
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Answers requests until the process ends, one thread per connection.
    pub fn run(self) -> ! {
        loop {
            let Ok((stream, _)) = self.listener.accept() else {
                continue;
            };
            let root = self.root.clone();
            std::thread::spawn(move || {
                // A client that goes away mid-answer is no error of ours.
                let _ = answer(stream, &root);
            });
        }
    }
}

/// The content type for a file name.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// The file a request path names, or none if it would leave the root.
pub fn resolve(root: &Path, request_path: &str) -> Option<PathBuf> {
    let path = request_path.split(['?', '#']).next().unwrap_or("");
    let mut file = root.to_owned();
    for component in Path::new(path.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    Some(file)
}

fn answer(stream: TcpStream, root: &Path) -> io::Result<()> {
    stream.set_read_timeout(Some(CLIENT_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let mut request = String::new();
        if reader
            .by_ref()
            .take(MAX_REQUEST_LINE as u64)
            .read_line(&mut request)?
            == 0
        {
            return Ok(());
        }
        // The headers say nothing this server needs; read them to the blank line.
        let mut keep_alive = true;
        loop {
            let mut header = String::new();
            if reader
                .by_ref()
                .take(MAX_REQUEST_LINE as u64)
                .read_line(&mut header)?
                == 0
            {
                return Ok(());
            }
            if header.to_ascii_lowercase().starts_with("connection: close") {
                keep_alive = false;
            }
            if header.trim().is_empty() {
                break;
            }
        }
        let mut parts = request.split_whitespace();
        let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let (status, body, kind) = match (method, resolve(root, path)) {
            ("GET" | "HEAD", Some(file)) => match fs::read(&file) {
                Ok(body) => ("200 OK", body, content_type(&file)),
                Err(_) => ("404 Not Found", b"not found\n".to_vec(), "text/plain"),
            },
            ("GET" | "HEAD", None) => ("403 Forbidden", b"forbidden\n".to_vec(), "text/plain"),
            _ => (
                "405 Method Not Allowed",
                b"GET or HEAD only\n".to_vec(),
                "text/plain",
            ),
        };
        write!(
            writer,
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n\r\n",
            body.len()
        )?;
        if method != "HEAD" {
            writer.write_all(&body)?;
        }
        writer.flush()?;
        if !keep_alive {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_root() {
        let root = Path::new("/srv/dist");
        assert_eq!(
            resolve(root, "/pauselab_web.js?v=1"),
            Some(root.join("pauselab_web.js"))
        );
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/a/../../x"), None);
        assert_eq!(content_type(Path::new("x.wasm")), "application/wasm");
    }

    #[test]
    fn a_folder_without_the_page_is_refused_by_name() {
        let error =
            Server::bind(Path::new("/nonexistent"), "127.0.0.1:0".parse().unwrap()).unwrap_err();
        assert!(error.to_string().contains("build-web.sh"), "{error}");
    }

    #[test]
    fn it_serves_the_page_with_its_content_types() {
        let dir = std::env::temp_dir().join(format!("pauselab-serve-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        fs::write(dir.join("m.wasm"), [0, 97, 115, 109]).unwrap();
        let server = Server::bind(&dir, "127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = server.local_addr().unwrap();
        std::thread::spawn(move || server.run());
        let get = |path: &str| {
            let mut stream = TcpStream::connect(addr).unwrap();
            write!(
                stream,
                "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut text = Vec::new();
            stream.read_to_end(&mut text).unwrap();
            String::from_utf8_lossy(&text).into_owned()
        };
        let page = get("/");
        assert!(
            page.starts_with("HTTP/1.1 200 OK") && page.ends_with("<!doctype html>"),
            "{page}"
        );
        assert!(get("/m.wasm").contains("Content-Type: application/wasm"));
        assert!(get("/nope.js").starts_with("HTTP/1.1 404"));
        assert!(get("/../x").starts_with("HTTP/1.1 403"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
