//! Writing to stdout and stderr without `std::fmt`: a message is a few byte strings.

use crate::sys;

/// Writes `parts` to stderr as one write where they fit in a line buffer.
pub fn error(parts: &[&str]) {
    write(2, parts);
}

/// Writes `text` to stdout.
pub fn out(text: &str) {
    write(1, &[text]);
}

fn write(fd: i32, parts: &[&str]) {
    // One write for the whole message when it fits, so that lines from pause and its command
    // do not interleave mid-line.
    let mut line = [0u8; 512];
    let mut len = 0;
    for part in parts {
        let bytes = part.as_bytes();
        if len + bytes.len() > line.len() {
            sys::write_all(fd, &line[..len]);
            len = 0;
            if bytes.len() > line.len() {
                sys::write_all(fd, bytes);
                continue;
            }
        }
        line[len..len + bytes.len()].copy_from_slice(bytes);
        len += bytes.len();
    }
    sys::write_all(fd, &line[..len]);
}

/// `strerror`'s words for an errno, or `errno N`.
pub fn errno(errno: i32, buffer: &mut [u8; 20]) -> [&str; 2] {
    match sys::errno_words(errno) {
        Some(words) => [words, ""],
        None => ["errno ", decimal(u64::from(errno.unsigned_abs()), buffer)],
    }
}

/// A number in decimal, in the given buffer.
pub fn decimal(mut value: u64, buffer: &mut [u8; 20]) -> &str {
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    // SAFETY: only ASCII digits were written, and ASCII is UTF-8 (the full check would cost
    // the binary half a kilobyte).
    unsafe { std::str::from_utf8_unchecked(&buffer[at..]) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimal_numbers() {
        let mut buffer = [0; 20];
        assert_eq!(super::decimal(0, &mut buffer), "0");
        assert_eq!(super::decimal(4_194_304, &mut buffer), "4194304");
        assert_eq!(
            super::decimal(u64::MAX, &mut buffer),
            "18446744073709551615"
        );
    }
}
