use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::*;

/// A served folder with a page, a wasm file and links out of it, removed when dropped.
struct Site {
    dir: PathBuf,
    addr: SocketAddr,
}

impl Site {
    fn start(name: &str, limits: Limits) -> Site {
        let dir =
            std::env::temp_dir().join(format!("pauselab-serve-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
        fs::write(dir.join("m.wasm"), [0, 97, 115, 109]).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.join("passwd")).unwrap();
        std::os::unix::fs::symlink("/", dir.join("root")).unwrap();
        let server = Server::with_limits(&dir, "127.0.0.1:0".parse().unwrap(), limits).unwrap();
        let addr = server.local_addr().unwrap();
        std::thread::spawn(move || server.run());
        Site { dir, addr }
    }

    /// Sends `request` and reads the whole answer (the server closes, or 5 s pass).
    fn raw(&self, request: &[u8]) -> String {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        stream.write_all(request).unwrap();
        let mut text = Vec::new();
        let _ = stream.read_to_end(&mut text);
        String::from_utf8_lossy(&text).into_owned()
    }

    fn get(&self, path: &str) -> String {
        self.raw(
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Whether the server has closed `stream`, waiting at most `limit`.
fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut byte = [0u8; 512];
    let start = Instant::now();
    while start.elapsed() < limit {
        match stream.read(&mut byte) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
    false
}

#[test]
fn a_folder_without_the_page_is_refused_by_name() {
    let error =
        Server::bind(Path::new("/nonexistent"), "127.0.0.1:0".parse().unwrap()).unwrap_err();
    assert!(error.to_string().contains("build-web.sh"), "{error}");
}

#[test]
fn it_serves_the_page_with_its_content_types() {
    let site = Site::start("page", Limits::default());
    let page = site.get("/");
    assert!(
        page.starts_with("HTTP/1.1 200 OK") && page.ends_with("<!doctype html>"),
        "{page}"
    );
    assert!(site
        .get("/m.wasm")
        .contains("Content-Type: application/wasm"));
    assert!(site.get("/nope.js").starts_with("HTTP/1.1 404"));
    let head = site.raw(b"HEAD / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(
        head.starts_with("HTTP/1.1 200") && head.ends_with("\r\n\r\n"),
        "{head}"
    );
}

#[test]
fn nothing_outside_the_folder_is_served_even_through_symlinks() {
    let site = Site::start("links", Limits::default());
    for path in [
        "/passwd",
        "/root/etc/passwd",
        "/../etc/passwd",
        "/%2e%2e/etc/passwd",
    ] {
        let answer = site.get(path);
        assert!(answer.starts_with("HTTP/1.1 403"), "{path}: {answer}");
        assert!(!answer.contains("root:"), "{path} leaked /etc/passwd");
    }
}

#[test]
fn malformed_requests_get_400_and_oversized_heads_431() {
    let site = Site::start("bad", Limits::default());
    for request in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET nopath HTTP/1.1\r\n\r\n",
        b"GET / HTTP/9\r\n\r\n",
        b"get / HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
        b"GET / HTTP/1.1\r\nX: \xff\xfe\r\n\r\n",
        b"GET /a%zz HTTP/1.1\r\n\r\n",
        b"GET /\x01 HTTP/1.1\r\n\r\n",
    ] {
        let answer = site.raw(request);
        assert!(
            answer.starts_with("HTTP/1.1 400 Bad Request"),
            "{:?}: {answer}",
            String::from_utf8_lossy(request)
        );
    }
    let mut big = b"GET / HTTP/1.1\r\n".to_vec();
    for i in 0..2_000 {
        big.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "y".repeat(20)).as_bytes());
    }
    big.extend_from_slice(b"\r\n");
    assert!(site.raw(&big).starts_with("HTTP/1.1 431"));
    assert!(site
        .raw(b"POST / HTTP/1.1\r\nConnection: close\r\n\r\n")
        .starts_with("HTTP/1.1 405"));
}

#[test]
fn slow_clients_are_dropped_and_cannot_hold_every_connection() {
    let limits = Limits {
        connections: 8,
        head_time: Duration::from_millis(600),
        ..Limits::default()
    };
    let site = Site::start("slow", limits);
    // Trickling clients: a byte now and then, never a whole head.
    let mut trickling: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut stream = TcpStream::connect(site.addr).unwrap();
            stream.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").unwrap();
            stream
        })
        .collect();
    // Every slot is taken: a ninth client is told so, at once.
    let start = Instant::now();
    let busy = loop {
        let answer = site.get("/");
        if answer.starts_with("HTTP/1.1 503") || start.elapsed() > Duration::from_secs(5) {
            break answer;
        }
    };
    assert!(busy.starts_with("HTTP/1.1 503"), "{busy}");
    for stream in &mut trickling {
        let _ = stream.write_all(b"y");
    }
    // Past the head deadline every trickler is dropped, whatever it keeps sending.
    for stream in &mut trickling {
        assert!(
            closed_within(stream, Duration::from_secs(5)),
            "a slow client was kept"
        );
    }
    // And the slots are free again.
    let start = Instant::now();
    let page = loop {
        let answer = site.get("/");
        if answer.starts_with("HTTP/1.1 200") || start.elapsed() > Duration::from_secs(5) {
            break answer;
        }
    };
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
}

#[test]
fn it_sends_the_best_precompressed_file_the_browser_accepts() {
    let site = Site::start("encoding", Limits::default());
    fs::write(site.dir.join("m.wasm.br"), "BROTLI").unwrap();
    fs::write(site.dir.join("m.wasm.gz"), "GZIP").unwrap();
    let ask = |encodings: &str| {
        site.raw(
            format!(
                "GET /m.wasm HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: {encodings}\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        )
    };
    let brotli = ask("gzip, deflate, br, zstd");
    assert!(brotli.contains("\r\nContent-Encoding: br\r\n"), "{brotli}");
    assert!(
        brotli.contains("\r\nContent-Type: application/wasm\r\n"),
        "{brotli}"
    );
    assert!(brotli.contains("\r\nVary: Accept-Encoding\r\n"), "{brotli}");
    assert!(
        brotli.contains("\r\nContent-Length: 6\r\n") && brotli.ends_with("BROTLI"),
        "{brotli}"
    );
    let gzip = ask("br;q=0, gzip");
    assert!(
        gzip.contains("\r\nContent-Encoding: gzip\r\n") && gzip.ends_with("GZIP"),
        "{gzip}"
    );
    let plain = ask("identity");
    assert!(!plain.contains("Content-Encoding"), "{plain}");
    assert!(plain.contains("\r\nVary: Accept-Encoding\r\n"), "{plain}");
    assert!(plain.ends_with("\0asm"), "{plain:?}");
    // Without siblings (the page here), the file itself, whatever is accepted.
    let page = site.raw(
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: br\r\nConnection: close\r\n\r\n",
    );
    assert!(
        !page.contains("Content-Encoding") && page.ends_with("<!doctype html>"),
        "{page}"
    );
    // A sibling that is a link out of the folder is never sent.
    fs::remove_file(site.dir.join("m.wasm.br")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.dir.join("m.wasm.br")).unwrap();
    let outside = ask("br, gzip");
    assert!(
        outside.contains("Content-Encoding: gzip") && outside.ends_with("GZIP"),
        "{outside}"
    );
    // HEAD tells the compressed length without the body.
    let head = site.raw(
        b"HEAD /m.wasm HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n",
    );
    assert!(
        head.contains("Content-Length: 4\r\n") && head.ends_with("\r\n\r\n"),
        "{head}"
    );
}
