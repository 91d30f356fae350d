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

/// Values by pid, built once per render: a vector sorted by pid, for the same reason as
/// [`PidSet`]. The sort is stable, so one pid's values keep the order they came in.
#[derive(Clone, Debug)]
pub struct PidMap<V>(Vec<(Pid, V)>);

impl<V> PidMap<V> {
    /// Every value of `pid`, in the order they came.
    pub fn values(&self, pid: Pid) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        let start = self.0.partition_point(|(p, _)| *p < pid);
        let end = start + self.0[start..].partition_point(|(p, _)| *p == pid);
        self.0[start..end].iter().map(|(_, value)| value)
    }

    /// The last value of `pid` (what inserting them one by one into a map would keep).
    pub fn last(&self, pid: Pid) -> Option<&V> {
        self.values(pid).next_back()
    }
}

impl<V> FromIterator<(Pid, V)> for PidMap<V> {
    fn from_iter<I: IntoIterator<Item = (Pid, V)>>(pairs: I) -> Self {
        let mut pairs: Vec<(Pid, V)> = pairs.into_iter().collect();
        pairs.sort_by_key(|(pid, _)| *pid);
        PidMap(pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pid_map_keeps_each_pids_values_in_the_order_they_came() {
        let map: PidMap<char> = [(5, 'a'), (2, 'b'), (5, 'c'), (9, 'd'), (5, 'e'), (2, 'f')]
            .into_iter()
            .map(|(pid, value)| (Pid(pid), value))
            .collect();
        let values = |pid| map.values(Pid(pid)).copied().collect::<String>();
        assert_eq!(values(5), "ace");
        assert_eq!(values(2), "bf");
        assert_eq!(values(9), "d");
        assert_eq!(values(1), "");
        assert_eq!(values(7), "");
        assert_eq!(values(10), "");
        assert_eq!(map.values(Pid(5)).rev().copied().collect::<String>(), "eca");
        assert_eq!(map.last(Pid(5)), Some(&'e'));
        assert_eq!(map.last(Pid(9)), Some(&'d'));
        assert_eq!(map.last(Pid(3)), None);
    }

    #[test]
    fn a_pid_set_answers_for_its_pids_only() {
        let set: PidSet = [7, 3, 7, 1].into_iter().map(Pid).collect();
        assert!([1, 3, 7].iter().all(|&pid| set.contains(&Pid(pid))));
        assert!([0, 2, 4, 8].iter().all(|&pid| !set.contains(&Pid(pid))));
    }
}
