//! Which file a request names: inside the served folder, after every symlink is followed, or
//! none at all.

use std::path::{Component, Path, PathBuf};

/// Why a request path names no file to send.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a path a browser sends (a bad `%` escape, a NUL).
    Malformed,
    /// It would leave the folder (`..`, or a symlink pointing out).
    Outside,
    /// Nothing there.
    Missing,
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
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// A content coding the server may send a file in, best first: brotli, then gzip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    /// `br`, from the file's `.br` sibling.
    Brotli,
    /// `gzip`, from its `.gz` sibling.
    Gzip,
}

impl Coding {
    /// The `Content-Encoding` value.
    pub fn name(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gz",
        }
    }
}

/// Whether an `Accept-Encoding` value (lowercased) accepts `coding`: listed (or `*`) with a
/// quality above zero.
fn accepts(accept: &str, coding: Coding) -> bool {
    let mut star = false;
    for item in accept.split(',') {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or("");
        let zero = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        if name == coding.name() {
            return !zero;
        }
        if name == "*" {
            star = !zero;
        }
    }
    star
}

/// The best precompressed sibling of `file` (`F.br`, `F.gz`, written by the build) that the
/// client accepts, checked like any served path to be a file inside `root`.
pub fn precompressed(root: &Path, file: &Path, accept: &str) -> Option<(PathBuf, Coding)> {
    [Coding::Brotli, Coding::Gzip]
        .into_iter()
        .filter(|&coding| accepts(accept, coding))
        .find_map(|coding| {
            let mut name = file.file_name()?.to_os_string();
            name.push(".");
            name.push(coding.suffix());
            let sibling = inside(root, &file.with_file_name(name)).ok()?;
            sibling.is_file().then_some((sibling, coding))
        })
}

/// Whether a file of this type has compressed siblings worth asking for (text and wasm).
pub fn compressible(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("html" | "js" | "mjs" | "wasm" | "css" | "json" | "svg" | "txt" | "wire")
    )
}

/// `%XX` escapes decoded; `None` for a bad escape or a NUL.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    if out.contains(&0) {
        return None;
    }
    String::from_utf8(out).ok()
}

/// The regular file that `target` (a request's path, query allowed) names under `root`, which
/// must be canonical. Symlinks are followed and the result checked to be under `root`.
pub fn resolve(root: &Path, target: &str) -> Result<PathBuf, Refusal> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let path = percent_decode(path).ok_or(Refusal::Malformed)?;
    let mut file = root.to_owned();
    for component in Path::new(path.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(Refusal::Outside)
            }
        }
    }
    let mut real = inside(root, &file)?;
    if real.is_dir() {
        real = inside(root, &real.join("index.html"))?;
    }
    if real.is_file() {
        Ok(real)
    } else {
        Err(Refusal::Missing)
    }
}

/// Where `path` really is, if that is under `root`.
fn inside(root: &Path, path: &Path) -> Result<PathBuf, Refusal> {
    let real = path.canonicalize().map_err(|_| Refusal::Missing)?;
    if real.starts_with(root) {
        Ok(real)
    } else {
        Err(Refusal::Outside)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_root_even_through_symlinks() {
        let dir = std::env::temp_dir().join(format!("pauselab-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("index.html"), "page").unwrap();
        std::fs::write(dir.join("sub/app.js"), "js").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.join("passwd")).unwrap();
        std::os::unix::fs::symlink("/", dir.join("everything")).unwrap();
        std::os::unix::fs::symlink("sub/app.js", dir.join("alias.js")).unwrap();
        let root = dir.canonicalize().unwrap();

        assert_eq!(resolve(&root, "/"), Ok(root.join("index.html")));
        assert_eq!(
            resolve(&root, "/sub/app.js?v=1"),
            Ok(root.join("sub/app.js"))
        );
        assert_eq!(resolve(&root, "/s%75b/app.js"), Ok(root.join("sub/app.js")));
        assert_eq!(
            resolve(&root, "/alias.js"),
            Ok(root.join("sub/app.js")),
            "a link inside is fine"
        );
        assert_eq!(resolve(&root, "/passwd"), Err(Refusal::Outside));
        assert_eq!(
            resolve(&root, "/everything/etc/passwd"),
            Err(Refusal::Outside)
        );
        assert_eq!(resolve(&root, "/../etc/passwd"), Err(Refusal::Outside));
        assert_eq!(resolve(&root, "/%2e%2e/etc/passwd"), Err(Refusal::Outside));
        assert_eq!(resolve(&root, "/a/../../x"), Err(Refusal::Outside));
        assert_eq!(resolve(&root, "/x%00y"), Err(Refusal::Malformed));
        assert_eq!(resolve(&root, "/bad%zz"), Err(Refusal::Malformed));
        assert_eq!(resolve(&root, "/nope.js"), Err(Refusal::Missing));
        assert_eq!(content_type(Path::new("x.wasm")), "application/wasm");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn accept_encoding_is_read_with_its_qualities() {
        assert!(accepts("gzip, deflate, br, zstd", Coding::Brotli));
        assert!(accepts("gzip, deflate, br, zstd", Coding::Gzip));
        assert!(!accepts("gzip", Coding::Brotli));
        assert!(!accepts("br;q=0, gzip", Coding::Brotli));
        assert!(accepts("br;q=0.5", Coding::Brotli));
        assert!(accepts("*", Coding::Gzip));
        assert!(!accepts("*, gzip;q=0", Coding::Gzip));
        assert!(!accepts("", Coding::Gzip));
        assert!(!accepts("identity", Coding::Gzip));
    }
}
