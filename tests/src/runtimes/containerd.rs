//! A private containerd with its CRI plugin: pauselab's pause as the `sandbox_image`, the
//! native snapshotter, and the tests' CNI plugin (`tests/runtimes/cni/pauselab-cni`), which
//! gives each pod an eth0 with a link-local address inside its own network namespace only.

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use super::cri::Cri;
use super::images::{busybox_image, pause_image, Image};
use super::{run_client, scratch, sweep, Daemon, Leftovers};
use crate::workspace_root;

/// A running containerd, its CRI client and its images.
#[derive(Debug)]
pub struct Containerd {
    dir: PathBuf,
    /// The cgroup every pod's containers go under (`cgroup_parent` of each sandbox).
    pub cgroup_parent: String,
    daemon: Daemon,
    socket: PathBuf,
    /// The network namespaces its sandboxes got, to check they are gone at the end.
    netns: Mutex<Vec<PathBuf>>,
    /// The image the apps run: busybox and the puppet.
    pub app_image: String,
    swept: bool,
}

fn config(dir: &Path, sandbox_image: &str) -> String {
    let d = dir.display();
    format!(
        r#"version = 2
root = "{d}/root"
state = "{d}/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "{d}/containerd.sock"

[ttrpc]
  address = "{d}/containerd.sock.ttrpc"

[debug]
  address = "{d}/debug.sock"

[plugins."io.containerd.internal.v1.opt"]
  path = "{d}/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "{sandbox_image}"
  # runc cannot write the sandbox's oom_score_adj (-998) here: without this every sandbox fails.
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "native"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "{d}/cni/bin"
    conf_dir = "{d}/cni/conf"
"#
    )
}

impl Containerd {
    /// Starts one, imports the pause and app images, and connects a CRI client. `pause` is the
    /// static pause binary, `puppet` the static test puppet.
    pub fn start(pause: &Path, puppet: &Path) -> Result<(Containerd, Cri), String> {
        let (dir, cgroup_parent) = scratch("containerd");
        let cni_bin = dir.join("cni/bin");
        let cni_conf = dir.join("cni/conf");
        fs::create_dir_all(&cni_bin).map_err(|e| e.to_string())?;
        fs::create_dir_all(&cni_conf).map_err(|e| e.to_string())?;
        let plugin = cni_bin.join("pauselab-cni");
        fs::copy(
            workspace_root().join("tests/runtimes/cni/pauselab-cni"),
            &plugin,
        )
        .map_err(|e| format!("copy the CNI plugin: {e}"))?;
        fs::set_permissions(&plugin, fs::Permissions::from_mode(0o755))
            .map_err(|e| e.to_string())?;
        // containerd's CRI plugin always adds a loopback network: the same script brings lo up.
        symlink("pauselab-cni", cni_bin.join("loopback")).map_err(|e| e.to_string())?;
        fs::write(
            cni_conf.join("10-pauselab.conf"),
            r#"{"cniVersion":"0.4.0","name":"pauselab","type":"pauselab-cni"}"#,
        )
        .map_err(|e| e.to_string())?;

        let pause = pause_image(&dir, pause);
        let app = busybox_image(&dir, &[(puppet, "puppet")], &[super::kubelet::PUPPET_DIR]);
        fs::write(dir.join("config.toml"), config(&dir, &pause.name)).map_err(|e| e.to_string())?;
        let mut command = Command::new("containerd");
        command
            .arg("--config")
            .arg(dir.join("config.toml"))
            .arg("--log-level")
            .arg("info");
        let daemon = Daemon::start("containerd", command, &dir.join("containerd.log"))?;
        let socket = dir.join("containerd.sock");
        // Made before it is ready, so that a failed start is swept too.
        let mut containerd = Containerd {
            dir,
            cgroup_parent,
            daemon,
            socket: socket.clone(),
            netns: Mutex::new(Vec::new()),
            app_image: app.name.clone(),
            swept: false,
        };
        containerd
            .daemon
            .wait_ready(Duration::from_secs(30), || socket.exists())?;
        for image in [&pause, &app] {
            containerd.import(image)?;
        }
        let cri = Cri::connect(&containerd.socket)?;
        cri.wait_ready()?;
        Ok((containerd, cri))
    }

    /// Imports an OCI archive (scripts/inspector-image.sh's, say), named by its annotations.
    pub fn import_archive(&self, archive: &Path) -> Result<(), String> {
        let mut command = Command::new("ctr");
        command
            .arg("--address")
            .arg(&self.socket)
            .args([
                "--namespace",
                "k8s.io",
                "images",
                "import",
                "--snapshotter",
                "native",
            ])
            .arg(archive);
        run_client(command, &format!("ctr images import {}", archive.display())).map(|_| ())
    }

    /// `ctr images import` into the CRI plugin's namespace, unpacked for its snapshotter.
    fn import(&self, image: &Image) -> Result<(), String> {
        self.import_archive(&image.oci_archive(&self.dir))
    }

    /// The scratch folder (puppet FIFOs go under it).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Notes a sandbox's network namespace, to check at the end that it is gone.
    pub fn remember_netns(&self, path: PathBuf) {
        if let Ok(mut all) = self.netns.lock() {
            if !all.contains(&path) {
                all.push(path);
            }
        }
    }

    /// containerd's log, for a failure message.
    pub fn log_tail(&self) -> String {
        self.daemon.log_tail()
    }

    /// Stops containerd (every pod must be removed already) and reports what it left behind.
    pub fn shutdown(mut self) -> Leftovers {
        self.stop_and_sweep()
    }

    fn stop_and_sweep(&mut self) -> Leftovers {
        if self.swept {
            return Leftovers::default();
        }
        self.swept = true;
        self.daemon.stop();
        let netns = self.netns.lock().map(|n| n.clone()).unwrap_or_default();
        sweep(&self.dir, &self.cgroup_parent, &netns)
    }
}

impl Drop for Containerd {
    /// A test that failed half-way still leaves nothing behind.
    fn drop(&mut self) {
        self.stop_and_sweep();
    }
}
