//! The static pause under a real OCI runtime, joined the way CRI runtimes join it (K24): a
//! sandbox bundle whose process is pause, and an app bundle that enters the sandbox's net, ipc,
//! uts and pid namespaces by `/proc/<pause pid>/ns/*` path.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use pauselab_tests::pause::{have, static_pause, wait_for};
use pauselab_tests::{is_root, proc, require};
use serde_json::{json, Value};

/// A runc state folder and bundles, with every container deleted when dropped.
struct Runtime {
    dir: PathBuf,
    containers: Vec<String>,
}

impl Runtime {
    fn new() -> Runtime {
        let dir = std::env::temp_dir().join(format!("pauselab-runc-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("state")).unwrap();
        Runtime {
            dir,
            containers: Vec::new(),
        }
    }

    fn runc(&self, args: &[&str]) -> Command {
        let mut command = Command::new("runc");
        command.arg("--root").arg(self.dir.join("state")).args(args);
        command
    }

    /// Writes a bundle: a rootfs with `files` copied in and `links` to busybox, and a config
    /// from `runc spec` edited by `edit`.
    fn bundle(
        &self,
        name: &str,
        files: &[(&Path, &str)],
        links: &[&str],
        edit: impl FnOnce(&mut Value),
    ) -> PathBuf {
        let bundle = self.dir.join(name);
        fs::create_dir_all(bundle.join("rootfs/bin")).unwrap();
        for dir in ["proc", "dev", "sys", "tmp"] {
            fs::create_dir_all(bundle.join("rootfs").join(dir)).unwrap();
        }
        for (source, target) in files {
            fs::copy(source, bundle.join("rootfs").join(target)).unwrap();
        }
        for link in links {
            symlink("busybox", bundle.join("rootfs/bin").join(link)).unwrap();
        }
        let status = Command::new("runc")
            .arg("spec")
            .current_dir(&bundle)
            .status()
            .expect("runc spec");
        assert!(status.success());
        let path = bundle.join("config.json");
        let mut config: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        config["process"]["terminal"] = json!(false);
        edit(&mut config);
        fs::write(&path, serde_json::to_string_pretty(&config).unwrap()).unwrap();
        bundle
    }

    fn run_detached(&mut self, id: &str, bundle: &Path, log: &Path) {
        let log = fs::File::create(log).unwrap();
        let status = self
            .runc(&["run", "--detach", "--bundle", bundle.to_str().unwrap(), id])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .status()
            .expect("runc run");
        assert!(status.success(), "runc run {id} failed");
        self.containers.push(id.to_owned());
    }

    fn run_foreground(&mut self, id: &str, bundle: &Path) -> Output {
        self.containers.push(id.to_owned());
        self.runc(&["run", "--bundle", bundle.to_str().unwrap(), id])
            .stdin(Stdio::null())
            .output()
            .expect("runc run")
    }

    fn state(&self, id: &str) -> Value {
        let out = self.runc(&["state", id]).output().expect("runc state");
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        for id in self.containers.iter().rev() {
            let _ = self
                .runc(&["delete", "--force", id])
                .stderr(Stdio::null())
                .status();
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// What the app prints about itself, as `key value` lines.
const APP_SCRIPT: &str = "\
for kind in net ipc uts pid; do echo \"$kind $(readlink /proc/self/ns/$kind)\"; done; \
echo \"pid1 $(cat /proc/1/comm)\"; \
i=0; while [ $i -lt 20 ]; do (sleep 0.1 &); i=$((i+1)); done; sleep 1; \
echo \"zombies $(grep -l '^State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l)\"; \
echo \"pause-children $(cat /proc/1/task/1/children | wc -w)\"";

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_runc, pauselab_missing_busybox),
    ignore = "needs root, runc and busybox-static"
)]
fn k24_runc_app_joins_the_pause_sandbox_and_pause_reaps_its_orphans() {
    require(is_root(), "root");
    require(have("runc"), "runc (Debian package runc)");
    let busybox = Path::new("/bin/busybox");
    require(
        busybox.exists(),
        "/bin/busybox (Debian package busybox-static)",
    );
    let mut runtime = Runtime::new();
    let sandbox = runtime.bundle("sandbox", &[(static_pause(), "pause")], &[], |config| {
        config["process"]["args"] = json!(["/pause"]);
    });
    let id = format!("pauselab-sandbox-{}", std::process::id());
    let log = runtime.dir.join("pause.log");
    runtime.run_detached(&id, &sandbox, &log);
    let pause_pid = runtime.state(&id)["pid"]
        .as_u64()
        .expect("runc state has the pid") as u32;
    assert_eq!(proc::comm(pause_pid).as_deref(), Some("pause"));

    let app = runtime.bundle(
        "app",
        &[(busybox, "bin/busybox")],
        &["sh", "sleep", "cat", "grep", "wc", "readlink"],
        |config| {
            config["process"]["args"] = json!(["/bin/sh", "-c", APP_SCRIPT]);
            // Joined by path, as containerd and CRI-O do; only the mount namespace is the app's own.
            config["linux"]["namespaces"] = json!([
                {"type": "pid", "path": format!("/proc/{pause_pid}/ns/pid")},
                {"type": "network", "path": format!("/proc/{pause_pid}/ns/net")},
                {"type": "ipc", "path": format!("/proc/{pause_pid}/ns/ipc")},
                {"type": "uts", "path": format!("/proc/{pause_pid}/ns/uts")},
                {"type": "mount"},
            ]);
            // The hostname belongs to the sandbox's uts namespace.
            config.as_object_mut().unwrap().remove("hostname");
        },
    );
    let app_id = format!("pauselab-app-{}", std::process::id());
    let out = runtime.run_foreground(&app_id, &app);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "app failed: {stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen = |key: &str| {
        stdout
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix(' '))
            .unwrap_or_default()
            .to_owned()
    };
    for kind in ["net", "ipc", "uts", "pid"] {
        assert_eq!(
            Some(seen(kind)),
            proc::ns(pause_pid, kind),
            "the app shares pause's {kind} namespace (K1)"
        );
    }
    assert_eq!(seen("pid1"), "pause", "pause is pid 1 as the app sees it");
    assert_eq!(seen("zombies"), "0", "pause reaped the app's orphans");
    assert_eq!(seen("pause-children"), "0");

    // `runc kill` TERM stops the sandbox cleanly (K20).
    let status = runtime.runc(&["kill", &id, "TERM"]).status().unwrap();
    assert!(status.success());
    let stopped = wait_for(Duration::from_secs(10), || {
        (runtime.state(&id)["status"] == "stopped").then_some(())
    });
    assert!(stopped.is_some(), "the sandbox stopped");
    let log = fs::read_to_string(&log).unwrap();
    assert!(
        log.contains("Shutting down, got signal: Terminated"),
        "{log}"
    );
    assert!(!log.contains("Warning"), "pause was pid 1: {log}");
}
