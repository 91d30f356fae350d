//! Just enough of the WebAssembly binary format to list a module's imports.

/// An imported item: `(module, name)`.
pub type Import = (String, String);

/// Reads the import section of a wasm module.
pub fn imports(bytes: &[u8]) -> Result<Vec<Import>, String> {
    let mut reader = Reader { bytes, at: 0 };
    if reader.take(4)? != b"\0asm" {
        return Err("not a WebAssembly module (bad magic)".into());
    }
    reader.take(4)?; // version
    while reader.at < bytes.len() {
        let id = reader.byte()?;
        let size = reader.leb()? as usize;
        let body = reader.take(size)?;
        if id == 2 {
            return import_section(body);
        }
    }
    Ok(Vec::new())
}

fn import_section(body: &[u8]) -> Result<Vec<Import>, String> {
    let mut reader = Reader { bytes: body, at: 0 };
    let count = reader.leb()?;
    let mut imports = Vec::new();
    // Each descriptor's shape depends on its kind; the names come first, and one import is
    // already a failure, so read the first and count the rest.
    if count > 0 {
        imports.push((reader.name()?, reader.name()?));
    }
    if count > 1 {
        imports.push(("…".into(), format!("and {} more", count - 1)));
    }
    Ok(imports)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or("truncated module")?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn leb(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("LEB128 number too long".into())
    }

    fn name(&mut self) -> Result<String, String> {
        let len = self.leb()? as usize;
        String::from_utf8(self.take(len)?.to_vec()).map_err(|_| "import name is not UTF-8".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[u8] = b"\0asm\x01\0\0\0";

    #[test]
    fn a_module_with_no_import_section_imports_nothing() {
        // A type section only.
        let module = [HEADER, &[1, 4, 1, 0x60, 0, 0]].concat();
        assert_eq!(imports(&module), Ok(vec![]));
    }

    #[test]
    fn lists_the_first_import_and_counts_the_rest() {
        // Import section: 2 imports, "env"."now" (func type 0), "env"."rand" (func type 0).
        let body = [
            &[2u8][..],
            &[3],
            b"env",
            &[3],
            b"now",
            &[0, 0],
            &[3],
            b"env",
            &[4],
            b"rand",
            &[0, 0],
        ]
        .concat();
        let module = [HEADER, &[2, body.len() as u8], &body].concat();
        let found = imports(&module).unwrap();
        assert_eq!(found[0], ("env".to_owned(), "now".to_owned()));
        assert_eq!(found[1].1, "and 1 more");
    }

    #[test]
    fn garbage_is_refused() {
        assert!(imports(b"MZ\x90\0").is_err());
        assert!(imports(&[HEADER, &[2, 50]].concat()).is_err());
    }
}
