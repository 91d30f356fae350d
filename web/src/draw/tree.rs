//! The process tree as a picture: one row per process in tree order (as `ps` run in the chosen
//! pid namespace sees them), a box around each nested pid namespace's rows, what the last step
//! changed (born, exited, reaped — reaped ones kept as ghosts for that step), and an arrow for
//! each orphan handed to a new parent (K12, K13). Big subtrees where nothing happened are
//! folded so that a world of thousands of processes stays a picture.

use pauselab_core::{NsId, Outcome, Pid, ProcState, World};

use super::{PidMap, PidSet};

/// A subtree with more processes than this, where nothing happened, is folded; a process
/// with more children than this shows the ones where something happened and the first
/// [`KEEP_SIBLINGS`] others, and folds the rest into one row.
pub const FOLD_OVER: usize = 24;
/// Quiet children shown before the rest are folded.
pub const KEEP_SIBLINGS: usize = 3;

/// What a row shows a process as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    /// Running or sleeping.
    Alive,
    /// Stopped by a signal.
    Stopped,
    /// A dying init waiting for its namespace to empty (K19).
    Exiting,
    /// Exited, not yet waited for (K11).
    Zombie,
    /// Reaped in the last step: gone, drawn once more so the reader sees it go.
    Reaped,
}

/// One row of the picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The process (host pid).
    pub host: Pid,
    /// Its pid as seen from the chosen namespace.
    pub pid: u32,
    /// Its pids from the chosen namespace down (NSpid).
    pub nspid: Vec<u32>,
    /// Its command name.
    pub comm: String,
    /// Depth in the tree.
    pub depth: usize,
    /// How it looks.
    pub look: Look,
    /// Born in the last step.
    pub born: bool,
    /// Its own pid namespace.
    pub pid_ns: NsId,
    /// How far below the chosen namespace that is (0: the chosen one).
    pub level: usize,
    /// Its parent's row, if drawn.
    pub parent_row: Option<usize>,
    /// Processes folded into this row: its descendants, or for a [`Row::more`] row the
    /// siblings it stands for and theirs.
    pub folded: usize,
    /// Zombies among the folded ones.
    pub folded_zombies: usize,
    /// Not a process: "N more" siblings of the row above.
    pub more: bool,
}

/// A box around consecutive rows in a pid namespace (or below it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsBox {
    /// The namespace.
    pub ns: NsId,
    /// Its level below the chosen namespace (1 or more).
    pub level: usize,
    /// First row.
    pub first: usize,
    /// Last row.
    pub last: usize,
}

/// An orphan handed to a new parent in the last step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrow {
    /// The orphan.
    pub child: Pid,
    /// The row of the parent that exited.
    pub from: usize,
    /// The orphan's row, under its new parent.
    pub to: usize,
    /// Whether a subreaper took it (K13), not the namespace's init.
    pub to_subreaper: bool,
}

/// The whole picture.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Picture {
    /// Rows, top to bottom.
    pub rows: Vec<Row>,
    /// Namespace boxes, outer ones first.
    pub boxes: Vec<NsBox>,
    /// Orphans' moves.
    pub arrows: Vec<Arrow>,
}

/// A process to place: from the world now, or a ghost from the world before the step.
struct Item {
    host: Pid,
    parent: Pid,
    pid: u32,
    nspid: Vec<u32>,
    comm: String,
    look: Look,
    pid_ns: NsId,
}

fn look(state: ProcState) -> Look {
    match state {
        ProcState::Running => Look::Alive,
        ProcState::Stopped => Look::Stopped,
        ProcState::Exiting(_) => Look::Exiting,
        ProcState::Zombie(_) => Look::Zombie,
    }
}

fn items(world: &World, view: NsId, look_as: Option<Look>) -> Vec<Item> {
    world
        .ps(view)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|row| {
            let process = world.process(row.host_pid)?;
            Some(Item {
                host: row.host_pid,
                parent: process.parent(),
                pid: row.pid.0,
                nspid: row.nspid,
                comm: row.comm,
                look: look_as.unwrap_or_else(|| look(row.state)),
                pid_ns: process.namespaces().get(pauselab_core::NsKind::Pid),
            })
        })
        .collect()
}

/// How many levels `ns` is below `view` (none if it is not below it).
fn level_below(world: &World, ns: NsId, view: NsId) -> Option<usize> {
    let mut current = ns;
    for level in 0..=pauselab_core::MAX_NS_LEVEL as usize + 1 {
        if current == view {
            return Some(level);
        }
        current = world.ns_parent(current)?;
    }
    None
}

/// The chain from `view` (exclusive) down to `ns` (inclusive), outermost first.
fn chain(world: &World, ns: NsId, view: NsId) -> Vec<NsId> {
    let mut out = Vec::new();
    let mut current = ns;
    for _ in 0..=pauselab_core::MAX_NS_LEVEL as usize + 1 {
        if current == view {
            out.reverse();
            return out;
        }
        out.push(current);
        match world.ns_parent(current) {
            Some(parent) => current = parent,
            None => break,
        }
    }
    Vec::new()
}

/// The picture of `world` from pid namespace `view`. `before` is the world one step earlier,
/// when the reader just stepped forward: what it had and `world` has not was reaped in the
/// step. `outcomes` are the step's. `keep` is always drawn unfolded (the selected process).
pub fn picture(
    world: &World,
    view: NsId,
    before: Option<&World>,
    outcomes: &[Outcome],
    keep: Option<Pid>,
) -> Picture {
    let mut all = items(world, view, None);
    let present: PidSet = all.iter().map(|i| i.host).collect();
    if let Some(before) = before {
        for ghost in items(before, view, Some(Look::Reaped)) {
            if !present.contains(&ghost.host) {
                all.push(ghost);
            }
        }
    }
    let born: PidSet = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Forked { child, .. } => Some(*child),
            _ => None,
        })
        .collect();
    // What the step touched stays unfolded.
    let mut lit: Vec<Pid> = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Forked { child, .. } => lit.push(*child),
            Outcome::Exited { pid, .. }
            | Outcome::BecameZombie { pid, .. }
            | Outcome::Reaped { pid, .. }
            | Outcome::AutoReaped { pid, .. } => lit.push(*pid),
            Outcome::Reparented {
                child, from, to, ..
            } => {
                lit.extend([*child, *from, *to]);
            }
            _ => {}
        }
    }
    lit.extend(keep);
    lit.extend(
        all.iter()
            .filter(|i| matches!(i.look, Look::Zombie | Look::Reaped | Look::Exiting))
            .map(|i| i.host),
    );
    let lit: PidSet = lit.into_iter().collect();

    let hosts: PidSet = all.iter().map(|i| i.host).collect();
    let has_parent = |index: usize| {
        let item = &all[index];
        item.parent != item.host && hosts.contains(&item.parent)
    };
    // Taken in pid order, so that each one's children and the roots come out sorted by pid.
    let mut by_pid: Vec<usize> = (0..all.len()).collect();
    by_pid.sort_by_key(|&i| all[i].host);
    let children: PidMap<usize> = by_pid
        .iter()
        .filter(|&&i| has_parent(i))
        .map(|&i| (all[i].parent, i))
        .collect();
    let roots: Vec<usize> = by_pid.into_iter().filter(|&i| !has_parent(i)).collect();

    // Subtree sizes, zombies and whether anything in them was touched, bottom-up.
    let mut order: Vec<usize> = Vec::with_capacity(all.len());
    let mut stack: Vec<usize> = roots.iter().rev().copied().collect();
    while let Some(index) = stack.pop() {
        order.push(index);
        stack.extend(children.values(all[index].host).rev());
    }
    let mut size = vec![1usize; all.len()];
    let mut zombies: Vec<usize> = all
        .iter()
        .map(|i| usize::from(i.look == Look::Zombie))
        .collect();
    let mut hot = vec![false; all.len()];
    for &index in order.iter().rev() {
        hot[index] |= lit.contains(&all[index].host);
        for &kid in children.values(all[index].host) {
            size[index] += size[kid];
            zombies[index] += zombies[kid];
            hot[index] |= hot[kid];
        }
    }

    let mut picture = Picture::default();
    let mut rows_of: Vec<(Pid, usize)> = Vec::with_capacity(all.len());
    // (item or a "more" row's hidden items, depth, parent row)
    enum Next {
        Item(usize),
        More(Vec<usize>),
    }
    let mut stack: Vec<(Next, usize, Option<usize>)> = roots
        .iter()
        .rev()
        .map(|&i| (Next::Item(i), 0, None))
        .collect();
    while let Some((next, depth, parent_row)) = stack.pop() {
        let row = picture.rows.len();
        let index = match next {
            Next::More(hidden) => {
                let first = &all[hidden[0]];
                picture.rows.push(Row {
                    host: Pid(0),
                    pid: 0,
                    nspid: Vec::new(),
                    comm: String::new(),
                    depth,
                    look: Look::Alive,
                    born: false,
                    pid_ns: first.pid_ns,
                    level: level_below(world, first.pid_ns, view).unwrap_or(0),
                    parent_row,
                    folded: hidden.iter().map(|&i| size[i]).sum(),
                    folded_zombies: hidden.iter().map(|&i| zombies[i]).sum(),
                    more: true,
                });
                continue;
            }
            Next::Item(index) => index,
        };
        let item = &all[index];
        let fold = !hot[index] && size[index] > FOLD_OVER;
        rows_of.push((item.host, row));
        picture.rows.push(Row {
            host: item.host,
            pid: item.pid,
            nspid: item.nspid.clone(),
            comm: item.comm.clone(),
            depth,
            look: item.look,
            born: born.contains(&item.host),
            pid_ns: item.pid_ns,
            level: level_below(world, item.pid_ns, view)
                .or_else(|| before.and_then(|b| level_below(b, item.pid_ns, view)))
                .unwrap_or(0),
            parent_row,
            folded: if fold { size[index] - 1 } else { 0 },
            folded_zombies: if fold {
                zombies[index] - usize::from(item.look == Look::Zombie)
            } else {
                0
            },
            more: false,
        });
        if fold {
            continue;
        }
        let kids = children.values(item.host);
        let mut shown: Vec<Next> = Vec::new();
        if kids.len() > FOLD_OVER {
            let mut quiet_shown = 0;
            let mut hidden = Vec::new();
            for &kid in kids {
                if hot[kid] || quiet_shown < KEEP_SIBLINGS {
                    quiet_shown += usize::from(!hot[kid]);
                    shown.push(Next::Item(kid));
                } else {
                    hidden.push(kid);
                }
            }
            if !hidden.is_empty() {
                shown.push(Next::More(hidden));
            }
        } else {
            shown.extend(kids.map(|&kid| Next::Item(kid)));
        }
        stack.extend(shown.into_iter().rev().map(|n| (n, depth + 1, Some(row))));
    }

    // Boxes: for each namespace below the view, each run of consecutive rows in it or below.
    let chains: Vec<Vec<NsId>> = picture
        .rows
        .iter()
        .map(|row| {
            let found = chain(world, row.pid_ns, view);
            if found.is_empty() {
                before
                    .map(|b| chain(b, row.pid_ns, view))
                    .unwrap_or_default()
            } else {
                found
            }
        })
        .collect();
    let mut open: Vec<NsBox> = Vec::new();
    for (row, chain) in chains.iter().enumerate() {
        // Close the boxes this row is not in, innermost first.
        while let Some(top) = open.last() {
            if chain.get(top.level - 1) == Some(&top.ns) {
                break;
            }
            let mut done = open.pop().unwrap_or_else(|| unreachable!("just seen"));
            done.last = row - 1;
            picture.boxes.push(done);
        }
        for (depth, &ns) in chain.iter().enumerate().skip(open.len()) {
            open.push(NsBox {
                ns,
                level: depth + 1,
                first: row,
                last: row,
            });
        }
    }
    let end = picture.rows.len().saturating_sub(1);
    while let Some(mut done) = open.pop() {
        done.last = end;
        picture.boxes.push(done);
    }
    picture.boxes.sort_by_key(|b| (b.level, b.first));

    let row_of: PidMap<usize> = rows_of.into_iter().collect();
    for outcome in outcomes {
        if let Outcome::Reparented {
            child,
            from,
            to_subreaper,
            ..
        } = outcome
        {
            if let (Some(&from), Some(&to)) = (row_of.last(*from), row_of.last(*child)) {
                picture.arrows.push(Arrow {
                    child: *child,
                    from,
                    to,
                    to_subreaper: *to_subreaper,
                });
            }
        }
    }
    picture
}

#[cfg(test)]
mod tests {
    use pauselab_core::{Event, NsKind, NsKinds};

    use super::*;

    fn fork(world: &mut World, pid: u32, new: &[NsKind]) -> (Pid, Vec<Outcome>) {
        let outcomes = world
            .apply(Event::Fork {
                pid: Pid(pid),
                new: NsKinds::of(new),
            })
            .unwrap();
        let child = outcomes
            .iter()
            .find_map(|o| match o {
                Outcome::Forked { child, .. } => Some(*child),
                _ => None,
            })
            .unwrap();
        (child, outcomes)
    }

    #[test]
    fn k12_an_orphan_gets_an_arrow_and_a_reaped_zombie_a_ghost() {
        let mut world = World::new();
        let (runtime, _) = fork(&mut world, 1, &[]);
        let (app, _) = fork(&mut world, runtime.0, &[NsKind::Pid]);
        let (worker, _) = fork(&mut world, app.0, &[]);
        let (job, born) = fork(&mut world, worker.0, &[]);
        let view = world.root_pid_ns();
        let drawn = picture(&world, view, None, &born, None);
        assert_eq!(drawn.rows.len(), 5);
        assert!(drawn.rows.iter().any(|r| r.host == job && r.born));
        // The container's pid namespace is one box around app, worker and job.
        assert_eq!(drawn.boxes.len(), 1);
        let boxed = &drawn.boxes[0];
        assert_eq!((boxed.level, boxed.last - boxed.first + 1), (1, 3));

        // The worker exits: the job is handed to the container's init (K12), the worker is a
        // zombie (K11).
        let before = world.clone();
        let exit = world
            .apply(Event::Exit {
                pid: worker,
                code: 0,
            })
            .unwrap();
        let drawn = picture(&world, view, Some(&before), &exit, None);
        let row = |pid: Pid| drawn.rows.iter().position(|r| r.host == pid).unwrap();
        assert_eq!(drawn.rows[row(worker)].look, Look::Zombie);
        assert_eq!(drawn.rows[row(job)].parent_row, Some(row(app)));
        assert_eq!(drawn.arrows.len(), 1);
        assert_eq!(
            (drawn.arrows[0].from, drawn.arrows[0].to),
            (row(worker), row(job))
        );
        assert!(!drawn.arrows[0].to_subreaper);

        // The app reaps the worker: gone from the world, still drawn once, as reaped.
        let before = world.clone();
        let wait = world
            .apply(Event::Wait {
                pid: app,
                target: pauselab_core::WaitTarget::Any,
                nohang: true,
            })
            .unwrap();
        let drawn = picture(&world, view, Some(&before), &wait, None);
        let ghost = drawn.rows.iter().find(|r| r.host == worker).unwrap();
        assert_eq!(ghost.look, Look::Reaped);
        // Without the world before, nothing is drawn for it.
        let plain = picture(&world, view, None, &wait, None);
        assert!(plain.rows.iter().all(|r| r.host != worker));
    }

    #[test]
    fn a_big_quiet_subtree_is_folded_but_what_the_step_touched_is_not() {
        let mut world = World::new();
        let (runtime, _) = fork(&mut world, 1, &[]);
        let (busy, _) = fork(&mut world, runtime.0, &[]);
        for _ in 0..300 {
            fork(&mut world, busy.0, &[]);
        }
        let (quiet, _) = fork(&mut world, runtime.0, &[]);
        for _ in 0..50 {
            fork(&mut world, quiet.0, &[]);
        }
        let (last, born) = fork(&mut world, busy.0, &[]);
        let drawn = picture(&world, world.root_pid_ns(), None, &born, None);
        assert!(drawn.rows.len() < 20, "{} rows", drawn.rows.len());
        let quiet_row = drawn.rows.iter().find(|r| r.host == quiet).unwrap();
        assert_eq!(quiet_row.folded, 50);
        assert!(drawn.rows.iter().any(|r| r.host == last && r.born));
        let more = drawn.rows.iter().find(|r| r.more).unwrap();
        assert_eq!(more.folded, 300 - KEEP_SIBLINGS);
        let total: usize = drawn
            .rows
            .iter()
            .map(|r| if r.more { r.folded } else { 1 + r.folded })
            .sum();
        assert_eq!(
            total,
            world.len(),
            "every process is drawn or counted in a fold"
        );
    }
}
