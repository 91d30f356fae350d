#!/usr/bin/env python3
"""Gives a wasm module's JavaScript imports short names, in the module and in its glue.

    python3 scripts/minify-imports.py DIR NAME

DIR/NAME_bg.wasm and DIR/NAME.js are wasm-bindgen's output (--target web). wasm-bindgen names
each import after its function plus a 16-digit hash (`__wbg_setAttribute_f75317b2b5cabfb4`)
and every import's module `./NAME_bg.js`: in a module of a hundred imports that is ~6 KB of
names, and the hashes do not compress. Here the module becomes `m` and the imports `a`, `b`,
…, `aa`, … in both files. Every name must be found exactly once where the glue defines it, or
nothing is written and the build stops: a renamed import the glue does not define would fail
only in the browser.
"""

import string
import sys


def read_leb(data, at):
    """An unsigned LEB128 number at `at`: (value, position after it)."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def leb(value):
    """`value` as unsigned LEB128."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def name_bytes(text):
    raw = text.encode()
    return leb(len(raw)) + raw


def short_name(index):
    """a … z, aa … zz, aaa …"""
    letters = string.ascii_lowercase
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = letters[rest] + name
    return name


def skip_import_description(data, at):
    """The position after an import's kind and type."""
    kind = data[at]
    at += 1
    if kind == 0:  # function: type index
        _, at = read_leb(data, at)
    elif kind == 1:  # table: reference type, limits
        at += 1
        flags = data[at]
        _, at = read_leb(data, at + 1)
        if flags & 1:
            _, at = read_leb(data, at)
    elif kind == 2:  # memory: limits
        flags = data[at]
        _, at = read_leb(data, at + 1)
        if flags & 1:
            _, at = read_leb(data, at)
    elif kind == 3:  # global: value type, mutability
        at += 2
    else:
        raise SystemExit(f"minify-imports: unknown import kind {kind}")
    return at


def rename_imports(wasm, glue_module):
    """The module with `glue_module`'s imports renamed, and the renames (old -> new)."""
    if wasm[:4] != b"\0asm":
        raise SystemExit("minify-imports: not a wasm module")
    out = bytearray(wasm[:8])
    renames = {}
    at = 8
    while at < len(wasm):
        section = wasm[at]
        size, body = read_leb(wasm, at + 1)
        end = body + size
        if section != 2:
            out += wasm[at:end]
            at = end
            continue
        count, pos = read_leb(wasm, body)
        imports = bytearray(leb(count))
        for _ in range(count):
            length, pos = read_leb(wasm, pos)
            module = wasm[pos : pos + length].decode()
            pos += length
            length, pos = read_leb(wasm, pos)
            name = wasm[pos : pos + length].decode()
            pos += length
            description_end = skip_import_description(wasm, pos)
            if module == glue_module:
                new = short_name(len(renames))
                renames[name] = new
                module, name = "m", new
            imports += name_bytes(module) + name_bytes(name) + wasm[pos:description_end]
            pos = description_end
        if pos != end:
            raise SystemExit("minify-imports: the import section did not parse to its end")
        out += bytes([2]) + leb(len(imports)) + imports
        at = end
    return bytes(out), renames


def rename_glue(js, glue_module, renames):
    """The glue with the same renames, checked."""
    module_key = f'"{glue_module}": import0,'
    if js.count(module_key) != 1:
        raise SystemExit(f"minify-imports: {module_key!r} is not in the glue exactly once")
    js = js.replace(module_key, "m: import0,")
    for old, new in renames.items():
        key = f"\n        {old}: function("
        if js.count(key) != 1 or js.count(old) != 1:
            raise SystemExit(f"minify-imports: the glue does not define {old} exactly once")
        js = js.replace(key, f"\n        {new}: function(")
    return js


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: minify-imports.py DIR NAME")
    folder, name = sys.argv[1:]
    wasm_path, js_path = f"{folder}/{name}_bg.wasm", f"{folder}/{name}.js"
    glue_module = f"./{name}_bg.js"
    with open(wasm_path, "rb") as f:
        wasm, renames = rename_imports(f.read(), glue_module)
    if not renames:
        raise SystemExit(f"minify-imports: no import from {glue_module} in {wasm_path}")
    with open(js_path, encoding="utf-8") as f:
        js = rename_glue(f.read(), glue_module, renames)
    with open(wasm_path, "wb") as f:
        f.write(wasm)
    with open(js_path, "w", encoding="utf-8") as f:
        f.write(js)
    print(f"minify-imports: {len(renames)} imports of {name} renamed")


main()
