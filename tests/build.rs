//! Decides, when the tests are built, which of them cannot run on this machine, so that they are
//! reported as ignored with the reason (never as passed having checked nothing). Each missing
//! thing sets a `pauselab_missing_*` cfg that the tests name in `#[cfg_attr(…, ignore = "…")]`.
//! Under `CI=true` nothing is missing by decree: a test whose tool is absent then fails.
//! `PAUSELAB_PRETEND_MISSING=root,browser` (outside CI) pretends things are missing, to see
//! the skips on a machine that has everything.

use std::path::{Path, PathBuf};

/// Every cfg this script may set, and when.
const NEEDS: &[&str] = &[
    "root",
    "util_linux",
    "runc",
    "busybox",
    "programs",
    "podman",
    "containerd",
    "dockerd",
    "wasm32",
    "browser",
];

fn main() {
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-env-changed=PAUSELAB_PRETEND_MISSING");
    for need in NEEDS {
        println!("cargo::rustc-check-cfg=cfg(pauselab_missing_{need})");
    }
    if std::env::var("CI").is_ok_and(|value| value == "true") {
        return;
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf();
    let present = [
        ("root", is_root()),
        (
            "util_linux",
            tool("unshare") && tool("nsenter") && tool("script"),
        ),
        ("runc", tool("runc")),
        (
            "programs",
            [
                "unshare",
                "nsenter",
                "nginx",
                "dash",
                "bash",
                "busybox",
                "tini",
                "dumb-init",
                "catatonit",
            ]
            .iter()
            .all(|name| tool(name)),
        ),
        ("busybox", file(Path::new("/bin/busybox"))),
        ("podman", tool("podman")),
        ("containerd", tool("containerd") && tool("ctr")),
        (
            "dockerd",
            tool("dockerd") && file(Path::new("/usr/bin/docker")),
        ),
        ("wasm32", wasm32_installed()),
        (
            "browser",
            tool("node")
                && file(Path::new("/usr/bin/chromium"))
                && file(&workspace.join("web/node_modules/playwright-core/package.json"))
                && file(&workspace.join("dist/index.html")),
        ),
    ];
    let pretend = std::env::var("PAUSELAB_PRETEND_MISSING").unwrap_or_default();
    let pretended: Vec<&str> = pretend.split(',').map(str::trim).collect();
    for (need, here) in present {
        if !here || pretended.contains(&need) {
            println!("cargo::rustc-cfg=pauselab_missing_{need}");
        }
    }
}

/// Whether a file exists; its appearance or change reruns this script.
fn file(path: &Path) -> bool {
    println!("cargo::rerun-if-changed={}", path.display());
    path.is_file()
}

/// Whether a program is on PATH.
fn tool(name: &str) -> bool {
    let dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    match dirs.iter().map(|dir| dir.join(name)).find(|p| p.is_file()) {
        Some(found) => file(&found),
        // Watch where Debian would install it.
        None => file(&Path::new("/usr/bin").join(name)),
    }
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .find(|line| line.starts_with("Uid:"))
            .is_some_and(|line| line.split_whitespace().nth(1) == Some("0"))
    })
}

fn wasm32_installed() -> bool {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    std::process::Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        .is_some_and(|sysroot| {
            let lib = sysroot.join("lib/rustlib/wasm32-unknown-unknown/lib");
            println!("cargo::rerun-if-changed={}", lib.display());
            lib.is_dir()
        })
}
