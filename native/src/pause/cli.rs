//! pause's command line: pause.c's, plus `-- CMD` for init mode. Arguments stay the C strings
//! the kernel passed, so the command is exec'd without copying them.

use std::ffi::CStr;

/// What to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Mode<'a> {
    /// `-v` anywhere (before `--`): print the version.
    Version,
    /// `-h` or `--help`.
    Help,
    /// No command: hold the namespaces.
    Sandbox,
    /// `-- CMD …`: run CMD as its init.
    Init(InitOptions<'a>),
}

/// Init mode's options.
#[derive(Debug, PartialEq, Eq)]
pub struct InitOptions<'a> {
    /// `-g`: forward signals to CMD's whole process group.
    pub group: bool,
    /// `--verbose`: say what it does on stderr.
    pub verbose: bool,
    /// CMD and its arguments.
    pub command: Vec<&'a CStr>,
}

/// A command line pause refuses (exit status 2). Messages avoid `{:?}`: Debug formatting would
/// pull Unicode escape tables into the static binary.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum UsageError {
    /// A flag it does not know, before `--`.
    #[error("unknown flag '{0}'")]
    UnknownFlag(String),
    /// `--` with nothing after it.
    #[error("-- must be followed by a command")]
    MissingCommand,
    /// An init-mode flag without `-- CMD`.
    #[error("{0} needs a command: pause {0} -- CMD [ARGS...]")]
    FlagWithoutCommand(&'static str),
}

/// Parses the arguments after the program name.
pub fn parse<'a>(args: &[&'a CStr]) -> Result<Mode<'a>, UsageError> {
    let (flags, command) = match args.iter().position(|arg| arg.to_bytes() == b"--") {
        Some(at) => (&args[..at], Some(&args[at + 1..])),
        None => (args, None),
    };
    // pause.c: any argument equal to -v, in any case, means the version.
    if flags
        .iter()
        .any(|arg| arg.to_bytes().eq_ignore_ascii_case(b"-v"))
    {
        return Ok(Mode::Version);
    }
    let (mut group, mut verbose) = (false, false);
    for arg in flags {
        match arg.to_bytes() {
            b"-h" | b"--help" => return Ok(Mode::Help),
            b"-g" => group = true,
            b"--verbose" => verbose = true,
            // pause.c ignores other words; a flag in init mode is a mistake worth reporting.
            flag if flag.starts_with(b"-") && command.is_some() => {
                return Err(UsageError::UnknownFlag(arg.to_string_lossy().into_owned()))
            }
            _ => {}
        }
    }
    match command {
        Some([]) => Err(UsageError::MissingCommand),
        Some(command) => Ok(Mode::Init(InitOptions {
            group,
            verbose,
            command: command.to_vec(),
        })),
        None if group => Err(UsageError::FlagWithoutCommand("-g")),
        None if verbose => Err(UsageError::FlagWithoutCommand("--verbose")),
        None => Ok(Mode::Sandbox),
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::CString;

    use super::*;

    fn parse_words(words: &[&str]) -> Result<Mode<'static>, UsageError> {
        let owned: Vec<&'static CStr> = words
            .iter()
            .map(|w| &*Box::leak(CString::new(*w).unwrap().into_boxed_c_str()))
            .collect();
        parse(&owned)
    }

    fn command(mode: Mode<'_>) -> Vec<String> {
        let Mode::Init(options) = mode else {
            panic!("init mode expected")
        };
        options
            .command
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn version_in_any_case_and_position_like_pause_c() {
        for words in [
            &["-v"][..],
            &["-V"],
            &["x", "-v"],
            &["-g", "-V", "--", "sh"],
        ] {
            assert_eq!(parse_words(words), Ok(Mode::Version), "{words:?}");
        }
    }

    #[test]
    fn a_v_after_the_double_dash_belongs_to_the_command() {
        assert_eq!(
            command(parse_words(&["--", "grep", "-v", "x"]).unwrap()),
            ["grep", "-v", "x"]
        );
    }

    #[test]
    fn sandbox_mode_ignores_stray_words_as_pause_c_does() {
        assert_eq!(parse_words(&[]), Ok(Mode::Sandbox));
        assert_eq!(parse_words(&["whatever"]), Ok(Mode::Sandbox));
    }

    #[test]
    fn init_mode_flags() {
        let Ok(Mode::Init(options)) = parse_words(&["-g", "--verbose", "--", "sleep", "1"]) else {
            panic!("init")
        };
        assert!(options.group && options.verbose);
        assert_eq!(
            parse_words(&["--bogus", "--", "sh"]),
            Err(UsageError::UnknownFlag("--bogus".into()))
        );
        assert_eq!(parse_words(&["--"]), Err(UsageError::MissingCommand));
        assert_eq!(
            parse_words(&["-g"]),
            Err(UsageError::FlagWithoutCommand("-g"))
        );
    }
}
