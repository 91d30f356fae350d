//! Reading one request head (request line and headers) from a client that may be slow, silent
//! or hostile: it must arrive whole within a deadline and a size, and look like HTTP/1.x.

use std::io::{self, BufRead, BufReader, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// What a request asks for, as far as a static file server cares.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The path and query.
    pub target: String,
    /// Whether the client wants the connection kept open.
    pub keep_alive: bool,
    /// The `Accept-Encoding` header's value, lowercased.
    pub accept_encoding: String,
    /// `Last-Event-ID`, sent by a reconnecting EventSource.
    pub last_event_id: Option<String>,
    /// `Cookie`, as sent.
    pub cookie: String,
    /// `Authorization`, as sent.
    pub authorization: String,
    /// `Host`, lowercased.
    pub host: String,
}

/// Why no request head could be read.
#[derive(Debug)]
pub enum HeadError {
    /// The client closed the connection between requests, or went silent: nothing to answer.
    Gone,
    /// The client did not send the head in time: drop it.
    TooSlow,
    /// The head is larger than allowed (answer 431).
    TooLarge,
    /// Not HTTP/1.x (answer 400).
    Malformed(&'static str),
}

/// Reads one head from `reader`, giving up at `deadline` or past `max_bytes`.
pub fn read_head(
    reader: &mut BufReader<TcpStream>,
    deadline: Instant,
    max_bytes: usize,
) -> Result<Head, HeadError> {
    let mut budget = max_bytes;
    let request = read_line(reader, deadline, &mut budget, true)?;
    let mut parts = request.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Malformed(
            "the request line is not METHOD PATH VERSION",
        ));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(HeadError::Malformed("the method is not a word in capitals"));
    }
    if !target.starts_with('/') {
        return Err(HeadError::Malformed("the path does not start with /"));
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => {
            return Err(HeadError::Malformed(
                "the version is not HTTP/1.0 or HTTP/1.1",
            ))
        }
    };
    let mut head = Head {
        method: method.to_owned(),
        target: target.to_owned(),
        keep_alive: http11,
        accept_encoding: String::new(),
        last_event_id: None,
        cookie: String::new(),
        authorization: String::new(),
        host: String::new(),
    };
    loop {
        let line = read_line(reader, deadline, &mut budget, false)?;
        if line.is_empty() {
            return Ok(head);
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(HeadError::Malformed("a header line has no colon"));
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(HeadError::Malformed("a header name is not a token"));
        }
        let raw = value.trim();
        let value = raw.to_ascii_lowercase();
        match name.to_ascii_lowercase().as_str() {
            "connection" if value == "close" => head.keep_alive = false,
            "connection" if value == "keep-alive" => head.keep_alive = true,
            "accept-encoding" => head.accept_encoding = value,
            // Tokens are case-sensitive: these keep their case.
            "last-event-id" => head.last_event_id = Some(raw.to_owned()),
            "cookie" => head.cookie = raw.to_owned(),
            "authorization" => head.authorization = raw.to_owned(),
            "host" => head.host = value,
            _ => {}
        }
    }
}

/// One CRLF-ended line, without its end; printable ASCII or UTF-8 text only.
fn read_line(
    reader: &mut BufReader<TcpStream>,
    deadline: Instant,
    budget: &mut usize,
    first: bool,
) -> Result<String, HeadError> {
    let mut line = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::TooSlow);
        }
        // Each read waits at most until the deadline, so a trickle cannot stretch it.
        reader
            .get_ref()
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .map_err(|_| HeadError::Gone)?;
        let before = line.len();
        let read = reader
            .by_ref()
            .take((*budget).max(1) as u64)
            .read_until(b'\n', &mut line);
        match read {
            Ok(0) if first && line.is_empty() => return Err(HeadError::Gone),
            Ok(0) => return Err(HeadError::Malformed("the connection closed mid-request")),
            Ok(n) => {
                *budget = budget.saturating_sub(n);
                if line.ends_with(b"\n") {
                    break;
                }
                if *budget == 0 {
                    return Err(HeadError::TooLarge);
                }
            }
            Err(error)
                if matches!(
                    error.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if first && before == 0 && line.is_empty() {
                    return Err(HeadError::Gone);
                }
                return Err(HeadError::TooSlow);
            }
            Err(_) => return Err(HeadError::Gone),
        }
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    let text = String::from_utf8(line).map_err(|_| HeadError::Malformed("the head is not text"))?;
    if text.chars().any(|c| c.is_control() && c != '\t') {
        return Err(HeadError::Malformed("the head has control characters"));
    }
    Ok(text)
}
