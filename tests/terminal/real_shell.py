"""Types lines into a real interactive shell on a pseudo-terminal and prints what each printed.

    python3 tests/terminal/real_shell.py COMMAND... < lines.json

COMMAND runs the shell (e.g. unshare --pid --fork --mount-proc sh) with the pty as its
controlling terminal, echo off, so the text read between prompts is the command's own output.
Each line is typed after the prompt ("# ") comes back; every wait is bounded (10 s). Prints a
JSON list: the banner before the first prompt, then one entry per line.
"""

import ctypes
import json
import os
import select
import sys
import termios
import time

PROMPT = b"# "
WAIT = 10.0


def read_until_prompt(master: int) -> bytes:
    out = b""
    while not (out == PROMPT or out.endswith(b"\n" + PROMPT)):
        ready, _, _ = select.select([master], [], [], WAIT)
        if not ready:
            raise SystemExit(f"no prompt within {WAIT} s; read so far: {out!r}")
        try:
            chunk = os.read(master, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            raise SystemExit(f"the shell ended before its prompt; read so far: {out!r}")
        out += chunk
    return out[: -len(PROMPT)]


def default_signals() -> None:
    """Every signal back to its default action, as a container's first process gets them: this
    process inherits ignored ones (Python ignores SIGPIPE and SIGXFSZ, a test harness may ignore
    more), and exec keeps what is ignored. The raw rt_sigaction reaches the signals glibc
    reserves for itself (32, 33), which signal() refuses."""
    number = {"x86_64": 13, "aarch64": 134}[os.uname().machine]
    libc = ctypes.CDLL(None, use_errno=True)
    action = (ctypes.c_ulong * 4)(0, 0, 0, 0)  # handler SIG_DFL, flags, restorer, mask
    for signal in range(1, 65):
        if signal in (9, 19):
            continue
        libc.syscall(number, signal, ctypes.byref(action), None, 8)


def descendants(root: int) -> list:
    """The processes below `root`, from the host's /proc."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                parents[int(entry)] = (int(fields[1]), fields[0])
            except (OSError, IndexError, ValueError):
                pass
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        for child, (parent, _) in parents.items():
            if parent == pid:
                found.append((child, parents[child][1]))
                frontier.append(child)
    return found


def settle(root: int) -> None:
    """Waits (bounded) until no process the shell started is still running on a CPU: a job
    just forked runs until it goes to sleep, which the model's jobs do at once."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        # The shell itself (the unshare's child) may be running: it just printed the prompt.
        states = [state for pid, state in descendants(root)[1:] if state == "R"]
        if not states:
            return
        time.sleep(0.005)
    raise SystemExit(f"the shell's jobs were still running after {WAIT} s")


def main() -> None:
    lines = json.load(sys.stdin)
    master, slave = os.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.login_tty(slave)
        default_signals()
        os.environ["PS1"] = "# "
        os.environ["TERM"] = "dumb"
        os.execvp(sys.argv[1], sys.argv[1:])
    os.close(slave)
    outputs = [read_until_prompt(master)]
    for line in lines:
        settle(pid)
        os.write(master, line.encode() + b"\n")
        outputs.append(read_until_prompt(master))
    os.write(master, b"exit\n")
    _, status = os.waitpid(pid, 0)
    print(json.dumps([o.decode(errors="replace").replace("\r\n", "\n") for o in outputs]))


main()
