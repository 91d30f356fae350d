//! Where things go in the tutorial's pictures, computed without a DOM so that it is tested on
//! the host: the bands of a pod picture (`bands`) and the rows, namespace boxes and arrows of a
//! process-tree picture (`tree`). The components only turn these into SVG.

pub mod bands;
pub mod tree;

use pauselab_core::Pid;

/// Pids to ask "is this one of them?", built once per render: a sorted vector, because each
/// B-tree set type cost the download kilobytes of code.
#[derive(Clone, Debug, Default)]
pub struct PidSet(Vec<Pid>);

impl PidSet {
    /// Whether `pid` is one of them.
    pub fn contains(&self, pid: &Pid) -> bool {
        self.0.binary_search(pid).is_ok()
    }
}

impl FromIterator<Pid> for PidSet {
    fn from_iter<I: IntoIterator<Item = Pid>>(pids: I) -> Self {
        let mut pids: Vec<Pid> = pids.into_iter().collect();
        pids.sort_unstable();
        pids.dedup();
        PidSet(pids)
    }
}
