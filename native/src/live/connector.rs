//! The kernel's proc connector (`CONFIG_PROC_EVENTS`, netlink's `NETLINK_CONNECTOR`): a
//! message for every fork, exec, rename (`prctl(PR_SET_NAME)`) and exit on the node, as it
//! happens. It wakes the watcher only
//! when something changed (an idle node costs nothing), and it reports each exit's status,
//! which /proc no longer shows once the process is reaped. It needs CAP_NET_ADMIN in the
//! initial network namespace; without it the watcher polls /proc instead.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::Duration;

use pauselab_core::{ExitStatus, Pid, Signal};

const NETLINK_CONNECTOR: libc::c_int = 11;
const CN_IDX_PROC: u32 = 1;
const CN_VAL_PROC: u32 = 1;
const PROC_CN_MCAST_LISTEN: u32 = 1;
const PROC_EVENT_FORK: u32 = 1;
const PROC_EVENT_EXEC: u32 = 2;
const PROC_EVENT_COMM: u32 = 0x200;
const PROC_EVENT_EXIT: u32 = 0x8000_0000;
/// nlmsghdr (16 bytes), then cn_msg (20), then proc_event: what, cpu, timestamp (16), data.
const EVENT_AT: usize = 36;
const DATA_AT: usize = EVENT_AT + 16;

/// What the connector reports of a process (threads are left out: the model has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProcEvent {
    /// A new process, by host pid.
    Fork(Pid),
    /// A new program.
    Exec(Pid),
    /// A new name only (`prctl(PR_SET_NAME)`, or a write to /proc/PID/comm).
    Comm(Pid),
    /// A process ended, with the status its parent will collect.
    Exit(Pid, ExitStatus),
}

/// A subscription to the proc connector.
#[derive(Debug)]
pub struct Connector {
    socket: OwnedFd,
}

/// The wait status's two forms (as `waitpid` encodes them).
fn status(code: u32) -> ExitStatus {
    match Signal::new((code & 0x7f) as u8) {
        Some(signal) if code & 0x7f != 0 => ExitStatus::Signaled(signal),
        _ => ExitStatus::Exited((code >> 8) as u8),
    }
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The process event in one netlink message, if it is one about a whole process.
pub fn parse(message: &[u8]) -> Option<ProcEvent> {
    let what = u32_at(message, EVENT_AT)?;
    let field = |n: usize| u32_at(message, DATA_AT + 4 * n);
    match what {
        // parent pid, parent tgid, child pid, child tgid: a thread shares its tgid.
        PROC_EVENT_FORK => {
            let (child, tgid) = (field(2)?, field(3)?);
            (child == tgid).then_some(ProcEvent::Fork(Pid(child)))
        }
        PROC_EVENT_EXEC => Some(ProcEvent::Exec(Pid(field(1)?))),
        // pid, tgid, the name: a thread's own name is not the process's (/proc shows the
        // leader's).
        PROC_EVENT_COMM => {
            let (pid, tgid) = (field(0)?, field(1)?);
            (pid == tgid).then_some(ProcEvent::Comm(Pid(pid)))
        }
        // pid, tgid, exit code, exit signal: the leader's end is the process's.
        PROC_EVENT_EXIT => {
            let (pid, tgid) = (field(0)?, field(1)?);
            (pid == tgid).then(|| ProcEvent::Exit(Pid(pid), status(field(2).unwrap_or(0))))
        }
        _ => None,
    }
}

fn check(result: libc::c_int) -> io::Result<libc::c_int> {
    if result < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(result)
    }
}

impl Connector {
    /// Subscribes; fails without the privilege, or on a kernel without the connector.
    pub fn open() -> io::Result<Connector> {
        // SAFETY: socket() takes no pointers; a descriptor it returns is ours alone.
        let fd = check(unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
                NETLINK_CONNECTOR,
            )
        })?;
        // SAFETY: fd was just created and nothing else owns it.
        let socket = unsafe { OwnedFd::from_raw_fd(fd) };
        // A storm of forks must not overflow it between two reads: 4 MB, past rmem_max as root.
        let size: libc::c_int = 4 << 20;
        // SAFETY: the option's value is a c_int that lives through the call; failure is harmless.
        unsafe {
            libc::setsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_RCVBUFFORCE,
                (&size as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            );
        }
        // SAFETY: sockaddr_nl is plain data; zeroed is a valid value of it.
        let mut address: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
        address.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        address.nl_groups = CN_IDX_PROC;
        // SAFETY: address is a sockaddr_nl of the length given, alive through the call.
        check(unsafe {
            libc::bind(
                fd,
                (&address as *const libc::sockaddr_nl).cast(),
                std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        })?;
        let mut listen = Vec::with_capacity(40);
        listen.extend_from_slice(&40u32.to_ne_bytes()); // nlmsg_len
        listen.extend_from_slice(&(libc::NLMSG_DONE as u16).to_ne_bytes());
        listen.extend_from_slice(&0u16.to_ne_bytes()); // flags
        listen.extend_from_slice(&0u32.to_ne_bytes()); // seq
        listen.extend_from_slice(&std::process::id().to_ne_bytes());
        listen.extend_from_slice(&CN_IDX_PROC.to_ne_bytes());
        listen.extend_from_slice(&CN_VAL_PROC.to_ne_bytes());
        listen.extend_from_slice(&0u32.to_ne_bytes()); // seq
        listen.extend_from_slice(&0u32.to_ne_bytes()); // ack
        listen.extend_from_slice(&4u16.to_ne_bytes()); // len
        listen.extend_from_slice(&0u16.to_ne_bytes()); // flags
        listen.extend_from_slice(&PROC_CN_MCAST_LISTEN.to_ne_bytes());
        // SAFETY: the buffer is alive and of the length given.
        check(unsafe { libc::send(fd, listen.as_ptr().cast(), listen.len(), 0) } as libc::c_int)?;
        Ok(Connector { socket })
    }

    /// Waits up to `timeout` for messages, then takes every one that is queued. `Err` when
    /// messages were lost (the queue overflowed): what happened since is then not all known.
    pub fn wait(&self, timeout: Duration, into: &mut Vec<ProcEvent>) -> io::Result<()> {
        let fd = self.socket.as_raw_fd();
        let mut poll = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // Rounded up: a wait cut to whole milliseconds would end early and spin.
        let millis = timeout.as_micros().div_ceil(1000);
        let millis = libc::c_int::try_from(millis).unwrap_or(libc::c_int::MAX);
        // SAFETY: one pollfd, alive through the call.
        let ready = unsafe { libc::poll(&mut poll, 1, millis) };
        if ready <= 0 {
            return Ok(());
        }
        let mut buffer = [0u8; 4096];
        loop {
            // SAFETY: the buffer is alive and of the length given; MSG_DONTWAIT never blocks.
            let read = unsafe {
                libc::recv(
                    fd,
                    buffer.as_mut_ptr().cast(),
                    buffer.len(),
                    libc::MSG_DONTWAIT,
                )
            };
            if read < 0 {
                let error = io::Error::last_os_error();
                return match error.kind() {
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Ok(()),
                    _ => Err(error),
                };
            }
            let message = &buffer[..read as usize];
            into.extend(parse(message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(what: u32, data: &[u32]) -> Vec<u8> {
        let mut bytes = vec![0u8; EVENT_AT];
        bytes.extend_from_slice(&what.to_ne_bytes());
        bytes.extend_from_slice(&[0u8; 12]);
        for field in data {
            bytes.extend_from_slice(&field.to_ne_bytes());
        }
        bytes
    }

    #[test]
    fn threads_are_left_out_and_statuses_read_as_waitpid_does() {
        assert_eq!(
            parse(&message(PROC_EVENT_FORK, &[1, 1, 42, 42])),
            Some(ProcEvent::Fork(Pid(42)))
        );
        assert_eq!(parse(&message(PROC_EVENT_FORK, &[1, 1, 43, 42])), None);
        assert_eq!(
            parse(&message(PROC_EVENT_EXIT, &[42, 42, 3 << 8, 17])),
            Some(ProcEvent::Exit(Pid(42), ExitStatus::Exited(3)))
        );
        assert_eq!(
            parse(&message(PROC_EVENT_EXIT, &[42, 42, 9, 17])),
            Some(ProcEvent::Exit(
                Pid(42),
                ExitStatus::Signaled(Signal::SIGKILL)
            ))
        );
        assert_eq!(parse(&message(PROC_EVENT_EXIT, &[43, 42, 0, 17])), None);
        assert_eq!(
            parse(&message(PROC_EVENT_EXEC, &[42, 42])),
            Some(ProcEvent::Exec(Pid(42)))
        );
        assert_eq!(
            parse(&message(PROC_EVENT_COMM, &[42, 42, 0x636e_7572])),
            Some(ProcEvent::Comm(Pid(42)))
        );
        assert_eq!(parse(&message(PROC_EVENT_COMM, &[43, 42, 0])), None);
        // Short, unknown and acknowledgement messages are nothing.
        assert_eq!(parse(&[0u8; 10]), None);
        assert_eq!(parse(&message(0, &[0, 0])), None);
    }
}
