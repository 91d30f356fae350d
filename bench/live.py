#!/usr/bin/env python3
"""`pauselab serve --live` on a node of 1,000 processes: what following the node costs.

    python3 bench/live.py [--processes 1000] [--forks 10000] [--idle 20]

Starts the release build's server with --live beside 1,000 sleeping processes (in a pid
namespace of their own, torn down at the end), and measures from /proc/PID/stat: the CPU it
uses over an idle stretch (% of one core; the bound is 5 %), and the CPU a storm of forks costs
it (core-seconds per 10,000; the bound is 1). Beside it, in the same run, the anchor: the CPU of
`ps -e` run every 2 s. Then the view's update per change in Chromium (bench/live-page.mjs;
the bound is 16 ms median). Needs root (the proc connector; without it the server polls) and
the built tutorial. A benchmark, not a test: it asserts nothing.
"""
import argparse, os, subprocess, sys, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "target/release/pauselab")
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of a process and its reaped children, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / TICK


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=1000)
    parser.add_argument("--forks", type=int, default=10000)
    parser.add_argument("--idle", type=float, default=20.0)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--quiet", "--locked", "--release", "-p", "pauselab-native"],
                   cwd=ROOT, check=True)
    page = os.path.join(ROOT, "dist")
    if not os.path.isfile(os.path.join(page, "live/index.html")):
        sys.exit("build the tutorial first: bash scripts/build-web.sh (the view's update is timed in it)")
    print("| measure | pauselab serve --live | anchor | bound |")
    print("|---|---|---|---|")
    for poll in [False, True]:
        measure(args, page, poll)


def measure(args, page, poll):
    """One run of the server: following the proc connector, or (poll) reading /proc twice a second."""
    # The crowd: N sleeping processes under one shell, in a pid namespace of their own.
    crowd = subprocess.Popen(["unshare", "--pid", "--fork", "--kill-child", "sh", "-c",
                              f"for i in $(seq {args.processes}); do sleep 100000 & done; wait"],
                             start_new_session=True)
    server = subprocess.Popen([CLI, "serve", "--live", "--dir", page, "--addr", "127.0.0.1:0"]
                              + (["--poll"] if poll else []), stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        url = next((w for w in line.split() if w.startswith("http://")), None)
        if url is None or "?token=" not in url:
            sys.exit(f"the server did not start: {line!r} (its error is above)")
        url, token = url.split("?token=")
        def get(path):
            request = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {token}"})
            return urllib.request.urlopen(request).read()
        deadline = time.time() + 60
        while time.time() < deadline:
            snapshot = get("live/snapshot")
            if snapshot.count(b'"comm": "sleep"') >= args.processes:
                break
            time.sleep(0.2)
        count = get("live/snapshot").count(b'"nspid"')
        time.sleep(3)  # the storm of the crowd's own start settles
        before = cpu_seconds(server.pid)
        time.sleep(args.idle)
        idle = (cpu_seconds(server.pid) - before) / args.idle * 100
        # The anchor: ps -e every 2 s over the same stretch, timed as CPU of its own.
        anchor_before = os.times()
        for _ in range(int(args.idle / 2)):
            subprocess.run(["ps", "-e"], stdout=subprocess.DEVNULL, check=True)
        anchor_after = os.times()
        anchor = ((anchor_after.children_user + anchor_after.children_system)
                  - (anchor_before.children_user + anchor_before.children_system)) / args.idle * 100
        before = cpu_seconds(server.pid)
        started = time.time()
        subprocess.run(["sh", "-c", f"i=0; while [ $i -lt {args.forks} ]; do /bin/true; i=$((i+1)); done"], check=True)
        storm = time.time() - started
        time.sleep(3)  # its last looks
        forks = (cpu_seconds(server.pid) - before) / args.forks * 10000
        mode = "polling /proc" if poll else "the proc connector"
        print(f"| {mode}: CPU while idle ({count} processes) | {idle:.2f} % of a core | `ps -e` every 2 s: {anchor:.2f} % | 5 % |")
        print(f"| {mode}: CPU per 10,000 forks ({args.forks} in {storm:.1f} s) | {forks:.2f} core-s | | 1 core-s |")
        sys.stdout.flush()
        # The page's side, in Chromium, on the same node.
        subprocess.run(["node", os.path.join(ROOT, "bench/live-page.mjs"), f"{url}live/?token={token}", mode],
                       check=True)
    finally:
        server.kill()
        os.killpg(crowd.pid, 9)
        server.wait()
        crowd.wait()


if __name__ == "__main__":
    sys.exit(main())
