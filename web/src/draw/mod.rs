//! Where things go in the tutorial's pictures, computed without a DOM so that it is tested on
//! the host: the bands of a pod picture (`bands`) and the rows, namespace boxes and arrows of a
//! process-tree picture (`tree`). The components only turn these into SVG.

pub mod bands;
pub mod tree;
