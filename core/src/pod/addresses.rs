//! Pod IPs, as a CNI plugin hands them out: each new sandbox gets the next address of the node's
//! pod range, so a re-created sandbox has a new IP (K27).

use serde::{Deserialize, Serialize};

/// The node's pod address range: 10.244.0.0/24, from .2 up (.1 is the gateway).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Addresses {
    next: u32,
}

impl Default for Addresses {
    fn default() -> Self {
        Addresses { next: 2 }
    }
}

impl Addresses {
    /// The next unused address.
    pub(super) fn allocate(&mut self) -> String {
        let ip = format!("10.244.{}.{}", self.next / 256, self.next % 256);
        self.next += 1;
        ip
    }
}
