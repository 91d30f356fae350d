//! The static pause as podman's infra container: a pod of two containers sharing net, ipc, uts
//! and pid with it (K24, K25 POD). Images are made locally with `podman import`: no registry.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use pauselab_tests::pause::{have, static_pause};
use pauselab_tests::{is_root, require};

/// A private podman (own storage, runc, the ulimits podman needs here), cleaned up when dropped.
struct Podman {
    dir: PathBuf,
    pod: String,
}

impl Podman {
    fn new() -> Podman {
        let dir = std::env::temp_dir().join(format!("pauselab-podman-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("containers.conf"),
            "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n[engine]\nruntime = \"runc\"\n",
        )
        .unwrap();
        Podman {
            pod: format!("pauselab-pod-{}", std::process::id()),
            dir,
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("podman");
        command
            .env("CONTAINERS_CONF", self.dir.join("containers.conf"))
            .arg("--root")
            .arg(self.dir.join("storage"))
            .arg("--runroot")
            .arg(self.dir.join("run"))
            .args([
                "--storage-driver",
                "vfs",
                "--cgroup-manager",
                "cgroupfs",
                "--events-backend",
                "none",
            ])
            .args(args)
            .stdin(Stdio::null());
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = self.command(args).output().expect("podman runs");
        assert!(
            out.status.success(),
            "podman {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// `podman import` of a folder holding `files` (and busybox `links`) as image `name`.
    fn image(&self, name: &str, files: &[(&Path, &str)], links: &[&str], changes: &[&str]) {
        let root = self.dir.join(name.replace([':', '/'], "-"));
        fs::create_dir_all(root.join("bin")).unwrap();
        for (source, target) in files {
            fs::copy(source, root.join(target)).unwrap();
        }
        for link in links {
            symlink("busybox", root.join("bin").join(link)).unwrap();
        }
        let tar = root.with_extension("tar");
        let status = Command::new("tar")
            .arg("-C")
            .arg(&root)
            .arg("-cf")
            .arg(&tar)
            .arg(".")
            .status()
            .unwrap();
        assert!(status.success());
        let mut args = vec!["import".to_owned()];
        for change in changes {
            args.extend(["--change".to_owned(), (*change).to_owned()]);
        }
        args.extend([tar.to_string_lossy().into_owned(), name.to_owned()]);
        self.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    }
}

impl Drop for Podman {
    fn drop(&mut self) {
        let _ = self
            .command(&["pod", "rm", "--force", &self.pod])
            .stderr(Stdio::null())
            .output();
        let _ = self
            .command(&["rm", "--all", "--force"])
            .stderr(Stdio::null())
            .output();
        // vfs layers can hold read-only files: make them removable first.
        let _ = Command::new("chmod")
            .arg("-R")
            .arg("u+w")
            .arg(&self.dir)
            .status();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_podman),
    ignore = "needs root and podman"
)]
fn k25_podman_pod_with_pauselab_pause_as_infra() {
    require(is_root(), "root");
    require(have("podman"), "podman (Debian package podman)");
    let podman = Podman::new();
    podman.image(
        "localhost/pauselab-pause:test",
        &[(static_pause(), "pause")],
        &[],
        &[],
    );
    let busybox = Path::new("/bin/busybox");
    podman.image(
        "localhost/pauselab-busybox:test",
        &[(busybox, "bin/busybox")],
        &["sh", "sleep", "cat", "grep", "wc", "ls"],
        &["CMD [\"/bin/sh\"]"],
    );
    podman.run(&[
        "pod",
        "create",
        "--name",
        &podman.pod,
        "--infra-image",
        "localhost/pauselab-pause:test",
        "--infra-command",
        "/pause",
        "--share",
        "net,ipc,uts,pid",
        "--network",
        "none",
    ]);
    // The first container sleeps; the second looks at the pod from inside.
    podman.run(&[
        "run",
        "--detach",
        "--pod",
        &podman.pod,
        "localhost/pauselab-busybox:test",
        "sleep",
        "300",
    ]);
    let script = "echo \"pid1 $(cat /proc/1/comm)\"; \
                  echo \"sleepers $(grep -l '^Name:.sleep' /proc/[0-9]*/status 2>/dev/null | wc -l)\"; \
                  i=0; while [ $i -lt 20 ]; do (sleep 0.1 &); i=$((i+1)); done; sleep 1; \
                  echo \"zombies $(grep -l '^State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l)\"";
    let out = podman.run(&[
        "run",
        "--rm",
        "--pod",
        &podman.pod,
        "localhost/pauselab-busybox:test",
        "sh",
        "-c",
        script,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("pid1 pause"),
        "pause is pid 1 of the pod: {stdout}"
    );
    assert!(
        stdout.contains("sleepers 1"),
        "the other container's process is visible (POD): {stdout}"
    );
    assert!(
        stdout.contains("zombies 0"),
        "pause reaped the orphans: {stdout}"
    );
}
