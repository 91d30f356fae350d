//! A pod as a picture: the node, pause and each container are columns; each namespace kind is
//! a row, and each namespace in it is one band across the columns whose processes are in it
//! (K1). What `--net=container:pause --ipc=container:pause` did shows as one band from pause
//! to the app; hostNetwork as a band reaching the node.

use pauselab_core::{NsId, NsKind};

/// The kinds, in the order the picture draws them: the ones a pod shares first.
pub const KINDS: [NsKind; 8] = [
    NsKind::Net,
    NsKind::Ipc,
    NsKind::Uts,
    NsKind::Pid,
    NsKind::Mnt,
    NsKind::Cgroup,
    NsKind::User,
    NsKind::Time,
];

/// One namespace kind's row: the namespace of each column (node, pause, then the containers),
/// none where there is no living process to ask.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The kind.
    pub kind: NsKind,
    /// Per column.
    pub columns: Vec<Option<NsId>>,
}

/// One band: a namespace held by the consecutive columns `first..=last`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Band {
    /// The namespace.
    pub ns: NsId,
    /// Its first column.
    pub first: usize,
    /// Its last column.
    pub last: usize,
    /// Whether another, separate band of the row is the same namespace (columns in between
    /// are not in it): drawn with a link between the two.
    pub split: bool,
}

impl Band {
    /// How many columns it spans.
    pub fn span(&self) -> usize {
        self.last - self.first + 1
    }

    /// Whether the node's column is in it: a host namespace (hostNetwork, hostPID, …).
    pub fn is_node(&self) -> bool {
        self.first == 0
    }
}

/// The bands of a row: each run of consecutive columns with the same namespace.
pub fn bands(row: &Row) -> Vec<Band> {
    let mut out: Vec<Band> = Vec::new();
    for (column, ns) in row.columns.iter().enumerate() {
        let Some(ns) = *ns else { continue };
        match out.last_mut() {
            Some(band) if band.ns == ns && band.last + 1 == column => band.last = column,
            _ => out.push(Band {
                ns,
                first: column,
                last: column,
                split: false,
            }),
        }
    }
    let all = out.clone();
    for band in &mut out {
        band.split = all.iter().filter(|other| other.ns == band.ns).count() > 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ids: &[Option<u32>]) -> Row {
        Row {
            kind: NsKind::Net,
            columns: ids.iter().map(|id| id.map(NsId)).collect(),
        }
    }

    #[test]
    fn a_shared_namespace_is_one_band_across_its_holders() {
        // K1: node apart; pause, app and sidecar in one net namespace.
        let drawn = bands(&row(&[Some(1), Some(7), Some(7), Some(7)]));
        assert_eq!(drawn.len(), 2);
        assert_eq!((drawn[1].first, drawn[1].last, drawn[1].span()), (1, 3, 3));
        assert!(drawn[0].is_node() && !drawn[1].is_node());
    }

    #[test]
    fn host_network_reaches_the_node_and_own_namespaces_stand_alone() {
        let host = bands(&row(&[Some(1), Some(1), Some(1)]));
        assert_eq!(host.len(), 1);
        assert!(host[0].is_node() && host[0].span() == 3);
        // pid CONTAINER: each its own.
        let own = bands(&row(&[Some(1), Some(5), Some(6), Some(8)]));
        assert_eq!(own.len(), 4);
        assert!(own.iter().all(|b| b.span() == 1 && !b.split));
    }

    #[test]
    fn a_namespace_whose_holders_are_apart_is_marked_split_and_gaps_stay_gaps() {
        let drawn = bands(&row(&[Some(1), Some(5), Some(6), Some(5)]));
        assert_eq!(drawn.len(), 4);
        assert!(drawn[1].split && drawn[3].split && !drawn[2].split);
        // An exited container has no band.
        let gap = bands(&row(&[Some(1), Some(5), None, Some(5)]));
        assert_eq!(gap.iter().map(|b| b.first).collect::<Vec<_>>(), [0, 1, 3]);
        assert!(gap[1].split);
    }
}
