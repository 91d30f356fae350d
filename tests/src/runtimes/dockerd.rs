//! A private dockerd: own data root, exec root, socket, pid file and cgroup parent; no iptables,
//! no bridge, the vfs storage driver; pauselab's pause as its `--init-path`. dockerd starts its
//! own containerd under the exec root. The client is Debian's `/usr/bin/docker` (a machine may
//! have another on PATH).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::images::Image;
use super::{run_client, scratch, sweep, Daemon, Leftovers};

/// Debian's docker client.
pub const DOCKER: &str = "/usr/bin/docker";

/// A running dockerd.
#[derive(Debug)]
pub struct Dockerd {
    dir: PathBuf,
    cgroup_parent: String,
    daemon: Daemon,
    swept: bool,
}

impl Dockerd {
    /// Starts one with `init` as `--init-path` (dockerd runs `init --version` and waits for it
    /// before it answers anything).
    pub fn start(init: &Path) -> Result<Dockerd, String> {
        let (dir, cgroup_parent) = scratch("dockerd");
        // Its own (empty) configuration, so /etc/docker/daemon.json plays no part.
        fs::write(dir.join("daemon.json"), "{}").map_err(|e| e.to_string())?;
        let mut command = Command::new("dockerd");
        command
            .arg("--config-file")
            .arg(dir.join("daemon.json"))
            .arg("--data-root")
            .arg(dir.join("root"))
            .arg("--exec-root")
            .arg(dir.join("exec"))
            .arg("-H")
            .arg(format!("unix://{}", dir.join("docker.sock").display()))
            .arg("--pidfile")
            .arg(dir.join("docker.pid"))
            .args([
                "--iptables=false",
                "--ip6tables=false",
                "--bridge=none",
                "--storage-driver=vfs",
            ])
            .arg("--cgroup-parent")
            .arg(format!("/{cgroup_parent}"))
            .arg("--init-path")
            .arg(init);
        let daemon = Daemon::start("dockerd", command, &dir.join("dockerd.log"))?;
        // Made before it is ready, so that a failed start is swept too.
        let mut dockerd = Dockerd {
            dir: dir.clone(),
            cgroup_parent,
            daemon,
            swept: false,
        };
        let socket = dir.join("docker.sock");
        dockerd.daemon.wait_ready(Duration::from_secs(60), || {
            socket.exists() && docker_at(&dir, &["version"]).is_ok()
        })?;
        Ok(dockerd)
    }

    /// Runs the docker client against this daemon: its stdout, or its stderr as the error.
    pub fn docker(&self, args: &[&str]) -> Result<String, String> {
        docker_at(&self.dir, args)
    }

    /// Runs the docker client with `args` as given: its exit status, stdout and stderr.
    pub fn docker_line(&self, args: &[String]) -> Result<(i32, String, String), String> {
        let mut command = Command::new(DOCKER);
        command
            .env("DOCKER_CONFIG", self.dir.join("client"))
            .arg("-H")
            .arg(format!("unix://{}", self.dir.join("docker.sock").display()))
            .args(args);
        let out = super::run_client_output(command, &format!("docker {}", args.join(" ")))?;
        Ok((
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    }

    /// Runs the docker client: whether it succeeded, its stdout and its stderr, as they are.
    pub fn docker_output(&self, args: &[&str]) -> (bool, String, String) {
        match self.docker(args) {
            Ok(out) => (true, out, String::new()),
            Err(err) => {
                let prefix = format!("docker {}: ", args.join(" "));
                (
                    false,
                    String::new(),
                    err.strip_prefix(&prefix).unwrap_or(&err).to_owned(),
                )
            }
        }
    }

    /// `docker import` of an image's layer, with its entrypoint and command.
    pub fn import(&self, image: &Image) -> Result<(), String> {
        let mut args = vec!["import".to_owned()];
        for change in image.docker_changes() {
            args.extend(["--change".to_owned(), change]);
        }
        args.push(image.layer.display().to_string());
        args.push(image.name.clone());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.docker(&args).map(|_| ())
    }

    /// The scratch folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// dockerd's log, for a failure message.
    pub fn log_tail(&self) -> String {
        self.daemon.log_tail()
    }

    /// Removes every container, stops dockerd and reports what it left behind.
    pub fn shutdown(mut self) -> Leftovers {
        self.stop_and_sweep()
    }

    fn stop_and_sweep(&mut self) -> Leftovers {
        if self.swept {
            return Leftovers::default();
        }
        self.swept = true;
        if let Ok(ids) = self.docker(&["ps", "-aq"]) {
            let ids: Vec<&str> = ids.split_whitespace().collect();
            if !ids.is_empty() {
                let mut args = vec!["rm", "-f"];
                args.extend(ids);
                let _ = self.docker(&args);
            }
        }
        self.daemon.stop();
        // libnetwork bind-mounts the host's network namespace at EXEC_ROOT/netns/default and
        // leaves it there when it stops: dockerd's own, not a container's.
        let own = self.dir.join("exec/netns/default");
        let _ = nix::mount::umount2(&own, nix::mount::MntFlags::MNT_DETACH);
        sweep(&self.dir, &self.cgroup_parent, &[])
    }
}

/// The docker client against the daemon whose socket is in `dir`.
fn docker_at(dir: &Path, args: &[&str]) -> Result<String, String> {
    let mut command = Command::new(DOCKER);
    command
        .env("DOCKER_CONFIG", dir.join("client"))
        .arg("-H")
        .arg(format!("unix://{}", dir.join("docker.sock").display()))
        .args(args);
    run_client(command, &format!("docker {}", args.join(" ")))
}

impl Drop for Dockerd {
    /// A test that failed half-way still leaves nothing behind.
    fn drop(&mut self) {
        self.stop_and_sweep();
    }
}
