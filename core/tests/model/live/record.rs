//! A live node's record as a reader keeps it: the containers of processes born while it was
//! followed, and the node drawn anew when two looks cannot be followed, both kept in the
//! record itself, so that its trace shows them wherever it is opened.

use super::node;
use pauselab_core::format::{ContainerLabel, Engine};
use pauselab_core::live::{Between, Follower};
use pauselab_core::{
    wire, Document, Event, ModelError, Outcome, Pid, ProcState, Snapshot, Timeline, World,
};

fn label(pod: &str, container: &str) -> ContainerLabel {
    ContainerLabel {
        engine: Engine::Containerd,
        pod: pod.into(),
        container: container.into(),
        id: "0".repeat(64),
    }
}

/// The look with one more process, a child of `parent`, in `container`.
fn with_child(
    look: &Snapshot,
    parent: u32,
    pid: u32,
    comm: &str,
    container: Option<ContainerLabel>,
) -> Snapshot {
    let mut look = look.clone();
    let mut child = look
        .processes
        .iter()
        .find(|p| p.nspid[0] == parent)
        .unwrap()
        .clone();
    child.nspid = vec![pid];
    child.ppid = Pid(parent);
    child.comm = comm.into();
    child.container = container;
    look.processes.push(child);
    look
}

/// The timeline as a reader's export opens it elsewhere: JSON, then the page's bytes.
fn exported(timeline: &Timeline) -> Timeline {
    let json = Document::Trace(timeline.to_trace(Some("live".into()))).to_json();
    let opened = Timeline::open(&json).unwrap();
    Timeline::from_wire(&opened.to_wire()).unwrap()
}

/// A pod started while the node is followed: its processes' containers come with their births
/// into the record, the stream's bytes and the exported trace, and a process born to one of
/// them without a label of its own is in its parent's.
#[test]
fn a_process_born_in_a_container_keeps_its_label_in_the_record_and_its_trace() {
    let start = node().to_snapshot();
    let mut follower = Follower::new(&start).unwrap();
    let sandbox = label("web", ContainerLabel::SANDBOX);
    let look = with_child(&start, 2, 4711, "pause", Some(sandbox.clone()));
    let change = follower.observe(&look, &Between::default()).unwrap();
    assert!(
        change.events.iter().any(|e| matches!(e,
            Event::ForkSeen { container: Some(c), .. } if **c == sandbox)),
        "{:?}",
        change.events
    );
    // Through the server's bytes, as the page gets it.
    let change = wire::decode_change(&wire::encode_change(&change)).unwrap();
    let mut timeline = Timeline::new(World::from_snapshot(&start).unwrap());
    assert!(!timeline.has_containers());
    timeline.extend(change);
    assert!(timeline.has_containers());
    // A child of pause the model makes itself (no label seen): in its parent's container.
    timeline.seek(usize::MAX);
    timeline
        .apply(Event::Fork {
            pid: Pid(4711),
            new: Default::default(),
        })
        .unwrap();
    let child = timeline.world().processes().last().unwrap().host_pid();
    for timeline in [timeline.clone(), exported(&timeline)] {
        let mut timeline = timeline;
        timeline.seek(usize::MAX);
        assert!(timeline.has_containers());
        assert_eq!(timeline.container_of(Pid(4711)), Some(&sandbox));
        assert_eq!(timeline.container_of(child), Some(&sandbox));
        assert_eq!(timeline.container_of(Pid(2)), None, "the node's own shell");
        timeline.seek(0);
        assert_eq!(timeline.container_of(Pid(4711)), None, "not born yet");
    }
}

/// Two looks that cannot be followed (here a pid reused between them: pid 2 is another
/// process, in a container) add a step that draws the node anew from the second: the record
/// goes on, the reader's place in it stays, the steps before are still there, and each
/// process has the container of its own time.
#[test]
fn a_look_that_cannot_be_followed_draws_the_node_anew_and_the_record_goes_on() {
    let start = node().to_snapshot();
    let mut follower = Follower::new(&start).unwrap();
    let mut timeline = Timeline::new(World::from_snapshot(&start).unwrap());
    let look = with_child(&start, 2, 40, "sleep", None);
    timeline.extend(follower.observe(&look, &Between::default()).unwrap());
    let before = timeline.len();
    assert!(before > 0);
    timeline.seek(1);
    // Pid 2 was reused: another process with another parent, in a container.
    let app = label("api", "app");
    let mut reused = start.clone();
    let shell = reused
        .processes
        .iter_mut()
        .find(|p| p.nspid[0] == 2)
        .unwrap();
    shell.comm = "app".into();
    shell.container = Some(app.clone());
    let reused = with_child(&reused, 1, 3, "containerd-shim", None);
    let shell = reused
        .processes
        .iter()
        .position(|p| p.nspid[0] == 2)
        .unwrap();
    let mut reused = reused;
    reused.processes[shell].ppid = Pid(3);
    assert!(follower.observe(&reused, &Between::default()).is_err());
    // What the page does with a new record of the same node: it goes on with it.
    let next = Timeline::open(&Document::Snapshot(reused.clone()).to_json()).unwrap();
    timeline.extend_with(&next);
    assert_eq!(timeline.len(), before + 1);
    assert_eq!(timeline.position(), 1, "the reader stays where they were");
    // A trace is exported from the record's newest step (the page's record always is there).
    let mut newest = timeline.clone();
    newest.seek(usize::MAX);
    for timeline in [timeline.clone(), exported(&newest)] {
        let mut timeline = timeline;
        timeline.seek(usize::MAX);
        let step = timeline.last_step().unwrap();
        assert_eq!(
            step.outcomes,
            [Outcome::LookedAnew {
                processes: reused.processes.len()
            }]
        );
        assert_eq!(timeline.world().process(Pid(2)).unwrap().parent(), Pid(3));
        assert_eq!(timeline.container_of(Pid(2)), Some(&app));
        assert!(timeline.world().process(Pid(40)).is_none());
        timeline.seek(before);
        assert_eq!(
            timeline.container_of(Pid(2)),
            None,
            "the shell, before its pid was reused"
        );
        assert_eq!(
            timeline.world().process(Pid(40)).map(|p| p.state()),
            Some(ProcState::Running)
        );
    }
    // The follower goes on from the new look.
    let mut follower = Follower::new(&reused).unwrap();
    let more = with_child(&reused, 2, 41, "worker", Some(app.clone()));
    timeline.extend(follower.observe(&more, &Between::default()).unwrap());
    timeline.seek(usize::MAX);
    assert_eq!(timeline.container_of(Pid(41)), Some(&app));
}

/// A look no kernel could be in is refused, and changes nothing.
#[test]
fn a_look_no_kernel_could_be_in_is_refused_and_changes_nothing() {
    let mut world = node();
    let before = world.to_snapshot();
    let mut look = before.clone();
    look.processes[1].ppid = Pid(999);
    let error = world
        .apply(Event::LookedAnew {
            look: Box::new(look),
        })
        .unwrap_err();
    assert_eq!(error, ModelError::LookNotPossible);
    assert_eq!(world.to_snapshot(), before);
}
