//! pause's builds for pause.c's five architectures: each binary's size budget, the foreign
//! builds' smoke tests and a small orphan storm under qemu-user, and the OCI image's index.

use super::*;

/// The most bytes each architecture's pause may have (#20): the same for all five.
const BUDGET: u64 = 20_480;

#[test]
fn pause_binaries_meet_their_size_budgets() {
    let size = |path: &std::path::Path| std::fs::metadata(path).expect("built").len();
    let small = size(static_pause());
    assert!(
        small <= BUDGET,
        "the image's pause is {small} bytes, over {BUDGET}"
    );
    for foreign in FOREIGN {
        let bytes = size(foreign.pause());
        assert!(
            bytes <= BUDGET,
            "the {} pause is {bytes} bytes, over {BUDGET}",
            foreign.architecture
        );
    }
    let stable = size(stable_pause());
    assert!(
        stable <= 390_000,
        "the stable build is {stable} bytes, over 390,000"
    );
}

/// The qemu-user that runs a foreign build, and the build: for a test in a pid namespace of its
/// own.
fn under_qemu(foreign: Foreign) -> (std::path::PathBuf, String) {
    needs_a_pid_namespace();
    require(
        have(foreign.qemu),
        &format!("{} (Debian package qemu-user-static)", foreign.qemu),
    );
    let qemu = std::path::Path::new("/usr/bin").join(foreign.qemu);
    (qemu, foreign.pause().display().to_string())
}

/// A foreign build under qemu-user: version, init mode's exit codes and a signal's death,
/// a bad flag, and sandbox mode's warning and SIGTERM.
fn smoke(foreign: Foreign) {
    let (qemu, pause) = under_qemu(foreign);
    let qemu = qemu.as_path();
    for args in [&["-v"][..], &["--version"]] {
        let mut all = vec![pause.as_str()];
        all.extend_from_slice(args);
        let (code, stdout, _) = run_bounded(qemu, &all);
        assert_eq!(code, Some(0), "{}", foreign.architecture);
        assert!(stdout.starts_with("pause.c v3.10"), "{stdout}");
    }
    for code in [0, 3, 255] {
        let script = format!("exit {code}");
        let out = PidOne::run(qemu, &[&pause, "--", "/bin/sh", "-c", &script]);
        assert_eq!(out.status.code(), Some(code), "{}", foreign.architecture);
    }
    let out = PidOne::run(qemu, &[&pause, "--", "/bin/sh", "-c", "kill -TERM $$"]);
    assert_eq!(out.status.code(), Some(143), "{}", foreign.architecture);
    let (code, _, _) = run_bounded(qemu, &[&pause, "--bogus", "--", "true"]);
    assert_eq!(code, Some(2), "{}", foreign.architecture);
    // Sandbox mode: SIGTERM ends it with pause.c's line.
    let mut sandbox = KillOnDrop(
        Command::new(qemu)
            .arg(&pause)
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

/// An orphan storm in init mode under qemu-user: the command's children's children, orphaned,
/// go to pause (pid 1), and none is left a zombie when the command's status comes back.
fn small_storm(foreign: Foreign) {
    let (qemu, pause) = under_qemu(foreign);
    // 50 orphans, then the command waits until no zombie is left in the namespace and exits 9.
    let script = "for i in $(seq 50); do (sleep 0 &) ; done; \
        for i in $(seq 500); do z=$(grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l); \
        [ \"$z\" = 0 ] && exit 9; sleep 0.01; done; exit 1";
    let out = PidOne::run(&qemu, &[&pause, "--", "/bin/sh", "-c", script]);
    assert_eq!(
        out.status.code(),
        Some(9),
        "{}: zombies were left: {}",
        foreign.architecture,
        String::from_utf8_lossy(&out.stderr)
    );
}

macro_rules! foreign_tests {
    ($($name:ident, $storm:ident: $index:expr;)*) => {$(
        #[test]
        #[cfg_attr(
            any(pauselab_missing_root, pauselab_missing_util_linux),
            ignore = "needs root and util-linux (pid namespaces)"
        )]
        fn $name() {
            smoke(FOREIGN[$index]);
        }

        #[test]
        #[cfg_attr(
            any(pauselab_missing_root, pauselab_missing_util_linux),
            ignore = "needs root and util-linux (pid namespaces)"
        )]
        fn $storm() {
            small_storm(FOREIGN[$index]);
        }
    )*};
}

foreign_tests! {
    arm64_pause_passes_its_smoke_tests_under_qemu, k15_arm64_pause_reaps_a_small_orphan_storm_under_qemu: 0;
    arm_v7_pause_passes_its_smoke_tests_under_qemu, k15_arm_v7_pause_reaps_a_small_orphan_storm_under_qemu: 1;
    ppc64le_pause_passes_its_smoke_tests_under_qemu, k15_ppc64le_pause_reaps_a_small_orphan_storm_under_qemu: 2;
    s390x_pause_passes_its_smoke_tests_under_qemu, k15_s390x_pause_reaps_a_small_orphan_storm_under_qemu: 3;
}

/// `scripts/pause-image.sh` makes a five-platform image, like registry.k8s.io/pause: an OCI
/// index whose manifests (amd64, arm64/v8, arm/v7, ppc64le, s390x) name blobs that are there,
/// with the digests and sizes they claim, each layer holding /pause for its architecture.
#[test]
fn the_image_is_an_oci_index_of_pause_cs_five_architectures() {
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
        // e_machine, in the byte order EI_DATA says (s390x is big-endian).
        let machine = match binary[5] {
            2 => u16::from_be_bytes([binary[18], binary[19]]),
            _ => u16::from_le_bytes([binary[18], binary[19]]),
        };
        let (expected, variant) = match architecture {
            "amd64" => (62, None),
            other => {
                let foreign = FOREIGN
                    .iter()
                    .find(|f| f.architecture == other)
                    .unwrap_or_else(|| panic!("unexpected platform {other}"));
                (foreign.machine, foreign.variant)
            }
        };
        assert_eq!(machine, expected, "{architecture}'s /pause");
        assert_eq!(
            entry["platform"]["variant"].as_str(),
            variant,
            "{architecture}"
        );
        assert_eq!(config["variant"].as_str(), variant, "{architecture}");
        assert!(
            binary.len() as u64 <= BUDGET,
            "{architecture}: {} bytes",
            binary.len()
        );
        platforms.push(architecture.to_owned());
    }
    platforms.sort();
    assert_eq!(platforms, ["amd64", "arm", "arm64", "ppc64le", "s390x"]);
}
