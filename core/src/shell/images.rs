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

/// What a container runs, as its runtime records it.
pub(crate) struct Resolved {
    /// Its command line (`docker inspect`'s Path and Args): the entrypoint, then the command.
    pub(crate) command: Vec<String>,
    /// The program of its first process.
    pub(crate) program: Program,
    /// Where the first process's own arguments start in `command`.
    pub(crate) first: usize,
    /// The image's `EXPOSE`.
    pub(crate) exposes: &'static [&'static str],
}

impl Resolved {
    /// The arguments the first process runs with, as `/proc/PID/cmdline` has them.
    pub(crate) fn first_process_argv(&self) -> &[String] {
        &self.command[self.first..]
    }
}

fn image(reference: &str) -> Option<&'static Image> {
    IMAGES
        .iter()
        .find(|image| image.repository == repository(reference))
}

/// What a container of `reference` runs: the entrypoint (the image's, or one given, which
/// drops the image's command too, as `kubectl run --command` and a pod's `command` do), then
/// the given command or the image's. `None` when the model does not know the image and
/// nothing was given to run.
pub(crate) fn resolve(
    reference: &str,
    entrypoint: Option<&[String]>,
    given: &[String],
) -> Option<Resolved> {
    let known = image(reference);
    let (mut command, image_cmd): (Vec<String>, &[&str]) = match entrypoint {
        Some(entrypoint) => (entrypoint.to_vec(), &[]),
        None => known.map_or((Vec::new(), &[]), |image| {
            let entrypoint = image.entrypoint.iter().map(|w| (*w).to_owned()).collect();
            (entrypoint, image.cmd)
        }),
    };
    if given.is_empty() {
        if entrypoint.is_none() && known.is_none() {
            return None;
        }
        command.extend(image_cmd.iter().map(|w| (*w).to_owned()));
    } else {
        command.extend_from_slice(given);
    }
    let first = match entrypoint {
        Some(_) => 0,
        None => exec_start(known, &command),
    };
    let name = command.get(first)?;
    let program = Program::known(name.rsplit('/').next().unwrap_or(name));
    Some(Resolved {
        command,
        program,
        first,
        exposes: known.map_or(&[][..], |image| image.exposes),
    })
}

/// The arguments the first process of a container of `reference` runs with, from the command
/// line docker recorded (`Resolved::command`).
pub(crate) fn first_process_argv<'a>(reference: &str, command: &'a [String]) -> &'a [String] {
    &command[exec_start(image(reference), command)..]
}

/// Where the first process's arguments start in a command line: after an image's entrypoint
/// that execs its command (nginx's `/docker-entrypoint.sh` ends with `exec "$@"`), else at
/// the start (the entrypoint, or the command without one, is the first process).
fn exec_start(image: Option<&Image>, command: &[String]) -> usize {
    match image {
        Some(image)
            if image.entrypoint_execs
                && command.len() > image.entrypoint.len()
                && command.iter().zip(image.entrypoint).all(|(a, b)| a == b) =>
        {
            image.entrypoint.len()
        }
        _ => 0,
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
        let nginx = resolve("nginx", None, &[]).unwrap();
        assert_eq!(
            nginx.command,
            ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"]
        );
        assert_eq!(
            nginx.program.comm, "nginx",
            "the entrypoint execs its command"
        );
        assert_eq!(nginx.first_process_argv(), ["nginx", "-g", "daemon off;"]);
        assert_eq!(nginx.exposes, ["80/tcp"]);
        let given = ["sleep".to_owned(), "1000".to_owned()];
        let pause = resolve("registry.k8s.io/pause:3.9", None, &given).unwrap();
        assert_eq!(pause.command, ["/pause", "sleep", "1000"]);
        assert_eq!(pause.program.comm, "pause", "pause ignores its arguments");
        assert_eq!(pause.first_process_argv(), ["/pause", "sleep", "1000"]);
        let other = resolve("some/image", None, &given).unwrap();
        assert_eq!(other.program.comm, "sleep");
        assert_eq!(other.first_process_argv(), ["sleep", "1000"]);
        assert!(resolve("some/image", None, &[]).is_none());
    }

    #[test]
    fn a_given_entrypoint_replaces_the_images_and_drops_its_command() {
        let given = ["sleep".to_owned(), "1000".to_owned()];
        let pause = resolve("registry.k8s.io/pause:3.9", Some(&given), &[]).unwrap();
        assert_eq!(pause.command, ["sleep", "1000"]);
        assert_eq!(pause.program.comm, "sleep");
        let nginx = resolve("nginx", Some(&given[..1]), &given[1..]).unwrap();
        assert_eq!(nginx.first_process_argv(), ["sleep", "1000"]);
        assert_eq!(nginx.exposes, ["80/tcp"]);
        let unknown = resolve("some/image", Some(&given), &[]).unwrap();
        assert_eq!(unknown.program.comm, "sleep");
        assert!(resolve("some/image", Some(&[]), &[]).is_none());
    }

    #[test]
    fn a_recorded_command_line_gives_the_same_first_process_arguments() {
        for (image, given) in [
            ("nginx", vec![]),
            ("nginx", vec!["sh".to_owned()]),
            ("busybox", vec![]),
        ] {
            let resolved = resolve(image, None, &given).unwrap();
            assert_eq!(
                first_process_argv(image, &resolved.command),
                resolved.first_process_argv()
            );
        }
    }
}
