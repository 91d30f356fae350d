//! The part of Go's `text/template` that `docker ps --format` and `docker inspect -f` are used
//! with: text, field paths (`{{.HostConfig.IpcMode}}`) and `{{json .State}}`; a leading
//! `table` for `ps`. Anything else is refused by name rather than guessed.

use super::NotModelled;

/// One piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Piece {
    /// Text printed as it is.
    Text(String),
    /// `{{.A.B}}` (`{{.}}` is the empty path), at this byte offset: Go's errors name it.
    Field { path: Vec<String>, at: usize },
    /// `{{json .A.B}}`.
    Json { path: Vec<String>, at: usize },
}

/// Why a template cannot be run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum TemplateError {
    /// Go's parser refuses it: its message.
    Parse(String),
    /// Valid Go, but not in the model.
    NotModelled(NotModelled),
}

/// Go's escapes in a docker format string: docker turns `\t` and `\n` typed as two characters
/// into a tab and a newline (`formatter.Format`), which `table` uses as columns.
fn unescaped(text: &str) -> String {
    text.replace("\\t", "\t").replace("\\n", "\n")
}

/// Splits `template` into pieces.
pub(super) fn parse(template: &str) -> Result<Vec<Piece>, TemplateError> {
    let mut pieces = Vec::new();
    let mut rest = template;
    let mut offset = 0;
    while let Some(open) = rest.find("{{") {
        if open > 0 {
            pieces.push(Piece::Text(unescaped(&rest[..open])));
        }
        let inside_at = offset + open + 2;
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            return Err(TemplateError::Parse("template: :1: unclosed action".into()));
        };
        let action = &after[..close];
        let lead = action.len() - action.trim_start().len();
        let words: Vec<&str> = action.split_whitespace().collect();
        let at = inside_at + lead;
        let path = |word: &str| -> Option<Vec<String>> {
            let tail = word.strip_prefix('.')?;
            if tail.is_empty() {
                return Some(Vec::new());
            }
            let parts: Vec<String> = tail.split('.').map(str::to_owned).collect();
            parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'))
                .then_some(parts)
        };
        match words.as_slice() {
            [word] if path(word).is_some() => pieces.push(Piece::Field {
                path: path(word).unwrap_or_default(),
                at,
            }),
            ["json", word] if path(word).is_some() => pieces.push(Piece::Json {
                path: path(word).unwrap_or_default(),
                // Go names the argument's position, after `json `.
                at: at + action.trim_start().find(word).unwrap_or(0),
            }),
            [] => {
                return Err(TemplateError::Parse(
                    "template: :1: missing value for command".to_owned(),
                ))
            }
            _ => {
                return Err(TemplateError::NotModelled(NotModelled::Template(
                    action.trim().to_owned(),
                )))
            }
        }
        offset = inside_at + close + 2;
        rest = &after[close + 2..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(unescaped(rest)));
    }
    Ok(pieces)
}

/// Go's text for an error at a piece: `template: :1:COL: executing "" at <.A.B>: …`.
pub(super) fn executing(at: usize, shown: &str, why: &str) -> String {
    format!("template: :1:{at}: executing \"\" at <{shown}>: {why}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_json_are_pieces_with_their_offsets() {
        let pieces = parse("{{.Name}} ipc={{ .HostConfig.IpcMode }}\\t{{json .State}}").unwrap();
        assert_eq!(
            pieces,
            [
                Piece::Field {
                    path: vec!["Name".into()],
                    at: 2
                },
                Piece::Text(" ipc=".into()),
                Piece::Field {
                    path: vec!["HostConfig".into(), "IpcMode".into()],
                    at: 17
                },
                Piece::Text("\t".into()),
                Piece::Json {
                    path: vec!["State".into()],
                    at: 48
                },
            ]
        );
    }

    #[test]
    fn what_go_refuses_and_what_the_model_lacks_are_told_apart() {
        assert_eq!(
            parse("{{.Name"),
            Err(TemplateError::Parse("template: :1: unclosed action".into()))
        );
        assert!(matches!(
            parse("{{range .Mounts}}{{.}}{{end}}"),
            Err(TemplateError::NotModelled(NotModelled::Template(_)))
        ));
    }
}
