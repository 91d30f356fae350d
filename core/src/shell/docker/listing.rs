//! `docker ps [-a] [-q] [--no-trunc] [--filter name=WORD] [--format TEMPLATE]`: the table docker 20.10 prints (Go's
//! tabwriter: columns at least 10 wide, 3 spaces apart), newest first; the model's clock does
//! not move, so every container was created "Less than a second ago".

use super::template::{self, Piece, TemplateError};
use super::NotModelled;
use crate::pod::{DockerState, Inspect, Node};
use crate::shell::columns::tabwriter;
use crate::shell::images;
use crate::shell::{Refused, Typed};

/// Go's `Ellipsis` for the CLI's truncated columns: at most `width` characters, the last `…`.
fn ellipsis(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(width - 1).collect();
        format!("{kept}…")
    }
}

/// One container's columns, by the name `--format` gives them.
fn field(row: &Inspect, name: &str, trunc: bool) -> Option<String> {
    let running = row.state == DockerState::Running;
    Some(match name {
        "ID" => {
            if trunc {
                row.id[..12].to_owned()
            } else {
                row.id.clone()
            }
        }
        "Image" => row.image.clone(),
        "Command" => {
            let command = row.command.join(" ");
            let command = if trunc {
                ellipsis(&command, 20)
            } else {
                command
            };
            format!("\"{command}\"")
        }
        "CreatedAt" => "1970-01-01 00:00:00 +0000 UTC".into(),
        "RunningFor" => "Less than a second ago".into(),
        "Status" => match (row.state, row.exit) {
            (DockerState::Running, _) => "Up Less than a second".into(),
            (DockerState::Created, _) => "Created".into(),
            (DockerState::Exited, exit) => format!(
                "Exited ({}) Less than a second ago",
                exit.map_or(0, |s| s.shell_code())
            ),
        },
        "State" => row.state.as_str().into(),
        "Names" => row.name.clone(),
        "Ports" => {
            // Only a running container on a network of its own has ports.
            let bridge = row.host_config.network_mode == "default";
            if !running || !bridge {
                String::new()
            } else if row.publish.is_empty() {
                let exposes = images::resolve(&row.image, None, &[])
                    .map(|resolved| resolved.exposes)
                    .unwrap_or_default();
                exposes.join(", ")
            } else {
                let ports: Vec<String> = row
                    .publish
                    .iter()
                    .map(|p| {
                        let (host, inside) = p.rsplit_once(':').unwrap_or((p.as_str(), p.as_str()));
                        let inside = if inside.contains('/') {
                            inside.to_owned()
                        } else {
                            format!("{inside}/tcp")
                        };
                        format!("0.0.0.0:{host}->{inside}, :::{host}->{inside}")
                    })
                    .collect();
                ports.join(", ")
            }
        }
        "Networks" => match row.host_config.network_mode.as_str() {
            "default" => "bridge".into(),
            mode if mode.starts_with("container:") => String::new(),
            mode => mode.into(),
        },
        "Labels" | "Mounts" => String::new(),
        _ => return None,
    })
}

/// The column headers docker prints for `table` formats.
fn header(name: &str) -> Option<&'static str> {
    Some(match name {
        "ID" => "CONTAINER ID",
        "Image" => "IMAGE",
        "Command" => "COMMAND",
        "CreatedAt" => "CREATED AT",
        "RunningFor" => "CREATED",
        "Status" => "STATUS",
        "State" => "STATE",
        "Names" => "NAMES",
        "Ports" => "PORTS",
        "Networks" => "NETWORKS",
        "Labels" => "LABELS",
        "Mounts" => "MOUNTS",
        _ => return None,
    })
}

/// The fields of docker's `ContainerContext` the model has no value for.
const DOCKER_ONLY: &[&str] = &["Size", "LocalVolumes", "Label"];

const DEFAULT: &str =
    "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

/// `docker ps`.
pub(super) fn ps(node: &Node, args: &[String]) -> Result<Typed, Refused> {
    let (mut all, mut quiet, mut trunc) = (false, false, true);
    let mut format = None;
    let mut names: Vec<String> = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let filter = match word.as_str() {
            "-f" | "--filter" => match words.next() {
                Some(value) => Some(value.clone()),
                None => {
                    let flag = if word == "-f" {
                        "'f' in -f"
                    } else {
                        "--filter"
                    };
                    let text = format!("flag needs an argument: {flag}\nSee 'docker ps --help'.\n");
                    return Ok(Typed::said(text, 125));
                }
            },
            flag if flag.starts_with("--filter=") => Some(flag["--filter=".len()..].to_owned()),
            _ => None,
        };
        if let Some(filter) = filter {
            // `name=PART`: a container whose name has PART in it (the filter is a regular
            // expression in docker; a plain word matches as a part of the name).
            match filter.split_once('=') {
                Some(("name", part))
                    if part
                        .chars()
                        .all(|c| c.is_alphanumeric() || "-_.".contains(c)) =>
                {
                    names.push(part.to_owned())
                }
                _ => {
                    return Err(Refused::NotModelled(NotModelled::Value {
                        flag: "--filter".into(),
                        value: filter,
                    }))
                }
            }
            continue;
        }
        match word.as_str() {
            "-a" | "--all" => all = true,
            "-q" | "--quiet" => quiet = true,
            "-aq" | "-qa" => (all, quiet) = (true, true),
            "--no-trunc" => trunc = false,
            "--format" => match words.next() {
                Some(value) => format = Some(value.clone()),
                None => {
                    return Ok(Typed::said(
                        "flag needs an argument: --format\nSee 'docker ps --help'.\n".into(),
                        125,
                    ))
                }
            },
            flag if flag.starts_with("--format=") => {
                format = Some(flag["--format=".len()..].to_owned())
            }
            flag if flag.starts_with('-') => {
                return Err(Refused::NotModelled(NotModelled::Flag(flag.to_owned())))
            }
            _ => {
                let text = "\"docker ps\" accepts no arguments.\nSee 'docker ps --help'.\n\nUsage:  docker ps [OPTIONS]\n\nList containers\n";
                return Ok(Typed::said(text.to_owned(), 1));
            }
        }
    }
    let mut rows = node.docker_inspect();
    rows.retain(|row| all || row.state == DockerState::Running);
    rows.retain(|row| names.iter().all(|part| row.name.contains(part.as_str())));
    rows.reverse();
    let format = match (quiet, format) {
        (true, _) => "{{.ID}}".to_owned(),
        (false, Some(format)) => format,
        (false, None) => DEFAULT.to_owned(),
    };
    let (table, body) = match format.strip_prefix("table") {
        Some(rest) => (true, rest.trim_start().to_owned()),
        None => (false, format),
    };
    let pieces = match template::parse(&body) {
        Ok(pieces) => pieces,
        Err(TemplateError::Parse(why)) => {
            return Ok(Typed::said(format!("failed to parse template: {why}\n"), 1))
        }
        Err(TemplateError::NotModelled(what)) => return Err(Refused::NotModelled(what)),
    };
    let render = |row: Option<&Inspect>| -> Result<String, Result<String, Refused>> {
        let mut line = String::new();
        for piece in &pieces {
            match piece {
                Piece::Text(text) => line.push_str(text),
                Piece::Field { path, at } | Piece::Json { path, at } => {
                    let name = path.first().map(String::as_str).unwrap_or_default();
                    if path.len() != 1 || DOCKER_ONLY.contains(&name) {
                        let field = format!(".{}", path.join("."));
                        return Err(Err(Refused::NotModelled(NotModelled::Field(field))));
                    }
                    let value = match row {
                        None => header(name).map(str::to_owned),
                        Some(row) => field(row, name, trunc),
                    };
                    let Some(value) = value else {
                        let why = format!(
                            "can't evaluate field {name} in type *formatter.ContainerContext"
                        );
                        let shown = format!(".{name}");
                        return Err(Ok(format!(
                            "failed to execute template: {}\n",
                            template::executing(*at, &shown, &why)
                        )));
                    };
                    // Every column is a string: `json` quotes it.
                    if matches!(piece, Piece::Json { .. }) && row.is_some() {
                        line.push_str(&serde_json::to_string(&value).unwrap_or_default());
                    } else {
                        line.push_str(&value);
                    }
                }
            }
        }
        Ok(line)
    };
    let mut out = String::new();
    if table {
        match render(None) {
            Ok(line) => {
                out.push_str(&line);
                out.push('\n');
            }
            Err(Ok(error)) => return Ok(Typed::said(error, 1)),
            Err(Err(refused)) => return Err(refused),
        }
    }
    for row in &rows {
        match render(Some(row)) {
            Ok(line) => {
                out.push_str(&line);
                out.push('\n');
            }
            Err(Ok(error)) => return Ok(Typed::said(error, 1)),
            Err(Err(refused)) => return Err(refused),
        }
    }
    Ok(Typed::said(
        if table { tabwriter(&out, 10) } else { out },
        0,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_ten_wide_at_least_three_apart_and_the_last_unpadded() {
        let text = "CONTAINER ID\tIMAGE\tPORTS\tNAMES\n0123456789ab\tnginx\t\tweb\n";
        assert_eq!(
            tabwriter(text, 10),
            "CONTAINER ID   IMAGE     PORTS     NAMES\n0123456789ab   nginx               web\n"
        );
    }

    #[test]
    fn a_long_command_is_cut_with_an_ellipsis() {
        assert_eq!(
            ellipsis("/docker-entrypoint.sh nginx -g 'daemon off;'", 20),
            "/docker-entrypoint.…"
        );
        assert_eq!(ellipsis("/pause", 20), "/pause");
    }
}
