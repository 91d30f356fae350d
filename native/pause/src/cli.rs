//! pause's command line: pause.c's, plus `--version` and `-- CMD` for init mode.

use crate::Args;

/// What to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Mode {
    /// `-v` (any case, anywhere before `--`) or `--version`: print the version.
    Version,
    /// `-h` or `--help`.
    Help,
    /// No command: hold the namespaces.
    Sandbox,
    /// `-- CMD …`: run CMD as its init.
    Init(InitOptions),
}

/// Init mode's options.
#[derive(Debug, PartialEq, Eq)]
pub struct InitOptions {
    /// `-g`: forward signals to CMD's whole process group.
    pub group: bool,
    /// `--verbose`: say what it does on stderr.
    pub verbose: bool,
    /// Where CMD is among the arguments.
    pub command: usize,
}

/// A command line pause refuses (exit status 2).
#[derive(Debug, PartialEq, Eq)]
pub enum UsageError {
    /// A flag it does not know, before `--` in init mode.
    UnknownFlag,
    /// `--` with nothing after it.
    MissingCommand,
    /// `-g` without `-- CMD`.
    GroupWithoutCommand,
    /// `--verbose` without `-- CMD`.
    VerboseWithoutCommand,
}

impl UsageError {
    /// What pause prints.
    pub fn message(&self) -> &'static str {
        match self {
            UsageError::UnknownFlag => "pause: unknown flag before --",
            UsageError::MissingCommand => "pause: -- must be followed by a command",
            UsageError::GroupWithoutCommand => {
                "pause: -g needs a command: pause -g -- CMD [ARGS...]"
            }
            UsageError::VerboseWithoutCommand => {
                "pause: --verbose needs a command: pause --verbose -- CMD [ARGS...]"
            }
        }
    }
}

/// Parses the arguments after the program name.
pub fn parse(args: &Args) -> Result<Mode, UsageError> {
    let dashes = args.iter().position(|arg| arg.to_bytes() == b"--");
    let flags = args.iter().take(dashes.unwrap_or(args.len()));
    // pause.c: any argument equal to -v, in any case, means the version; dockerd asks with
    // --version and waits for the answer, so that one must not hang either.
    if flags.clone().any(|arg| {
        let arg = arg.to_bytes();
        arg.eq_ignore_ascii_case(b"-v") || arg == b"--version"
    }) {
        return Ok(Mode::Version);
    }
    let (mut group, mut verbose) = (false, false);
    for arg in flags {
        match arg.to_bytes() {
            b"-h" | b"--help" => return Ok(Mode::Help),
            b"-g" => group = true,
            b"--verbose" => verbose = true,
            // pause.c ignores other words; a flag in init mode is a mistake worth reporting.
            flag if flag.starts_with(b"-") && dashes.is_some() => {
                return Err(UsageError::UnknownFlag)
            }
            _ => {}
        }
    }
    match dashes {
        Some(at) if at + 1 >= args.len() => Err(UsageError::MissingCommand),
        Some(at) => Ok(Mode::Init(InitOptions {
            group,
            verbose,
            command: at + 1,
        })),
        None if group => Err(UsageError::GroupWithoutCommand),
        None if verbose => Err(UsageError::VerboseWithoutCommand),
        None => Ok(Mode::Sandbox),
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::{c_char, CString};

    use super::*;

    /// Parses `words` as the arguments after the program name.
    fn parse_words(words: &[&str]) -> Result<Mode, UsageError> {
        let owned: Vec<CString> = std::iter::once("pause")
            .chain(words.iter().copied())
            .map(|w| CString::new(w).unwrap())
            .collect();
        let mut argv: Vec<*const c_char> = owned.iter().map(|w| w.as_ptr()).collect();
        argv.push(std::ptr::null());
        // SAFETY: `argv` is `owned.len()` valid C strings and a null pointer, alive until the
        // end of this function, which is where the parsed arguments end too.
        let args = unsafe { Args::from_c(owned.len() as i32, argv.as_ptr()) };
        parse(&args)
    }

    #[test]
    fn k20_version_in_any_case_and_position_like_pause_c_and_long_for_dockerd() {
        for words in [
            &["-v"][..],
            &["-V"],
            &["--version"],
            &["x", "-v"],
            &["-g", "-V", "--", "sh"],
            &["--version", "--", "sh"],
        ] {
            assert_eq!(parse_words(words), Ok(Mode::Version), "{words:?}");
        }
    }

    #[test]
    fn a_v_after_the_double_dash_belongs_to_the_command() {
        assert_eq!(
            parse_words(&["--", "grep", "-v", "x"]),
            Ok(Mode::Init(InitOptions {
                group: false,
                verbose: false,
                command: 1
            }))
        );
    }

    #[test]
    fn sandbox_mode_ignores_stray_words_as_pause_c_does() {
        assert_eq!(parse_words(&[]), Ok(Mode::Sandbox));
        assert_eq!(parse_words(&["whatever"]), Ok(Mode::Sandbox));
    }

    #[test]
    fn init_mode_flags() {
        assert_eq!(
            parse_words(&["-g", "--verbose", "--", "sleep", "1"]),
            Ok(Mode::Init(InitOptions {
                group: true,
                verbose: true,
                command: 3
            }))
        );
        assert_eq!(
            parse_words(&["--bogus", "--", "sh"]),
            Err(UsageError::UnknownFlag)
        );
        assert_eq!(parse_words(&["--"]), Err(UsageError::MissingCommand));
        assert_eq!(parse_words(&["-g"]), Err(UsageError::GroupWithoutCommand));
        assert_eq!(parse_words(&["-h"]), Ok(Mode::Help));
    }
}
