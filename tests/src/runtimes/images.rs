//! The tests' two images, made here from local files — nothing is pulled: pauselab's static
//! pause (`/pause`, the sandbox image) and busybox (`/bin/busybox` and its applets, the apps).
//! Each is a root folder tarred into one layer; dockerd imports the layer with `docker import`,
//! containerd an OCI archive of it with `ctr images import`.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// An image: its name, its one layer (a tar of its root) and its entrypoint.
#[derive(Clone, Debug)]
pub struct Image {
    /// `localhost/NAME:TAG`, so that no runtime looks for it on a registry.
    pub name: String,
    /// The uncompressed layer.
    pub layer: PathBuf,
    /// Its entrypoint (empty: none).
    pub entrypoint: Vec<String>,
    /// Its command.
    pub cmd: Vec<String>,
}

/// The busybox applets the tests' apps use.
const APPLETS: &[&str] = &[
    "sh", "sleep", "ps", "cat", "kill", "true", "false", "hostname", "ls", "echo", "grep", "wc",
];

/// The pause image: one static file, its entrypoint (`registry.k8s.io/pause` is built the same
/// way).
pub fn pause_image(dir: &Path, pause: &Path) -> Image {
    let root = dir.join("rootfs-pause");
    fs::create_dir_all(&root).expect("make the pause root");
    fs::copy(pause, root.join("pause")).expect("copy pause");
    Image {
        name: "localhost/pauselab-pause:test".into(),
        layer: layer(&root, &dir.join("pause.tar")),
        entrypoint: vec!["/pause".into()],
        cmd: Vec::new(),
    }
}

/// busybox (Debian's static build) with its applets as links, plus `extra` files (source,
/// path in the image) and the empty folders `mount_points`.
pub fn busybox_image(dir: &Path, extra: &[(&Path, &str)], mount_points: &[&str]) -> Image {
    let root = dir.join("rootfs-busybox");
    fs::create_dir_all(root.join("bin")).expect("make the busybox root");
    for sub in ["proc", "sys", "dev", "etc", "tmp"] {
        fs::create_dir_all(root.join(sub)).expect("make a mount point");
    }
    fs::copy("/bin/busybox", root.join("bin/busybox")).expect("copy /bin/busybox");
    for applet in APPLETS {
        symlink("busybox", root.join("bin").join(applet)).expect("link an applet");
    }
    for (source, path) in extra {
        fs::copy(source, root.join(path)).expect("copy a file into the image");
    }
    for point in mount_points {
        fs::create_dir_all(root.join(point)).expect("make a mount point");
    }
    Image {
        name: "localhost/pauselab-busybox:test".into(),
        layer: layer(&root, &dir.join("busybox.tar")),
        entrypoint: Vec::new(),
        cmd: vec!["/bin/sh".into()],
    }
}

/// A reproducible tar of a folder's contents: fixed owner, time and order.
fn layer(root: &Path, tar: &Path) -> PathBuf {
    let out = Command::new("tar")
        .args([
            "--sort=name",
            "--mtime=@0",
            "--owner=0",
            "--group=0",
            "--numeric-owner",
        ])
        .arg("-C")
        .arg(root)
        .arg("-cf")
        .arg(tar)
        .arg(".")
        .output()
        .expect("tar runs");
    assert!(
        out.status.success(),
        "tar: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    tar.to_path_buf()
}

fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

impl Image {
    /// An OCI archive of the image (an image layout, tarred) for `ctr images import`, which
    /// names it after its `org.opencontainers.image.ref.name`.
    pub fn oci_archive(&self, dir: &Path) -> PathBuf {
        let stem = self.name.replace(['/', ':'], "-");
        let layout = dir.join(format!("{stem}-oci"));
        let blobs = layout.join("blobs/sha256");
        fs::create_dir_all(&blobs).expect("make the layout");
        let store = |bytes: &[u8]| -> (String, usize) {
            let digest = sha256(bytes);
            let hex = digest.trim_start_matches("sha256:");
            fs::write(blobs.join(hex), bytes).expect("write a blob");
            (digest, bytes.len())
        };
        let layer_bytes = fs::read(&self.layer).expect("read the layer");
        let (layer_digest, layer_size) = store(&layer_bytes);
        let config = serde_json::json!({
            "architecture": goarch(),
            "os": "linux",
            "config": { "Entrypoint": self.entrypoint, "Cmd": self.cmd },
            "rootfs": { "type": "layers", "diff_ids": [layer_digest] },
        });
        let (config_digest, config_size) = store(config.to_string().as_bytes());
        let manifest = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": config_digest, "size": config_size,
            },
            "layers": [{
                "mediaType": "application/vnd.oci.image.layer.v1.tar",
                "digest": layer_digest, "size": layer_size,
            }],
        });
        let (manifest_digest, manifest_size) = store(manifest.to_string().as_bytes());
        let index = serde_json::json!({
            "schemaVersion": 2,
            "manifests": [{
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": manifest_digest, "size": manifest_size,
                "annotations": {
                    "io.containerd.image.name": self.name,
                    "org.opencontainers.image.ref.name": self.name.rsplit(':').next(),
                },
                "platform": { "architecture": goarch(), "os": "linux" },
            }],
        });
        fs::write(layout.join("index.json"), index.to_string()).expect("write index.json");
        fs::write(
            layout.join("oci-layout"),
            r#"{"imageLayoutVersion":"1.0.0"}"#,
        )
        .expect("write oci-layout");
        layer(&layout, &dir.join(format!("{stem}.oci.tar")))
    }

    /// `docker import`'s `--change` lines for its entrypoint and command.
    pub fn docker_changes(&self) -> Vec<String> {
        let mut changes = Vec::new();
        if !self.entrypoint.is_empty() {
            changes.push(format!(
                "ENTRYPOINT {}",
                serde_json::to_string(&self.entrypoint).expect("strings serialize")
            ));
        }
        if !self.cmd.is_empty() {
            changes.push(format!(
                "CMD {}",
                serde_json::to_string(&self.cmd).expect("strings serialize")
            ));
        }
        changes
    }
}

/// This machine's architecture as OCI names it.
fn goarch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}
