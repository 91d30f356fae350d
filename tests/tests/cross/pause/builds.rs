//! pause's builds: each binary's size budget, the arm64 build's smoke tests under qemu-user, and
//! the OCI image's index of platforms.

use super::*;

#[test]
fn pause_binaries_meet_their_size_budgets() {
    let size = |path: &std::path::Path| std::fs::metadata(path).expect("built").len();
    let small = size(static_pause());
    assert!(
        small <= 32_768,
        "the image's pause is {small} bytes, over 32,768"
    );
    let arm64 = size(arm64_pause());
    assert!(
        arm64 <= 32_768,
        "the arm64 pause is {arm64} bytes, over 32,768"
    );
    let stable = size(stable_pause());
    assert!(
        stable <= 390_000,
        "the stable build is {stable} bytes, over 390,000"
    );
}

/// The arm64 build under qemu-user: version, init mode's exit codes, SIGTERM.
#[test]
#[cfg_attr(
    any(pauselab_missing_root, pauselab_missing_util_linux),
    ignore = "needs root and util-linux (pid namespaces)"
)]
fn arm64_pause_passes_its_smoke_tests_under_qemu() {
    needs_a_pid_namespace();
    require(
        have("qemu-aarch64-static"),
        "qemu-aarch64-static (Debian package qemu-user-static)",
    );
    let qemu = std::path::Path::new("/usr/bin/qemu-aarch64-static");
    let arm64 = arm64_pause().display().to_string();
    for args in [&["-v"][..], &["--version"]] {
        let mut all = vec![arm64.as_str()];
        all.extend_from_slice(args);
        let (code, stdout, _) = run_bounded(qemu, &all);
        assert_eq!(code, Some(0));
        assert!(stdout.starts_with("pause.c v3.10"), "{stdout}");
    }
    for code in [0, 3, 255] {
        let script = format!("exit {code}");
        let out = PidOne::run(qemu, &[&arm64, "--", "/bin/sh", "-c", &script]);
        assert_eq!(out.status.code(), Some(code));
    }
    let out = PidOne::run(qemu, &[&arm64, "--", "/bin/sh", "-c", "kill -TERM $$"]);
    assert_eq!(out.status.code(), Some(143));
    // Sandbox mode: SIGTERM ends it with pause.c's line.
    let (code, _, _) = run_bounded(qemu, &[&arm64, "--bogus", "--", "true"]);
    assert_eq!(code, Some(2));
    let mut sandbox = KillOnDrop(
        Command::new(qemu)
            .arg(&arm64)
            .stderr(Stdio::piped())
            .spawn()
            .expect("qemu runs"),
    );
    let mut stderr = std::io::BufReader::new(sandbox.0.stderr.take().expect("piped"));
    let mut warning = String::new();
    stderr.read_line(&mut warning).unwrap();
    assert!(
        warning.contains("pause should be the first process"),
        "{warning}"
    );
    // Blocked before the warning is written, so SIGTERM now waits for its sigwait.
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(sandbox.0.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(
        rest.contains("Shutting down, got signal: Terminated"),
        "{rest}"
    );
    assert_eq!(sandbox.0.wait().unwrap().code(), Some(0));
}

/// `scripts/pause-image.sh` makes a two-platform image, like registry.k8s.io/pause: an OCI
/// index whose manifests (amd64, arm64) name blobs that are there, with the digests and sizes
/// they claim, each layer holding /pause for its architecture.
#[test]
fn the_image_is_an_oci_index_of_amd64_and_arm64() {
    let root = pauselab_tests::workspace_root();
    let out = Command::new("bash")
        .current_dir(&root)
        .args(["scripts/pause-image.sh", "localhost/pauselab-pause:test"])
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let layout = root.join("target/pause-image/oci");
    let json = |path: &std::path::Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(path).expect("present")).expect("JSON")
    };
    let blob = |digest: &serde_json::Value, size: &serde_json::Value| {
        let hex = digest
            .as_str()
            .and_then(|d| d.strip_prefix("sha256:"))
            .expect("sha256");
        let bytes =
            std::fs::read(layout.join("blobs/sha256").join(hex)).expect("the blob is there");
        assert_eq!(
            Some(bytes.len() as u64),
            size.as_u64(),
            "the size it claims"
        );
        let sum = Command::new("sha256sum")
            .arg(layout.join("blobs/sha256").join(hex))
            .output()
            .expect("sha256sum runs");
        assert!(
            String::from_utf8_lossy(&sum.stdout).starts_with(hex),
            "the digest it claims"
        );
        bytes
    };
    let index = json(&layout.join("index.json"));
    let mut platforms = Vec::new();
    for entry in index["manifests"].as_array().expect("manifests") {
        let manifest: serde_json::Value =
            serde_json::from_slice(&blob(&entry["digest"], &entry["size"])).expect("a manifest");
        let architecture = entry["platform"]["architecture"]
            .as_str()
            .expect("an architecture");
        let layer = &manifest["layers"][0];
        let gzipped = blob(&layer["digest"], &layer["size"]);
        let config: serde_json::Value = serde_json::from_slice(&blob(
            &manifest["config"]["digest"],
            &manifest["config"]["size"],
        ))
        .expect("a config");
        assert_eq!(config["architecture"], architecture);
        assert_eq!(config["config"]["Entrypoint"][0], "/pause");
        // The layer holds /pause, built for that architecture (ELF e_machine).
        let mut tar = Command::new("tar")
            .args(["-xzOf", "-", "pause"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("tar runs");
        tar.stdin
            .take()
            .expect("piped")
            .write_all(&gzipped)
            .unwrap();
        let binary = tar.wait_with_output().expect("tar ends").stdout;
        let machine = u16::from_le_bytes([binary[18], binary[19]]);
        let expected = match architecture {
            "amd64" => 62,
            "arm64" => 183,
            other => panic!("unexpected platform {other}"),
        };
        assert_eq!(machine, expected, "{architecture}'s /pause");
        assert!(binary.len() <= 32_768);
        platforms.push(architecture.to_owned());
    }
    platforms.sort();
    assert_eq!(platforms, ["amd64", "arm64"]);
}
