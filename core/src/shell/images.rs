//! The images the terminal's `docker run` and `kubectl run` know without a command: what each one's entrypoint
//! and command are (from their Dockerfiles), and which program ends up as the container's first
//! process. Any image runs a command given after it; the model has no registry to pull from.

use crate::pod::Program;

/// One image's configuration, as `docker inspect IMAGE` shows `Config`.
pub(crate) struct Image {
    /// The repository, without registry defaults (`nginx`, `registry.k8s.io/pause`).
    repository: &'static str,
    /// `ENTRYPOINT`.
    entrypoint: &'static [&'static str],
    /// `CMD`.
    cmd: &'static [&'static str],
    /// The entrypoint is a script that ends with `exec "$@"`: the command becomes pid 1.
    entrypoint_execs: bool,
    /// `EXPOSE`, for `docker ps`'s PORTS on docker's bridge.
    pub(crate) exposes: &'static [&'static str],
}

const IMAGES: &[Image] = &[
    Image {
        repository: "nginx",
        entrypoint: &["/docker-entrypoint.sh"],
        cmd: &["nginx", "-g", "daemon off;"],
        entrypoint_execs: true,
        exposes: &["80/tcp"],
    },
    Image {
        repository: "registry.k8s.io/pause",
        entrypoint: &["/pause"],
        cmd: &[],
        entrypoint_execs: false,
        exposes: &[],
    },
    Image {
        repository: "busybox",
        entrypoint: &[],
        cmd: &["sh"],
        entrypoint_execs: false,
        exposes: &[],
    },
    Image {
        repository: "alpine",
        entrypoint: &[],
        cmd: &["/bin/sh"],
        entrypoint_execs: false,
        exposes: &[],
    },
    Image {
        repository: "debian",
        entrypoint: &[],
        cmd: &["bash"],
        entrypoint_execs: false,
        exposes: &[],
    },
    Image {
        repository: "ubuntu",
        entrypoint: &[],
        cmd: &["/bin/bash"],
        entrypoint_execs: false,
        exposes: &[],
    },
];

/// The repositories the terminal knows, for completion.
pub(crate) fn repositories() -> impl Iterator<Item = &'static str> {
    IMAGES.iter().map(|image| image.repository)
}

/// An image reference without its tag or digest, and with Docker Hub's defaults taken off:
/// `docker.io/library/nginx:1.25` is `nginx`.
pub(crate) fn repository(reference: &str) -> &str {
    let reference = reference.split('@').next().unwrap_or(reference);
    // A tag is after the last colon that comes after the last slash (a registry may have a port).
    let slash = reference.rfind('/').map_or(0, |at| at + 1);
    let reference = match reference[slash..].rfind(':') {
        Some(colon) => &reference[..slash + colon],
        None => reference,
    };
    let reference = reference.strip_prefix("docker.io/").unwrap_or(reference);
    reference.strip_prefix("library/").unwrap_or(reference)
}

/// What a container of `reference` runs: its command line as docker records it (entrypoint,
/// then the given command or the image's), and the program of its first process. `None` when
/// the model does not know the image and no command was given.
pub(crate) fn resolve(
    reference: &str,
    given: &[String],
) -> Option<(Vec<String>, Program, &'static [&'static str])> {
    let image = IMAGES
        .iter()
        .find(|image| image.repository == repository(reference));
    let entrypoint: Vec<String> = image
        .map(|image| image.entrypoint.iter().map(|w| (*w).to_owned()).collect())
        .unwrap_or_default();
    let cmd: Vec<String> = if given.is_empty() {
        image?.cmd.iter().map(|w| (*w).to_owned()).collect()
    } else {
        given.to_vec()
    };
    let runs = match image {
        Some(image) if !image.entrypoint.is_empty() && !image.entrypoint_execs => &entrypoint,
        _ => &cmd,
    };
    let first = runs.first()?;
    let comm = first.rsplit('/').next().unwrap_or(first);
    let program = Program::known(comm);
    let mut command = entrypoint;
    command.extend(cmd);
    Some((
        command,
        program,
        image.map_or(&[][..], |image| image.exposes),
    ))
}

/// The arguments the container's first process runs with, from the command line docker records
/// (`resolve`'s): without an entrypoint that execs the command, they are that line; with one
/// (nginx's `/docker-entrypoint.sh`), the command it execs.
pub(crate) fn first_process_argv<'a>(reference: &str, command: &'a [String]) -> &'a [String] {
    let image = IMAGES
        .iter()
        .find(|image| image.repository == repository(reference));
    match image {
        Some(image)
            if image.entrypoint_execs
                && command.len() > image.entrypoint.len()
                && command.iter().zip(image.entrypoint).all(|(a, b)| a == b) =>
        {
            &command[image.entrypoint.len()..]
        }
        _ => command,
    }
}

/// Whether the first process is a shell that reads commands from its standard input: without
/// `-i` it reads end of file and exits 0 at once, and so does its container.
pub(crate) fn reads_stdin(program: &Program, command: &[String]) -> bool {
    matches!(program.comm.as_str(), "sh" | "bash" | "ash")
        && !command.iter().any(|word| word == "-c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_lose_their_tag_digest_and_docker_hub_prefix() {
        assert_eq!(repository("nginx"), "nginx");
        assert_eq!(repository("nginx:1.25"), "nginx");
        assert_eq!(repository("docker.io/library/nginx:1.25"), "nginx");
        assert_eq!(
            repository("registry.k8s.io/pause:3.9"),
            "registry.k8s.io/pause"
        );
        assert_eq!(repository("localhost:5000/app:v1"), "localhost:5000/app");
        assert_eq!(repository("busybox@sha256:abc"), "busybox");
    }

    #[test]
    fn the_entrypoint_decides_who_is_pid_1() {
        let (command, program, exposes) = resolve("nginx", &[]).unwrap();
        assert_eq!(
            command,
            ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"]
        );
        assert_eq!(program.comm, "nginx", "the entrypoint execs its command");
        assert_eq!(exposes, ["80/tcp"]);
        let given = ["sleep".to_owned(), "1000".to_owned()];
        let (command, program, _) = resolve("registry.k8s.io/pause:3.9", &given).unwrap();
        assert_eq!(command, ["/pause", "sleep", "1000"]);
        assert_eq!(program.comm, "pause", "pause ignores its arguments");
        let (_, program, _) = resolve("some/image", &given).unwrap();
        assert_eq!(program.comm, "sleep");
        assert!(resolve("some/image", &[]).is_none());
    }
}
