//! wait and waitpid (K15, K16).

use super::World;
use crate::error::ModelError;
use crate::ns::NsKind;
use crate::outcome::Outcome;
use crate::process::{Pid, ProcState, WaitTarget};

impl World {
    pub(super) fn wait(
        &mut self,
        pid: Pid,
        target: WaitTarget,
        nohang: bool,
        out: &mut Vec<Outcome>,
    ) -> Result<(), ModelError> {
        let waiter = self.actor(pid)?;
        if waiter.children.is_empty() {
            return Err(ModelError::NoChildren { pid });
        }
        // The target is named as the waiter sees it (K7); store it by host pid.
        let target = match target {
            WaitTarget::Any => WaitTarget::Any,
            WaitTarget::Pid(local) => {
                let host = self
                    .resolve(waiter.ns.get(NsKind::Pid), local)
                    .filter(|host| {
                        self.procs
                            .get(host)
                            .is_some_and(|child| child.parent == pid)
                    })
                    .ok_or(ModelError::NotAChild { pid, target: local })?;
                WaitTarget::Pid(host)
            }
        };
        let zombie = match target {
            WaitTarget::Any => self.proc_mut(pid).children.first_zombie(),
            WaitTarget::Pid(child) => {
                matches!(self.proc(child).state, ProcState::Zombie(_)).then_some(child)
            }
        };
        match zombie {
            Some(child) => self.reap(child, pid, out),
            None if nohang => out.push(Outcome::WaitNoZombie { pid }),
            None => {
                self.proc_mut(pid).waiting = Some(target);
                out.push(Outcome::WaitBlocked { pid });
            }
        }
        Ok(())
    }

    /// A process blocked in wait that was stopped re-checks its children when it continues.
    pub(super) fn retry_wait(&mut self, pid: Pid, out: &mut Vec<Outcome>) {
        let Some(target) = self.proc(pid).waiting else {
            return;
        };
        let zombie = match target {
            WaitTarget::Any => self.proc_mut(pid).children.first_zombie(),
            WaitTarget::Pid(child) => self
                .procs
                .get(&child)
                .is_some_and(|c| c.parent == pid && matches!(c.state, ProcState::Zombie(_)))
                .then_some(child),
        };
        let any_child = self.proc(pid).children().any(|child| target.matches(child));
        if let Some(child) = zombie {
            self.proc_mut(pid).waiting = None;
            self.reap(child, pid, out);
        } else if !any_child {
            self.proc_mut(pid).waiting = None;
            out.push(Outcome::WaitEchild { pid });
        }
    }
}
