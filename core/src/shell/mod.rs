//! The tutorial's terminal: a line typed at a shell on the node or in a container, run against
//! the model, printing what the real tools print. Pure, like the rest of the core: a line and
//! the node in, the text, the status and the line's effects out. The effects are scenario
//! [`Action`]s (one vocabulary with clicks and scenario steps), which the caller plays on its
//! node — a player, a lesson or `pauselab demo --shell` — so the history and the links carry
//! them too.
//!
//! - `words`: splitting a line as sh does;
//! - `ps`: procps's `ps`;
//! - `procfs`: `/proc/PID/status`, the `ns` links, `lsns`;
//! - `builtins`: the shell's own commands (`kill`, `echo`, `exit`, `wait`, …) and its messages,
//!   as dash, bash or busybox sh word them.
//!
//! The tools are pauselab's toolbox, there in every container: a real nginx image has no `ps`
//! (`help` says so). The toolbox's programs are forked, run and reaped as the real ones are,
//! so the pids move on as on a node; `ps` and `lsns` list themselves.

#[cfg(feature = "shell")]
mod builtins;
#[cfg(feature = "shell")]
mod cmdline;
#[cfg(feature = "shell")]
mod columns;
#[cfg(feature = "shell")]
mod complete;
#[cfg(feature = "shell")]
mod docker;
#[cfg(feature = "shell")]
mod hint;
#[cfg(feature = "shell")]
mod images;
#[cfg(feature = "shell")]
mod kubectl;
#[cfg(feature = "shell")]
mod procfs;
#[cfg(feature = "shell")]
mod ps;
#[cfg(feature = "shell")]
mod seen;
mod words;

#[cfg(feature = "shell")]
pub use complete::{complete, Completion};
#[cfg(feature = "shell")]
pub use hint::{hints, Hint};
pub use words::{split, Words, WordsError, MAX_LINE};

#[cfg(feature = "shell")]
use crate::ns::NsKind;
use crate::pod::Node;
use crate::process::Disposition;
use crate::process::Pid;
use crate::scenario::{Action, Label};
use crate::signal::Signal;
use crate::text::Language;

/// Which shell reads the lines: its messages differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// dash, Debian's `sh` (and so the `sh` of most images): `sh: 2: foo: not found`.
    Dash,
    /// bash, the node's login shell: `bash: foo: command not found`.
    Bash,
    /// busybox's ash (alpine, busybox images): `sh: foo: not found`.
    Busybox,
}

impl Dialect {
    /// SigIgn and SigCgt (signals 1–31) of the interactive shell on a pty.
    pub(super) fn interactive_masks(self) -> (u32, u32) {
        match self {
            Dialect::Dash | Dialect::Busybox => (0x0028_4004, 0x0001_0002),
            Dialect::Bash => (0x0038_4004, 0x4b81_3efb),
        }
    }

    /// SigBlk of the interactive shell while it waits for the command that reads its status
    /// (measured as a line typed at its prompt): bash blocks SIGCHLD, dash and busybox nothing.
    #[cfg(feature = "shell")]
    fn waiting_mask(self) -> u32 {
        match self {
            Dialect::Bash => 0x0001_0000,
            Dialect::Dash | Dialect::Busybox => 0,
        }
    }

    /// The dialect of a shell program by its command name.
    pub fn of(comm: &str) -> Dialect {
        match comm {
            "bash" => Dialect::Bash,
            "ash" | "busybox" => Dialect::Busybox,
            _ => Dialect::Dash,
        }
    }
}

/// A shell the reader types into: a process of the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Terminal {
    /// The shell's host pid.
    shell: Pid,
    /// Its name, as its messages start (`sh`, `bash`).
    name: String,
    dialect: Dialect,
    /// Lines read so far: dash numbers its messages by line.
    lines: u32,
    /// `$?`.
    status: u8,
    /// Background jobs started, for their names.
    jobs: u32,
    /// The language of `help` (what the tools print stays English, as on a real node).
    language: Language,
}

/// The arguments of the processes typed lines started (a job, a pod's containers), by host
/// pid: what `ps -f` and lsns show for them in every terminal, on the node or in a container.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Started(crate::sorted_map::SortedMap<Pid, String>);

impl Started {
    /// What a line's processes were started with, once its actions have been played.
    pub fn record(&mut self, started: Vec<(Pid, String)>) {
        self.0.extend(started);
    }

    /// The arguments `pid` was started with, if a typed line started it.
    #[cfg(feature = "shell")]
    pub(crate) fn get(&self, pid: Pid) -> Option<&str> {
        self.0.get(&pid).map(String::as_str)
    }
}

/// What a line did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Typed {
    /// What the terminal shows: the command's output and its errors, in order.
    pub output: String,
    /// Its exit status, `$?` from now on.
    pub status: u8,
    /// What it does to the node, for the caller to play in order; a refused one means the line
    /// changed nothing (the caller shows the refusal).
    pub actions: Vec<Action>,
    /// The shell exits: the terminal is closed.
    pub exit: bool,
    /// The name of a shell the line started that the terminal types into from now on
    /// (`kubectl exec -it … -- sh`), until it ends.
    pub enters: Option<String>,
    /// The arguments of the processes its actions start, by the host pid each will get, for
    /// the caller to [`Started::record`] once they have been played.
    pub started: Vec<(Pid, String)>,
}

#[cfg(feature = "shell")]
impl Typed {
    /// What a command printed and its status, with no effect on the node.
    pub(crate) fn said(output: String, status: u8) -> Typed {
        Typed {
            output,
            status,
            actions: Vec::new(),
            exit: false,
            enters: None,
            started: Vec::new(),
        }
    }
}

/// A line the terminal does not run; nothing changes.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Refused {
    /// Not split into words (too long, an open quote, an operator the terminal does not run).
    Words(WordsError),
    /// The shell is gone (it exited, or was killed).
    NoShell,
    /// `wait` with a job still running: the real shell would wait until it ends, and the
    /// model's time does not pass by itself.
    WouldBlock,
    /// This build has no terminal commands (the page, built without the `shell` feature).
    NotInThisBuild,
    /// A real command, flag or field the model does not have.
    NotModelled(NotModelled),
}

/// What the terminal's tools do not model (docker's, kubectl's); the line changes nothing.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum NotModelled {
    /// A docker command the model does not have (`stop`, `exec`, `logs`…).
    Command(String),
    /// A `docker run` flag the model does not have (`--rm`, `--init`, `-v`…).
    Flag(String),
    /// `docker run` without `-d` attaches until the container ends: the model's time does not
    /// pass by itself.
    Attached,
    /// An image the model does not know, run without a command.
    Image(String),
    /// A Go template action other than a field path or `json` (`if`, `range`, `index`…).
    Template(String),
    /// A kubectl command the model does not have (`apply`, `logs`…).
    Kubectl(String),
    /// `kubectl exec` of a command other than a shell.
    Exec(String),
    /// A field docker has and the model does not (`.NetworkSettings.IPAddress`).
    Field(String),
    /// A flag's value the model does not take.
    Value {
        /// The flag.
        flag: String,
        /// The value given.
        value: String,
    },
    /// A template field that is an object: the model prints one only with `json`.
    Print(String),
    /// A field of `kubectl run --overrides` other than the pod's namespace toggles, or not a
    /// boolean.
    Override(String),
}

impl Terminal {
    /// A terminal on the shell with host pid `shell`, running `comm` (`sh`, `bash`), whose
    /// `help` is in `language`.
    pub fn new(shell: Pid, comm: &str, language: Language) -> Terminal {
        Terminal {
            shell,
            name: comm.to_owned(),
            dialect: Dialect::of(comm),
            lines: 0,
            status: 0,
            jobs: 0,
            language,
        }
    }

    /// What the shell does as it starts on a terminal, before the first prompt: an interactive
    /// shell with job control ignores and catches signals of its own (measured on Debian 12 in
    /// `/proc/PID/status` of `sh`, `bash --norc` and `busybox sh` on a pty: dash and busybox
    /// ignore QUIT, TERM, TSTP and TTOU and catch INT and CHLD; bash also ignores TTIN and
    /// catches most others). So `kill PID` of one's own shell (SIGTERM) does nothing.
    pub fn opening(&self) -> Vec<Action> {
        let (ignored, caught) = self.dialect.interactive_masks();
        let mut actions = Vec::new();
        for signal in Signal::all() {
            let bit = 1u32 << (signal.number() - 1);
            let action = if ignored & bit != 0 {
                Disposition::Ignore
            } else if caught & bit != 0 {
                Disposition::Handler
            } else {
                continue;
            };
            actions.push(Action::Sigaction {
                process: self.label(),
                signal,
                action,
            });
        }
        actions
    }

    /// Says `help` in `language` from now on.
    pub fn set_language(&mut self, language: Language) {
        self.language = language;
    }

    /// The shell's host pid.
    pub fn shell(&self) -> Pid {
        self.shell
    }

    /// `$?`.
    pub fn status(&self) -> u8 {
        self.status
    }

    /// The prompt: root's, as each shell shows it (`#`), with the host name on the node's
    /// bash as Debian's bashrc sets it.
    pub fn prompt(&self, node: &Node) -> String {
        match self.dialect {
            Dialect::Bash => {
                let host = node.hostname(self.shell).unwrap_or("localhost");
                format!("root@{host}:~# ")
            }
            Dialect::Dash | Dialect::Busybox => "# ".into(),
        }
    }

    /// Without the `shell` feature: every line is refused, and nothing changes.
    #[cfg(not(feature = "shell"))]
    pub fn run(&mut self, _node: &Node, _started: &Started, _line: &str) -> Result<Typed, Refused> {
        Err(Refused::NotInThisBuild)
    }

    /// Runs `line` on `node`, where typed lines `started` processes with their arguments. On
    /// success the terminal has read the line (`$?`, dash's line count); the caller plays
    /// [`Typed::actions`]. A refused line changes nothing.
    #[cfg(feature = "shell")]
    pub fn run(&mut self, node: &Node, started: &Started, line: &str) -> Result<Typed, Refused> {
        let world = node.world();
        let shell = world
            .process(self.shell)
            .filter(|p| p.state().is_alive())
            .ok_or(Refused::NoShell)?;
        let words = split(line, self.status).map_err(Refused::Words)?;
        let mut next = self.clone();
        next.lines += 1;
        let ns = shell.namespaces().get(NsKind::Pid);
        let typed = builtins::run(&mut next, node, started, ns, &words)?;
        next.status = typed.status;
        *self = next;
        Ok(typed)
    }

    /// How the shell itself is named in actions.
    fn label(&self) -> Label {
        Label::HostPid(self.shell)
    }
}

/// The words of `help`, in the reader's language.
#[cfg(feature = "shell")]
pub fn help(language: Language) -> &'static str {
    match language {
        Language::English => HELP_EN,
        Language::Korean => HELP_KO,
    }
}

#[cfg(feature = "shell")]
const HELP_EN: &str = "\
This terminal runs a shell of the model: on the node, or in a container (kubectl exec).
  docker run -d | create | start | ps | inspect [-f '{{...}}'] | stop | kill | rm | exec -it
                                           docker's CLI, on this node's containers
  kubectl get pods | run | exec -it POD -- sh | delete pod
                                           kubectl, on this node's pods
  ps -ef | ps -e -o pid,ppid,stat,comm     the processes this pid namespace sees
  kill [-SIGNAL | -s SIGNAL] PID...        send a signal (kill -9 1 inside: nothing happens, K17)
  cat /proc/PID/status | /proc/PID/comm    what the kernel shows of a process
  readlink /proc/PID/ns/KIND               a namespace's identity, e.g. net:[4026531840]
  ls -l /proc/PID/ns                       all of a process's namespaces
  lsns [-t KIND]                           the namespaces of the processes in view
  hostname                                 the uts namespace's name
  CMD &                                    start CMD in the background (sleep 1000 &)
  wait                                     reap the shell's exited children
  echo $?                                  the last command's status
  exit [N]                                 leave the shell
The tools are pauselab's toolbox, in every container: a real nginx image has no ps.
";

#[cfg(feature = "shell")]
const HELP_KO: &str = "\
이 터미널은 모델 속 셸을 실행합니다. 노드에서, 또는 컨테이너 안에서(kubectl exec) 실행됩니다.
  docker run -d | create | start | ps | inspect [-f '{{...}}'] | stop | kill | rm | exec -it
                                           이 노드의 컨테이너에 쓰는 docker CLI
  kubectl get pods | run | exec -it POD -- sh | delete pod
                                           이 노드의 파드에 쓰는 kubectl
  ps -ef | ps -e -o pid,ppid,stat,comm     이 pid 네임스페이스에서 보이는 프로세스
  kill [-시그널 | -s 시그널] PID...          시그널 보내기(안에서 kill -9 1 은 아무 일도 없습니다, K17)
  cat /proc/PID/status | /proc/PID/comm    커널이 보여 주는 프로세스 정보
  readlink /proc/PID/ns/종류               네임스페이스의 식별자(예: net:[4026531840])
  ls -l /proc/PID/ns                       프로세스의 모든 네임스페이스
  lsns [-t 종류]                           보이는 프로세스들의 네임스페이스
  hostname                                 uts 네임스페이스의 호스트 이름
  명령 &                                   명령을 백그라운드로 시작(sleep 1000 &)
  wait                                     셸의 끝난 자식 회수
  echo $?                                  마지막 명령의 종료 상태
  exit [N]                                 셸 나가기
도구들은 모든 컨테이너에 있는 pauselab의 도구 상자입니다. 실제 nginx 이미지에는 ps가 없습니다.
";

#[cfg(all(test, feature = "shell"))]
mod recorded;
#[cfg(all(test, feature = "shell"))]
mod tests;
#[cfg(all(test, feature = "shell"))]
mod typing;
