//! What a tracee stopped at a syscall is doing, read with `PTRACE_GET_SYSCALL_INFO` (Linux 5.3):
//! the kernel says whether it is the entry or the exit, and gives the number, the arguments and
//! the result the same way on every architecture.

use nix::unistd::Pid;

pub use nix::libc::{SYS_clone, SYS_kill, SYS_prctl, SYS_rt_sigaction, SYS_unshare, SYS_wait4};

/// `PTRACE_GET_SYSCALL_INFO` (linux/ptrace.h).
const PTRACE_GET_SYSCALL_INFO: nix::libc::c_uint = 0x420e;
const OP_ENTRY: u8 = 1;
const OP_EXIT: u8 = 2;

/// `struct ptrace_syscall_info` (linux/ptrace.h), with the union as its largest member.
#[repr(C)]
#[derive(Default)]
struct Info {
    op: u8,
    pad: [u8; 3],
    arch: u32,
    instruction_pointer: u64,
    stack_pointer: u64,
    /// entry: `nr`, `args[6]`; exit: `rval` (i64), `is_error` (u8); seccomp: `nr`, `args`,
    /// `ret_data`.
    data: [u64; 8],
}

/// A syscall stop.
#[derive(Clone, Copy, Debug)]
pub enum Stop {
    /// The tracee is about to make syscall `number` with these arguments.
    Entry {
        /// The syscall number.
        number: i64,
        /// Its first three arguments.
        args: [u64; 3],
    },
    /// The syscall returned this (negative: an errno).
    Exit {
        /// The result.
        result: i64,
    },
}

/// The syscall stop `pid` is in, if it is one.
pub fn read(pid: Pid) -> Option<Stop> {
    let mut info = Info::default();
    // SAFETY: the kernel writes at most `size_of::<Info>()` bytes into `info`, a live, properly
    // aligned `repr(C)` value of the layout linux/ptrace.h gives; `pid` is a tracee in a
    // syscall stop, as the caller was told by waitpid.
    let written = unsafe {
        nix::libc::ptrace(
            PTRACE_GET_SYSCALL_INFO as _,
            pid.as_raw(),
            std::mem::size_of::<Info>(),
            std::ptr::addr_of_mut!(info),
        )
    };
    if written <= 0 {
        return None;
    }
    match info.op {
        OP_ENTRY => Some(Stop::Entry {
            number: info.data[0] as i64,
            args: [info.data[1], info.data[2], info.data[3]],
        }),
        OP_EXIT => Some(Stop::Exit {
            result: info.data[0] as i64,
        }),
        _ => None,
    }
}
