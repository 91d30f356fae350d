//! base64url (RFC 4648 §5, without padding): how a link carries a reader's actions, and how
//! the page's terminal hands the page a typed line's record.

/// The URL-safe base64 alphabet (RFC 4648 §5), written without padding.
const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Writes `bytes` in the URL-safe alphabet.
pub fn to_base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk.iter().enumerate().fold(0u32, |group, (i, byte)| {
            group | u32::from(*byte) << (16 - 8 * i)
        });
        // n bytes make n + 1 characters.
        for i in 0..=chunk.len() {
            out.push(char::from(BASE64URL[(group >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

/// Undoes [`to_base64url`]; `None` for a character outside the alphabet or a cut group.
pub fn from_base64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.as_bytes().chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut group = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            let value = BASE64URL.iter().position(|a| a == c)? as u32;
            group |= value << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((group >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length_and_byte() {
        let bytes: Vec<u8> = (0..=255).collect();
        for len in 0..bytes.len() {
            let text = to_base64url(&bytes[..len]);
            assert!(text.bytes().all(|c| BASE64URL.contains(&c)), "{text}");
            assert_eq!(from_base64url(&text).as_deref(), Some(&bytes[..len]));
        }
        // RFC 4648's test vectors, without padding.
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(to_base64url(plain.as_bytes()), coded);
        }
        assert_eq!(to_base64url(&[0xfb, 0xff]), "-_8");
    }
}
