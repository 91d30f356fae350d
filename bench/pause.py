#!/usr/bin/env python3
"""pauselab's pause beside the real anchors, in one run, as pid 1 of fresh pid namespaces.

    python3 bench/pause.py [--runs 5] [--orphans 5000]

Measures each init (interleaved runs, medians): binary size, idle RSS and RssAnon, wakeups while
idle, the CPU time and wakeups an orphan storm costs it and the zombies left behind, and how long
SIGTERM takes to end it. Ratios are against pauselab's pause. Needs root; installs Debian's
catatonit, tini and dumb-init if missing. A benchmark, not a test: it asserts nothing.
"""
import argparse, os, shutil, signal, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The image's pause (pinned nightly, std rebuilt for size) and the stable build of the same code.
PAUSE = os.path.join(ROOT, "target/small/x86_64-unknown-linux-musl/pause/pause")
STABLE = os.path.join(ROOT, "target/x86_64-unknown-linux-musl/pause/pause")


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def setup():
    missing = [p for p, b in [("catatonit", "catatonit"), ("tini", "tini-static"), ("dumb-init", "dumb-init")]
               if not shutil.which(b)]
    if missing:
        sh("apt-get", "install", "-y", "-qq", *missing, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    sh("bash", "scripts/build-pause.sh", cwd=ROOT, stdout=subprocess.DEVNULL)
    sh("cargo", "build", "--quiet", "--locked", "-p", "pauselab-pause", "--profile", "pause",
       "--target", "x86_64-unknown-linux-musl", cwd=ROOT)


def inits():
    """(name, binary, argv): how each runs as a pod sandbox; the last three need a command."""
    sleep = shutil.which("sleep")
    return [
        ("pauselab pause", PAUSE, [PAUSE]),
        ("pauselab pause (stable build)", STABLE, [STABLE]),
        ("pauselab pause -- sleep", PAUSE, [PAUSE, "--", sleep, "infinity"]),
        ("catatonit -P", shutil.which("catatonit"), [shutil.which("catatonit"), "-P"]),
        ("tini-static", shutil.which("tini-static"), [shutil.which("tini-static"), "-s", "--", sleep, "infinity"]),
        ("dumb-init", shutil.which("dumb-init"), [shutil.which("dumb-init"), sleep, "infinity"]),
    ]


def status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def cpu_ns(pid):
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return f.read().split()
    except FileNotFoundError:
        return []


def start(argv):
    proc = subprocess.Popen(["unshare", "--pid", "--fork", "--mount-proc", "--", *argv],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    name = os.path.basename(argv[0])[:15]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for child in children(proc.pid):
            try:
                with open(f"/proc/{child}/comm") as f:
                    if f.read().strip() == name:
                        return proc, int(child)
            except FileNotFoundError:
                pass
        time.sleep(0.01)
    proc.kill()
    raise RuntimeError(f"{argv} did not start")


def inside(pid, script):
    return subprocess.run(["nsenter", "-t", str(pid), "-p", "-m", "--", "sh", "-c", script],
                          check=True, capture_output=True, text=True).stdout


def measure(argv, orphans):
    proc, pid = start(argv)
    try:
        time.sleep(0.5)
        rss, anon = status(pid, "VmRSS"), status(pid, "RssAnon")
        w0 = status(pid, "voluntary_ctxt_switches")
        time.sleep(2)
        idle_wakeups = status(pid, "voluntary_ctxt_switches") - w0
        base = set(children(pid))
        c0, w0 = cpu_ns(pid), status(pid, "voluntary_ctxt_switches")
        inside(pid, f"i=0; while [ $i -lt {orphans} ]; do (true &); i=$((i+1)); done")
        deadline = time.monotonic() + 20
        while set(children(pid)) - base and time.monotonic() < deadline:
            time.sleep(0.02)
        storm_ms = (cpu_ns(pid) - c0) / 1e6
        storm_wakeups = status(pid, "voluntary_ctxt_switches") - w0
        zombies = int(inside(pid, "grep -l '^State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l").strip())
        t0 = time.monotonic()
        os.kill(pid, signal.SIGTERM)
        proc.wait(timeout=10)
        term_ms = (time.monotonic() - t0) * 1e3
        return dict(rss=rss, anon=anon, idle_wakeups=idle_wakeups, storm_ms=storm_ms,
                    storm_wakeups=storm_wakeups, zombies=zombies, term_ms=term_ms)
    finally:
        if proc.poll() is None:
            os.kill(pid, signal.SIGKILL)
            proc.kill()
            proc.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--orphans", type=int, default=5000)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/pause.py needs root (pid namespaces)")
    setup()
    table = inits()
    results = {name: [] for name, _, _ in table}
    for run in range(args.runs):
        for name, _, argv in table:  # interleaved, so drift hits every init alike
            results[name].append(measure(argv, args.orphans))
        print(f"run {run + 1}/{args.runs} done", file=sys.stderr)
    med = {name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for name, rs in results.items()}
    ref = med["pauselab pause"]
    ratio = lambda v, r: "—" if r == 0 else f"{v / r:.2g}×"
    print(f"\n{args.runs} interleaved runs, medians; storm = {args.orphans} orphans; ratios against pauselab pause\n")
    print("| init | size (bytes) | RSS kB | RssAnon kB | idle wakeups/2 s | storm CPU ms | storm wakeups | zombies left | SIGTERM→exit ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, binary, _ in table:
        m, size = med[name], os.path.getsize(binary)
        print(f"| {name} | {size:,} ({ratio(size, os.path.getsize(PAUSE))}) | {m['rss']:.0f} | {m['anon']:.0f} "
              f"| {m['idle_wakeups']:.0f} | {m['storm_ms']:.1f} | {m['storm_wakeups']:.0f} | {m['zombies']:.0f} "
              f"| {m['term_ms']:.1f} ({ratio(m['term_ms'], ref['term_ms'])}) |")


if __name__ == "__main__":
    main()
