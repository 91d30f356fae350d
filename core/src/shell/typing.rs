//! For the tests of the node's tools: a node with the reader's login shell, and a line typed
//! where its terminal types now, as the page and `pauselab demo --shell` type it.

use crate::scenario::{Action, Label, Player};
use crate::shell::Refused;
use crate::Pid;

/// A fresh node and the reader's login shell on it.
pub(crate) fn node() -> (Player, Pid) {
    let mut player = Player::new();
    let shell = player.login_shell().expect("a login shell");
    (player, shell)
}

/// Types `line` where the terminal on `shell` types now (a shell it entered, if any): what it
/// printed and its status, or why the terminal refused it.
pub(crate) fn type_line(
    player: &mut Player,
    shell: Pid,
    line: &str,
) -> Result<(String, u8), Refused> {
    let typed = Action::Type {
        process: Label::HostPid(player.typing_at(shell)),
        line: line.to_owned(),
        effects: None,
    };
    assert_eq!(
        player.perform_action(&typed).expect("labels"),
        None,
        "{line}"
    );
    player.last_typed().cloned().expect("the line is logged")
}

/// What `line` printed; it must not be refused.
pub(crate) fn said(player: &mut Player, shell: Pid, line: &str) -> String {
    type_line(player, shell, line).expect("not refused").0
}
