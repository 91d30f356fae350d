//! `docker inspect [-f TEMPLATE] NAME|ID…`: the JSON docker prints, with the fields the model
//! has, in docker's order; a template's field paths over the same values.

use super::template::{self, Piece, TemplateError};
use super::NotModelled;
use crate::pod::{DockerState, Inspect, Node};
use crate::shell::{Refused, Typed};

/// A JSON value whose objects keep docker's key order.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Json {
    Bool(bool),
    Number(i64),
    Text(String),
    List(Vec<Json>),
    Object(Vec<(&'static str, Json)>),
}

/// Go's json string: `"`, `\`, control characters, and `<`, `>`, `&` escaped (HTML-safe, as
/// `encoding/json` does by default).
fn quoted(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Json {
    /// `json.Marshal`: no spaces.
    fn compact(&self) -> String {
        match self {
            Json::Bool(b) => b.to_string(),
            Json::Number(n) => n.to_string(),
            Json::Text(t) => quoted(t),
            Json::List(items) => {
                let items: Vec<String> = items.iter().map(Json::compact).collect();
                format!("[{}]", items.join(","))
            }
            Json::Object(fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|(key, value)| format!("{}:{}", quoted(key), value.compact()))
                    .collect();
                format!("{{{}}}", fields.join(","))
            }
        }
    }

    /// `json.Indent` with four spaces, as `docker inspect` prints.
    fn indented(&self, depth: usize) -> String {
        let pad = |d: usize| "    ".repeat(d);
        match self {
            Json::List(items) if !items.is_empty() => {
                let items: Vec<String> = items
                    .iter()
                    .map(|item| format!("{}{}", pad(depth + 1), item.indented(depth + 1)))
                    .collect();
                format!("[\n{}\n{}]", items.join(",\n"), pad(depth))
            }
            Json::Object(fields) if !fields.is_empty() => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|(key, value)| {
                        format!(
                            "{}{}: {}",
                            pad(depth + 1),
                            quoted(key),
                            value.indented(depth + 1)
                        )
                    })
                    .collect();
                format!("{{\n{}\n{}}}", fields.join(",\n"), pad(depth))
            }
            Json::List(_) => "[]".into(),
            Json::Object(_) => "{}".into(),
            scalar => scalar.compact(),
        }
    }

    /// What a template prints for it: Go's `fmt` of the value (`[a b]` for a list of words).
    fn printed(&self) -> Option<String> {
        match self {
            Json::Bool(b) => Some(b.to_string()),
            Json::Number(n) => Some(n.to_string()),
            Json::Text(t) => Some(t.clone()),
            Json::List(items) => {
                let items: Option<Vec<String>> = items.iter().map(Json::printed).collect();
                Some(format!("[{}]", items?.join(" ")))
            }
            Json::Object(_) => None,
        }
    }

    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// The model's times: its clock does not move, and starts at the epoch. Go's zero time is
/// what docker shows for what has not happened.
const EPOCH: &str = "1970-01-01T00:00:00Z";
const NEVER: &str = "0001-01-01T00:00:00Z";

/// A container as `docker inspect` prints it, with the fields the model has.
fn container(row: &Inspect) -> Json {
    let text = |t: &str| Json::Text(t.to_owned());
    let (path, args) = match row.command.split_first() {
        Some((path, args)) => (path.clone(), args.to_vec()),
        None => (String::new(), Vec::new()),
    };
    let running = row.state == DockerState::Running;
    let state = Json::Object(vec![
        ("Status", text(row.state.as_str())),
        ("Running", Json::Bool(running)),
        ("Paused", Json::Bool(false)),
        ("Restarting", Json::Bool(false)),
        ("OOMKilled", Json::Bool(false)),
        ("Dead", Json::Bool(false)),
        ("Pid", Json::Number(row.pid.map_or(0, |p| i64::from(p.0)))),
        (
            "ExitCode",
            Json::Number(row.exit.map_or(0, |s| i64::from(s.shell_code()))),
        ),
        ("Error", text("")),
        (
            "StartedAt",
            text(if row.state == DockerState::Created {
                NEVER
            } else {
                EPOCH
            }),
        ),
        (
            "FinishedAt",
            text(if row.state == DockerState::Exited {
                EPOCH
            } else {
                NEVER
            }),
        ),
    ]);
    let host = &row.host_config;
    Json::Object(vec![
        ("Id", text(&row.id)),
        ("Created", text(EPOCH)),
        ("Path", Json::Text(path)),
        (
            "Args",
            Json::List(args.into_iter().map(Json::Text).collect()),
        ),
        ("State", state),
        ("Name", Json::Text(format!("/{}", row.name))),
        ("RestartCount", Json::Number(0)),
        (
            "HostConfig",
            Json::Object(vec![
                ("NetworkMode", text(&host.network_mode)),
                ("IpcMode", text(&host.ipc_mode)),
                ("PidMode", text(&host.pid_mode)),
                ("UTSMode", text("")),
            ]),
        ),
        (
            "Config",
            Json::Object(vec![
                ("Hostname", text(&row.hostname)),
                ("Image", text(&row.image)),
            ]),
        ),
    ])
}

/// The top-level fields of docker 20.10's `ContainerJSON`: one the model lacks is not a
/// mistake of the reader's, and is refused as not modelled rather than with Go's error.
const DOCKER_FIELDS: &[&str] = &[
    "Id",
    "Created",
    "Path",
    "Args",
    "State",
    "Image",
    "ResolvConfPath",
    "HostnamePath",
    "HostsPath",
    "LogPath",
    "Node",
    "Name",
    "RestartCount",
    "Driver",
    "Platform",
    "MountLabel",
    "ProcessLabel",
    "AppArmorProfile",
    "ExecIDs",
    "HostConfig",
    "GraphDriver",
    "SizeRw",
    "SizeRootFs",
    "Mounts",
    "Config",
    "NetworkSettings",
];

/// The container `name` names: its name, its id, or a prefix of its id.
pub(super) fn find<'a>(rows: &'a [Inspect], name: &str) -> Option<&'a Inspect> {
    let name = name.strip_prefix('/').unwrap_or(name);
    rows.iter()
        .find(|row| row.name == name || row.id == name)
        .or_else(|| {
            let mut matching = rows
                .iter()
                .filter(|row| !name.is_empty() && row.id.starts_with(name));
            let first = matching.next();
            first.filter(|_| matching.next().is_none())
        })
}

/// Runs `pieces` over `value`: the text, or the line docker prints for the first failure.
fn execute(pieces: &[Piece], value: &Json) -> Result<String, Result<String, Refused>> {
    let mut out = String::new();
    for piece in pieces {
        let (path, at, json) = match piece {
            Piece::Text(text) => {
                out.push_str(text);
                continue;
            }
            Piece::Field { path, at } => (path, *at, false),
            Piece::Json { path, at } => (path, *at, true),
        };
        let mut found = value;
        for (depth, key) in path.iter().enumerate() {
            match found.get(key) {
                Some(next) => found = next,
                None if depth == 0 && !DOCKER_FIELDS.contains(&key.as_str()) => {
                    let shown = format!(".{}", path[..=depth].join("."));
                    let why = format!("map has no entry for key \"{key}\"");
                    // The CLI ends its (empty) output's line, then says what failed, lower case
                    // (measured on docker 20.10).
                    return Err(Ok(format!(
                        "\ntemplate parsing error: {}\n",
                        template::executing(at, &shown, &why)
                    )));
                }
                None => {
                    let field = format!(".{}", path.join("."));
                    return Err(Err(Refused::NotModelled(NotModelled::Field(field))));
                }
            }
        }
        if json {
            out.push_str(&found.compact());
        } else {
            match found.printed() {
                Some(text) => out.push_str(&text),
                None => {
                    let field = format!(".{}", path.join("."));
                    return Err(Err(Refused::NotModelled(NotModelled::Print(field))));
                }
            }
        }
    }
    Ok(out)
}

/// `docker inspect`.
pub(super) fn run(node: &Node, args: &[String]) -> Result<Typed, Refused> {
    let mut format = None;
    let mut names = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "-f" | "--format" => match words.next() {
                Some(value) => format = Some(value.clone()),
                None => {
                    return Ok(Typed::said(
                        format!(
                            "flag needs an argument: {}\nSee 'docker inspect --help'.\n",
                            if word == "-f" {
                                "'f' in -f"
                            } else {
                                "--format"
                            }
                        ),
                        125,
                    ))
                }
            },
            flag if flag.starts_with("--format=") => {
                format = Some(flag["--format=".len()..].to_owned())
            }
            flag if flag.starts_with("-f") && flag.len() > 2 => format = Some(flag[2..].to_owned()),
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(Refused::NotModelled(NotModelled::Flag(flag.to_owned())))
            }
            name => names.push(name.to_owned()),
        }
    }
    if names.is_empty() {
        let text = "\"docker inspect\" requires at least 1 argument.\nSee 'docker inspect --help'.\n\nUsage:  docker inspect [OPTIONS] NAME|ID [NAME|ID...]\n\nReturn low-level information on Docker objects\n";
        return Ok(Typed::said(text.to_owned(), 1));
    }
    let pieces = match format.as_deref().map(template::parse) {
        None => None,
        Some(Ok(pieces)) => Some(pieces),
        // The CLI's own usage-error status (measured on docker 20.10).
        Some(Err(TemplateError::Parse(why))) => {
            return Ok(Typed::said(format!("template parsing error: {why}\n"), 64))
        }
        Some(Err(TemplateError::NotModelled(what))) => return Err(Refused::NotModelled(what)),
    };
    let rows = node.docker_inspect();
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for name in &names {
        match find(&rows, name) {
            Some(row) => found.push(container(row)),
            None => missing.push(name),
        }
    }
    let mut out = String::new();
    match &pieces {
        None => {
            out.push_str(&Json::List(found).indented(0));
            out.push('\n');
        }
        Some(pieces) => {
            for value in &found {
                match execute(pieces, value) {
                    Ok(text) => {
                        out.push_str(&text);
                        out.push('\n');
                    }
                    Err(Ok(error)) => return Ok(Typed::said(error, 1)),
                    Err(Err(refused)) => return Err(refused),
                }
            }
        }
    }
    // A template inspector that printed nothing still ends the line (`Flush`).
    if pieces.is_some() && out.is_empty() {
        out.push('\n');
    }
    for name in &missing {
        out.push_str(&format!("Error: No such object: {name}\n"));
    }
    Ok(Typed::said(out, u8::from(!missing.is_empty())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_indented_and_escaped_as_go_does() {
        let value = Json::Object(vec![
            ("Args", Json::List(vec![Json::Text("daemon off;".into())])),
            ("Empty", Json::List(Vec::new())),
            ("Html", Json::Text("<&>".into())),
        ]);
        assert_eq!(
            Json::List(vec![value.clone()]).indented(0),
            "[\n    {\n        \"Args\": [\n            \"daemon off;\"\n        ],\n        \"Empty\": [],\n        \"Html\": \"\\u003c\\u0026\\u003e\"\n    }\n]"
        );
        assert_eq!(
            value.compact(),
            "{\"Args\":[\"daemon off;\"],\"Empty\":[],\"Html\":\"\\u003c\\u0026\\u003e\"}"
        );
    }
}
