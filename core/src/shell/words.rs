//! Splitting a typed line into words as sh does for what the terminal takes: blanks between
//! words, '…' and "…" quoting, `\` escapes, `$?` (the last status), `#` comments and a final
//! `&` (run in the background). Pipes, redirections, `;` and `&&` are refused by name, since
//! the model has no files or pipes to give them.

/// The longest line the terminal takes, in bytes (a line beyond it is refused whole).
pub const MAX_LINE: usize = 4096;

/// A line split into words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Words {
    /// The words, quotes removed and `$?` expanded.
    pub words: Vec<String>,
    /// Ended by `&`.
    pub background: bool,
}

/// Why a line is not split.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum WordsError {
    /// Longer than [`MAX_LINE`] bytes.
    TooLong(usize),
    /// A quote that is not closed before the end of the line.
    Unterminated(char),
    /// An operator the terminal does not run (`|`, `>`, `<`, `;`, `&&`, `||`, `$(`, a backquote).
    Operator(String),
}

/// Splits `line`; `status` is what `$?` expands to.
pub fn split(line: &str, status: u8) -> Result<Words, WordsError> {
    if line.len() > MAX_LINE {
        return Err(WordsError::TooLong(line.len()));
    }
    let mut words = Vec::new();
    let mut word = String::new();
    // Whether a word is open: `''` is a word, though empty.
    let mut open = false;
    let mut background = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if background && !c.is_whitespace() {
            // `a & b`: a second command on the line.
            return Err(WordsError::Operator("&".into()));
        }
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if open {
                    words.push(std::mem::take(&mut word));
                    open = false;
                }
            }
            '#' if !open => break,
            '\'' => {
                open = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(WordsError::Unterminated('\'')),
                    }
                }
            }
            '"' => {
                open = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(WordsError::Unterminated('"')),
                        },
                        Some('$') => dollar(&mut chars, &mut word, status)?,
                        Some('`') => return Err(WordsError::Operator("`".into())),
                        Some(c) => word.push(c),
                        None => return Err(WordsError::Unterminated('"')),
                    }
                }
            }
            '\\' => {
                open = true;
                match chars.next() {
                    Some('\n') | None => {}
                    Some(c) => word.push(c),
                }
            }
            '$' => {
                open = true;
                dollar(&mut chars, &mut word, status)?;
            }
            '&' => {
                if chars.peek() == Some(&'&') {
                    return Err(WordsError::Operator("&&".into()));
                }
                if open {
                    words.push(std::mem::take(&mut word));
                    open = false;
                }
                background = true;
            }
            '|' | ';' | '<' | '>' | '(' | ')' | '`' => {
                let mut operator = c.to_string();
                if let Some(&next) = chars.peek() {
                    if (c == '|' && next == '|') || (c == '>' && next == '>') {
                        operator.push(next);
                    }
                }
                return Err(WordsError::Operator(operator));
            }
            c => {
                open = true;
                word.push(c);
            }
        }
    }
    if open {
        words.push(word);
    }
    Ok(Words { words, background })
}

/// What follows a `$`: `$?` is the last status; `$(` is command substitution, refused; any
/// other `$` stays as it is (the model has no variables).
fn dollar(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    word: &mut String,
    status: u8,
) -> Result<(), WordsError> {
    match chars.peek() {
        Some('?') => {
            chars.next();
            word.push_str(&status.to_string());
        }
        Some('(') => return Err(WordsError::Operator("$(".into())),
        _ => word.push('$'),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        split(line, 0).unwrap().words
    }

    #[test]
    fn words_are_split_at_blanks_and_quotes_are_removed() {
        assert_eq!(words("  ps   -ef "), ["ps", "-ef"]);
        assert_eq!(
            words(r#"docker inspect -f '{{.HostConfig.IpcMode}}' pause"#),
            [
                "docker",
                "inspect",
                "-f",
                "{{.HostConfig.IpcMode}}",
                "pause"
            ]
        );
        assert_eq!(
            words(r#"echo "a  b" 'c'd e\ f"#),
            ["echo", "a  b", "cd", "e f"]
        );
        assert_eq!(words(r#"echo "\"\$\\\x" ''"#), ["echo", r#""$\\x"#, ""]);
        assert_eq!(words("echo a # a comment"), ["echo", "a"]);
        assert!(words("").is_empty());
    }

    #[test]
    fn the_last_status_expands_and_other_dollars_stay() {
        assert_eq!(
            split("echo $? \"$?\" '$?' $HOME", 137).unwrap().words,
            ["echo", "137", "137", "$?", "$HOME"]
        );
    }

    #[test]
    fn a_final_ampersand_runs_in_the_background() {
        let line = split("sleep 1000 &", 0).unwrap();
        assert_eq!(
            (line.words, line.background),
            (vec!["sleep".into(), "1000".into()], true)
        );
        assert!(split("sleep 1000&", 0).unwrap().background);
        assert_eq!(
            split("sleep 1 & ps", 0),
            Err(WordsError::Operator("&".into()))
        );
    }

    #[test]
    fn what_the_terminal_does_not_run_is_refused_by_name() {
        for (line, operator) in [
            ("ps | grep x", "|"),
            ("a || b", "||"),
            ("a && b", "&&"),
            ("ps > out", ">"),
            ("ps >> out", ">>"),
            ("a; b", ";"),
            ("echo $(id)", "$("),
            ("echo `id`", "`"),
            ("echo \"`id`\"", "`"),
        ] {
            assert_eq!(
                split(line, 0),
                Err(WordsError::Operator(operator.into())),
                "{line}"
            );
        }
        assert_eq!(split("echo 'a", 0), Err(WordsError::Unterminated('\'')));
        assert_eq!(split("echo \"a", 0), Err(WordsError::Unterminated('"')));
        let long = "x".repeat(MAX_LINE + 1);
        assert_eq!(split(&long, 0), Err(WordsError::TooLong(MAX_LINE + 1)));
        assert!(split(&"x".repeat(MAX_LINE), 0).is_ok());
    }
}
