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

/// Init mode's options: pauselab's, and tini 0.19's (`-s`, `-p`, `-v`, `-w`, `-g`, `-e`, and
/// the environment's `TINI_KILL_PROCESS_GROUP` and `TINI_VERBOSITY`; `-s` and `TINI_SUBREAPER`
/// ask for what pause does anyway).
#[derive(Debug, PartialEq, Eq)]
pub struct InitOptions {
    /// `-g`: forward signals to CMD's whole process group.
    pub group: bool,
    /// `--verbose`: say what it does on stderr, in pause's words.
    pub verbose: bool,
    /// tini's verbosity (1 by default; each `-v` adds one): at 2, tini's INFO lines on stdout.
    pub verbosity: u32,
    /// `-w`: say each orphan it reaps, so it reaps them itself (tini's meaning).
    pub warn_reaped: bool,
    /// `-p SIGNAL`: the signal pause gets when its parent dies.
    pub parent_death: Option<i32>,
    /// `-e CODE`: exit codes of CMD that pause turns into 0, as a 256-bit set.
    pub remapped: [u64; 4],
    /// Where CMD is among the arguments.
    pub command: usize,
}

impl InitOptions {
    /// CMD's exit status as pause passes it on: 0 when `-e` named it.
    pub fn exit_status(&self, status: i32) -> i32 {
        let status = status.rem_euclid(256);
        let code = status as usize;
        if self.remapped[code / 64] & (1 << (code % 64)) != 0 {
            0
        } else {
            status
        }
    }
}

/// A command line pause refuses.
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
    /// `-e` with something other than 0–255 (tini's words).
    BadExitCode,
    /// `-p` with something other than a signal's name (tini's words).
    BadSignal,
}

impl UsageError {
    /// What pause prints.
    pub fn message(&self) -> &'static str {
        match self {
            UsageError::UnknownFlag => "pause: unknown flag before --",
            UsageError::MissingCommand => "pause: -- needs a command",
            UsageError::GroupWithoutCommand | UsageError::VerboseWithoutCommand => {
                "pause: -g and --verbose need a command: -- CMD [ARGS...]"
            }
            // tini's words.
            UsageError::BadExitCode => "pause: Not a valid option for -e",
            UsageError::BadSignal => "pause: Not a valid option for -p",
        }
    }

    /// Its exit status: tini's 1 for a bad `-e` or `-p` value, 2 (a usage error) otherwise.
    pub fn status(&self) -> i32 {
        match self {
            UsageError::BadExitCode | UsageError::BadSignal => 1,
            _ => 2,
        }
    }
}

/// `0`–`255` in decimal, as tini's `strtol` check takes it.
fn exit_code(text: &[u8]) -> Option<usize> {
    if text.is_empty() || text.len() > 3 || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = text
        .iter()
        .fold(0usize, |n, d| n * 10 + usize::from(d - b'0'));
    (value <= 255).then_some(value)
}

/// What the environment asks of init mode, as tini reads it: a set variable turns a flag on;
/// `TINI_VERBOSITY` is a number.
#[derive(Debug)]
pub struct Environment {
    /// `TINI_KILL_PROCESS_GROUP`.
    pub kill_process_group: bool,
    /// `TINI_VERBOSITY`.
    pub verbosity: Option<u32>,
}

impl Environment {
    /// None set.
    pub const NONE: Environment = Environment {
        kill_process_group: false,
        verbosity: None,
    };
}

/// Parses the arguments after the program name, with the environment's settings.
pub fn parse_with(args: &Args, environment: &Environment) -> Result<Mode, UsageError> {
    let dashes = args.iter().position(|arg| arg.to_bytes() == b"--");
    let flags = args.iter().take(dashes.unwrap_or(args.len()));
    // pause.c: any argument equal to -v, in any case, means the version; dockerd asks with
    // --version and waits for the answer, so that one must not hang either. With a command,
    // -v is tini's (more verbose) and -V or --version asks for the version.
    if flags.clone().any(|arg| {
        let arg = arg.to_bytes();
        arg == b"--version" || arg == b"-V" || (dashes.is_none() && arg == b"-v")
    }) {
        return Ok(Mode::Version);
    }
    let mut options = InitOptions {
        group: environment.kill_process_group,
        verbose: false,
        verbosity: 1,
        warn_reaped: false,
        parent_death: None,
        remapped: [0; 4],
        command: 0,
    };
    let mut words = flags;
    while let Some(arg) = words.next() {
        let arg = arg.to_bytes();
        match arg {
            b"-h" | b"--help" => return Ok(Mode::Help),
            b"--verbose" => options.verbose = true,
            // pause.c ignores other words; a flag in init mode is a mistake worth reporting.
            flag if flag.len() > 1 && flag[0] == b'-' && flag[1] != b'-' && dashes.is_some() => {
                // getopt's short flags, together (`-gv`), a value attached (`-e143`) or next.
                let mut letters = flag[1..].iter();
                while let Some(letter) = letters.next() {
                    match letter {
                        b'g' => options.group = true,
                        b'v' => options.verbosity += 1,
                        b'w' => options.warn_reaped = true,
                        // tini's -s (TINI_SUBREAPER): pause is a child subreaper whenever it is
                        // not pid 1, and pid 1 needs no such flag.
                        b's' => {}
                        b'e' | b'p' => {
                            let attached = letters.as_slice();
                            let value = if attached.is_empty() {
                                // None at the end: an empty value, refused as tini refuses one.
                                words.next().map(|w| w.to_bytes()).unwrap_or_default()
                            } else {
                                attached
                            };
                            if *letter == b'e' {
                                let code = exit_code(value).ok_or(UsageError::BadExitCode)?;
                                options.remapped[code / 64] |= 1 << (code % 64);
                            } else {
                                let signal = crate::sys::signal_by_name(value)
                                    .ok_or(UsageError::BadSignal)?;
                                options.parent_death = Some(signal);
                            }
                            break;
                        }
                        _ => return Err(UsageError::UnknownFlag),
                    }
                }
            }
            b"-g" => options.group = true,
            flag if flag.starts_with(b"-") && dashes.is_some() => {
                return Err(UsageError::UnknownFlag)
            }
            _ => {}
        }
    }
    // tini reads its environment after its flags: TINI_VERBOSITY replaces the -v count.
    if let Some(verbosity) = environment.verbosity {
        options.verbosity = verbosity;
    }
    match dashes {
        Some(at) if at + 1 >= args.len() => Err(UsageError::MissingCommand),
        Some(at) => Ok(Mode::Init(InitOptions {
            command: at + 1,
            ..options
        })),
        None if options.group => Err(UsageError::GroupWithoutCommand),
        None if options.verbose => Err(UsageError::VerboseWithoutCommand),
        None => Ok(Mode::Sandbox),
    }
}

/// Parses the arguments after the program name, the environment aside.
pub fn parse(args: &Args) -> Result<Mode, UsageError> {
    parse_with(args, &Environment::NONE)
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

    /// Init mode's options when no flag is given.
    fn options() -> InitOptions {
        InitOptions {
            group: false,
            verbose: false,
            verbosity: 1,
            warn_reaped: false,
            parent_death: None,
            remapped: [0; 4],
            command: 0,
        }
    }

    #[test]
    fn tinis_flags_together_apart_and_with_values() {
        let Ok(Mode::Init(parsed)) = parse_words(&[
            "-gvv",
            "-e",
            "143",
            "-e0",
            "-pSIGKILL",
            "-s",
            "-w",
            "--",
            "sh",
        ]) else {
            panic!("init mode")
        };
        assert!(parsed.group && parsed.warn_reaped);
        assert_eq!(parsed.verbosity, 3);
        assert_eq!(parsed.parent_death, Some(libc::SIGKILL));
        assert_eq!(
            (
                parsed.exit_status(143),
                parsed.exit_status(0),
                parsed.exit_status(1)
            ),
            (0, 0, 1)
        );
        assert_eq!(
            parse_words(&["-e", "256", "--", "sh"]),
            Err(UsageError::BadExitCode)
        );
        assert_eq!(
            parse_words(&["-e", "x", "--", "sh"]),
            Err(UsageError::BadExitCode)
        );
        assert_eq!(
            parse_words(&["-p", "KILL", "--", "sh"]),
            Err(UsageError::BadSignal)
        );
        assert_eq!(
            parse_words(&["-e"]),
            Ok(Mode::Sandbox),
            "no command: pause.c ignores words"
        );
        assert_eq!(
            parse_words(&["-p", "--", "sh"]),
            Err(UsageError::BadSignal),
            "no value"
        );
        // With a command, -v is tini's verbosity; -V and --version still ask for the version.
        assert!(matches!(
            parse_words(&["-v", "--", "sh"]),
            Ok(Mode::Init(_))
        ));
        assert_eq!(parse_words(&["-V", "--", "sh"]), Ok(Mode::Version));
    }

    #[test]
    fn tinis_environment_sets_the_same_options() {
        let owned: Vec<CString> = ["pause", "--", "sh"]
            .iter()
            .map(|w| CString::new(*w).unwrap())
            .collect();
        let mut argv: Vec<*const c_char> = owned.iter().map(|w| w.as_ptr()).collect();
        argv.push(std::ptr::null());
        // SAFETY: as in parse_words.
        let args = unsafe { Args::from_c(owned.len() as i32, argv.as_ptr()) };
        let environment = Environment {
            kill_process_group: true,
            verbosity: Some(0),
        };
        let Ok(Mode::Init(parsed)) = parse_with(&args, &environment) else {
            panic!("init mode")
        };
        assert!(parsed.group);
        assert_eq!(parsed.verbosity, 0);
    }

    #[test]
    fn k20_version_in_any_case_and_position_like_pause_c_and_long_for_dockerd() {
        for words in [
            &["-v"][..],
            &["-V"],
            &["--version"],
            &["x", "-v"],
            &["-g", "-V", "--", "sh"],
            &["-V"],
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
                command: 1,
                ..options()
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
                command: 3,
                ..options()
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
