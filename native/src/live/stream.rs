//! The record as Server-Sent Events: `start` (a record's first look, the page's bytes in
//! base64url), then `change` per look. Each message's id is `EPOCH-N` (N changes had), which a
//! reconnecting EventSource sends back as `Last-Event-ID`: a page gets what it missed, or the
//! record anew when the server started a new one meanwhile.

use std::io::{self, Write};
use std::time::Duration;

use super::{Live, Next};

/// Reads `Last-Event-ID` (`EPOCH-N`, epoch in hex): what the page has. Anything else is a new page.
pub fn parse_last_id(id: &str) -> Option<(u64, usize)> {
    let (epoch, count) = id.trim().split_once('-')?;
    Some((u64::from_str_radix(epoch, 16).ok()?, count.parse().ok()?))
}

fn message(
    out: &mut impl Write,
    kind: &str,
    epoch: u64,
    count: usize,
    data: &str,
) -> io::Result<()> {
    write!(
        out,
        "event: {kind}\nid: {epoch:x}-{count}\ndata: {data}\n\n"
    )
}

/// Streams the record to one page until it goes away (a write fails) or `lifetime` passes
/// (the page's EventSource then reconnects with the id it has: a page that stopped reading
/// holds a stream no longer than that). `idle` is how long nothing new may pass before a
/// comment line is sent, which finds a page that left.
pub fn serve(
    out: &mut impl Write,
    live: &Live,
    last_id: Option<&str>,
    idle: Duration,
    lifetime: Duration,
) -> io::Result<()> {
    let ends = std::time::Instant::now() + lifetime;
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 1000\n\n",
    )?;
    out.flush()?;
    let mut had = last_id.and_then(parse_last_id);
    loop {
        let left = ends.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Ok(());
        }
        match live.next(had, idle.min(left)) {
            Next::Start(epoch, start, changes) => {
                message(out, "start", epoch, 0, &start)?;
                for (index, change) in changes.iter().enumerate() {
                    message(out, "change", epoch, index + 1, change)?;
                }
                had = Some((epoch, changes.len()));
            }
            Next::Changes(epoch, from, changes) => {
                for (index, change) in changes.iter().enumerate() {
                    message(out, "change", epoch, from + index, change)?;
                }
                had = Some((epoch, from - 1 + changes.len()));
            }
            Next::Nothing => out.write_all(b": idle\n\n")?,
        }
        out.flush()?;
    }
}

/// Who may ask: anyone who reaches the address, or only with the token.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Access {
    /// On loopback, by default: only this machine's users reach it.
    #[default]
    Open,
    /// Every request carries the token: `?token=`, the cookie a first such request sets, or
    /// `Authorization: Bearer`.
    Token(String),
}

/// The cookie that carries the token after the first request with `?token=`, named after the
/// port: a browser sends a host's cookies to all its ports.
pub fn cookie_name(port: u16) -> String {
    format!("pauselab_token_{port}")
}

/// What a request carries that may be the token.
#[derive(Clone, Copy, Debug, Default)]
pub struct Credentials<'a> {
    /// The request's path and query.
    pub target: &'a str,
    /// The `Cookie` header.
    pub cookie: &'a str,
    /// The `Authorization` header.
    pub authorization: &'a str,
    /// This server's cookie ([`cookie_name`]).
    pub cookie_name: &'a str,
}

/// A request without the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("this server needs its token: open the URL it printed (with ?token=)")]
pub struct NoToken;

/// Whether two strings are equal, in a time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

impl Access {
    /// Whether the request may be answered; and if it brought the token in its query, the
    /// `Set-Cookie` line (CRLF-ended) that lets the page's own requests carry it.
    pub fn admit(&self, request: Credentials<'_>) -> Result<Option<String>, NoToken> {
        let Access::Token(token) = self else {
            return Ok(None);
        };
        let query = request.target.split_once('?').map_or("", |(_, q)| q);
        let in_query = query
            .split('&')
            .filter_map(|pair| pair.strip_prefix("token="))
            .any(|given| same(given, token));
        if in_query {
            return Ok(Some(format!(
                "Set-Cookie: {}={token}; Path=/; HttpOnly; SameSite=Strict\r\n",
                request.cookie_name
            )));
        }
        let in_cookie = request
            .cookie
            .split(';')
            .filter_map(|pair| {
                pair.trim()
                    .strip_prefix(request.cookie_name)?
                    .strip_prefix('=')
            })
            .any(|given| same(given, token));
        let bearer = request
            .authorization
            .strip_prefix("Bearer ")
            .is_some_and(|given| same(given.trim(), token));
        if in_cookie || bearer {
            Ok(None)
        } else {
            Err(NoToken)
        }
    }
}

/// A new token: 128 bits from the kernel's random source, in hex.
pub fn new_token() -> io::Result<String> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| io::Read::read_exact(&mut f, &mut bytes))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_taken_from_the_query_the_cookie_or_the_header_and_nowhere_else() {
        let access = Access::Token("s3cret".into());
        let ask = |target, cookie, authorization| {
            access.admit(Credentials {
                target,
                cookie,
                authorization,
                cookie_name: "pauselab_token_80",
            })
        };
        let cookie = ask("/live/?token=s3cret", "", "").unwrap().unwrap();
        assert!(
            cookie.starts_with("Set-Cookie: pauselab_token_80=s3cret;")
                && cookie.contains("HttpOnly")
        );
        assert_eq!(
            ask("/live/events", "a=b; pauselab_token_80=s3cret", ""),
            Ok(None)
        );
        assert_eq!(ask("/live/events", "", "Bearer s3cret"), Ok(None));
        for (target, cookie, header) in [
            ("/", "", ""),
            ("/?token=s3cre", "", ""),
            ("/?token=S3CRET", "", ""),
            ("/?xtoken=s3cret", "", ""),
            ("/", "pauselab_token_80=nope", ""),
            ("/", "pauselab_token_81=s3cret", ""),
            ("/", "", "Basic s3cret"),
        ] {
            assert_eq!(
                ask(target, cookie, header),
                Err(NoToken),
                "{target} {cookie} {header}"
            );
        }
        assert_eq!(Access::Open.admit(Credentials::default()), Ok(None));
        let token = new_token().unwrap();
        assert_eq!(token.len(), 32);
        assert_ne!(token, new_token().unwrap());
    }

    #[test]
    fn a_last_event_id_is_an_epoch_and_a_count() {
        assert_eq!(parse_last_id("1f-3"), Some((0x1f, 3)));
        for bad in ["", "1f", "x-1", "1f--1", "1f-"] {
            assert_eq!(parse_last_id(bad), None, "{bad}");
        }
    }
}
