"""`make demo-cluster`: two boards in QEMU and a real Erlang node, one
cluster; a board is lost and the other takes its work over.

Boards A and B (mps2-an385 by default) each boot as a node of the cluster
(tools/node.py, real-time pacing, the host bridge) running the exchange
(examples/exchange) as a distributed application on [A, B]: it runs on A,
B stands by. A real `erl` node is the operator's console
(demo_console.erl): it calls the exchange's number analysis on whichever
board runs it, four times a second. Then the demo

1. stops board A's QEMU (SIGSTOP: frozen, not asked to leave), and shows
   `nodedown` at B and at erl within the tick time, B taking the exchange
   over, and the calls served again;
2. boots A again, and shows A taking the exchange back;

prints a timeline as it goes and a summary (detection time, time to serve
again, calls lost and when, each board's heap), and exits 0 only if every
step recovered.
"""
import argparse
import os
import queue
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time

from boards import REPO
from build import BuildFailed, build_firmware
from epmd_daemon import ensure_epmd

HERE = os.path.dirname(os.path.abspath(__file__))
APP = os.path.join(REPO, "examples", "exchange")
NODE_IMAGE = os.path.join(HERE, "node_image")
TICKTIME_S = 4
STEP_TIMEOUT_S = 120  # longest any step may take before the demo gives up


class Failed(Exception):
    pass


class Job:
    """A program in a process group of its own (QEMU, the bridge and their
    driver stop and go together), whose lines go to one queue with the
    time they came."""

    def __init__(self, label, command, events, cwd=None):
        self.label = label
        self.proc = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        threading.Thread(target=self._read, args=(events,), daemon=True).start()

    def _read(self, events):
        for raw in iter(self.proc.stdout.readline, b""):
            events.put((time.monotonic(), self.label, raw.decode("utf-8", "replace").rstrip()))

    def signal(self, number):
        try:
            os.killpg(self.proc.pid, number)
        except ProcessLookupError:
            pass

    def kill(self):
        self.signal(signal.SIGCONT)
        self.signal(signal.SIGKILL)
        self.proc.wait()


class Demo:
    def __init__(self, board, out):
        self.board = board
        self.out = out
        self.events = queue.Queue()
        self.t0 = time.monotonic()
        self.cookie = "demo-cluster-%06d" % random.randrange(10 ** 6)
        tag = "%d" % (os.getpid() % 10000)
        self.names = {"A": "board_a" + tag, "B": "board_b" + tag}
        self.full = {k: v + "@127.0.0.1" for k, v in self.names.items()}
        self.boards = {}
        self.console = None
        self.calls = []        # (time, number, node, outcome)
        self.figures = {}

    # ---- what happens, as it happens

    def say(self, text, at=None):
        at = time.monotonic() if at is None else at
        print("%7.1f s  %s" % (at - self.t0, text), file=self.out, flush=True)

    def wait_for(self, what, predicate, timeout=STEP_TIMEOUT_S):
        """Read events until predicate(time, source, line) holds; returns
        (time, line). Every call the console reports is kept."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failed("no %s within %d s" % (what, timeout))
            try:
                at, source, line = self.events.get(timeout=left)
            except queue.Empty:
                continue
            if source == "erl" and line.startswith("call "):
                self.note_call(at, line)
            elif source == "erl" and line.startswith(("nodeup", "nodedown")):
                self.say("erl:  " + line, at)
            elif "distributed exchange" in line or "which ran it" in line:
                self.say("%s:    %s" % (source, line.split("=")[-1].strip()), at)
            if predicate(at, source, line):
                return at, line

    def note_call(self, at, line):
        _, number, node, outcome, ms = line.split()
        node = node.strip("'")
        previous = self.calls[-1] if self.calls else None
        self.calls.append((at, int(number), node, outcome))
        if previous is None or (previous[2], previous[3]) != (node, outcome):
            self.say("erl:  call %s -> %s at %s (%s ms)" % (number, outcome, node, ms), at)

    def served_by(self, key):
        full = self.full[key]
        return lambda at, source, line: source == "erl" and line.startswith("call ") \
            and line.split()[2].strip("'") == full and line.split()[3] == "ok"

    def first_served(self, key, since):
        """When the first call after `since` was served by board `key`
        (waiting for it if none was yet)."""
        full = self.full[key]
        for at, _, node, outcome in self.calls:
            if at >= since and node == full and outcome == "ok":
                return at
        return self.wait_for("a call served by " + key, self.served_by(key))[0]

    # ---- the parts

    def start_board(self, key):
        job = Job(key, [sys.executable, "-u", os.path.join(HERE, "node.py"), "--target", self.board,
                        "--name", self.names[key], "--cookie", self.cookie,
                        "--ticktime", str(TICKTIME_S), "--app", APP,
                        "--nodes", ",".join(self.full[k] for k in ("A", "B"))], self.events)
        self.boards[key] = job
        at, _ = self.wait_for("board %s up" % key,
                              lambda at, source, line: source == key and "is up" in line)
        self.say("board %s is up as %s" % (key, self.full[key]), at)
        return at

    def start_console(self, workdir):
        subprocess.run(["erlc", "-o", workdir, os.path.join(HERE, "demo_console.erl")], check=True)
        self.console = Job("erl", ["erl", "-noshell", "-name", "console%d@127.0.0.1" % os.getpid(),
                                   "-setcookie", self.cookie, "-kernel", "net_ticktime",
                                   str(TICKTIME_S), "-pa", workdir, "-run", "demo_console", "main",
                                   self.full["A"], self.full["B"]], self.events, cwd=workdir)

    def heap(self, key, workdir):
        """Board `key`'s heap in use and free (bytes), asked from erl."""
        expression = ("io:format(\"~p~n\", [[rpc:call('%s', gc, F, [], 5000) "
                      "|| F <- [mem_alloc, mem_free]]]), halt()." % self.full[key])
        result = subprocess.run(["erl", "-noshell", "-name", "heap%d@127.0.0.1" % os.getpid(),
                                 "-setcookie", self.cookie, "-eval", expression],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60,
                                cwd=workdir)
        return result.stdout.decode().strip()

    def lost(self, since, until):
        return [(at, n, outcome) for at, n, node, outcome in self.calls
                if since <= at <= until and outcome != "ok"]

    def run(self, workdir):
        self.say("building the image for %s (the exchange, a node of the cluster)" % self.board)
        build_firmware(self.board, [APP, NODE_IMAGE])
        ensure_epmd()
        self.start_board("A")
        self.start_board("B")
        self.start_console(workdir)
        at, _ = self.wait_for("a call served by A", self.served_by("A"))
        self.say("the exchange runs on A; B stands by", at)
        self.wait_for("calls", lambda at, source, line: len(self.calls) >= 12)

        killed = time.monotonic()
        self.boards["A"].signal(signal.SIGSTOP)
        self.say("board A stopped (its QEMU frozen, not asked to leave)", killed)
        seen = {}

        def down(at, source, line):
            if source == "erl" and line.startswith("nodedown") and self.names["A"] in line \
                    or source == "B" and "which ran it, is down" in line:
                seen.setdefault(source, at - killed)
            return len(seen) == 2

        self.wait_for("nodedown of A at erl and at B", down)
        at = self.first_served("B", killed)
        self.figures["failover"] = (seen["erl"], seen["B"], at - killed,
                                    self.lost(killed, at))
        self.say("B serves the exchange since %.1f s: %.1f s after A stopped"
                 % (at - self.t0, at - killed))
        self.wait_for("calls", lambda at, source, line, n=len(self.calls): len(self.calls) >= n + 8)
        self.figures["heap B"] = self.heap("B", workdir)

        self.boards["A"].kill()
        booted = time.monotonic()
        self.say("board A boots again", booted)
        self.start_board("A")
        at = self.first_served("A", booted)
        self.figures["takeover"] = (at - booted, self.lost(booted, at))
        self.say("A took the exchange back at %.1f s: %.1f s after it booted"
                 % (at - self.t0, at - booted))
        self.wait_for("calls", lambda at, source, line, n=len(self.calls): len(self.calls) >= n + 8)
        self.figures["heap A"] = self.heap("A", workdir)
        end = time.monotonic()
        self.figures["lost after"] = self.lost(at, end)

    def summary(self):
        erl_s, b_s, serve_s, lost = self.figures["failover"]
        back_s, lost_back = self.figures["takeover"]
        print("\nsummary", file=self.out)
        print("  nodedown of A: at erl after %.1f s, at B after %.1f s (tick time %d s)"
              % (erl_s, b_s, TICKTIME_S), file=self.out)
        print("  served again by B %.1f s after A stopped; calls lost meanwhile: %d%s"
              % (serve_s, len(lost), describe(lost, self.t0)), file=self.out)
        print("  taken back by A %.1f s after it booted; calls lost meanwhile: %d%s"
              % (back_s, len(lost_back), describe(lost_back, self.t0)), file=self.out)
        print("  calls after the takeover: %d lost" % len(self.figures["lost after"]),
              file=self.out)
        print("  heap [in use, free] bytes: A %s, B %s" % (self.figures["heap A"],
                                                         self.figures["heap B"]), file=self.out)
        first = next(i for i, call in enumerate(self.calls) if call[3] == "ok")
        since = self.calls[first:]  # (while the boards start, no board runs it yet)
        served = sum(1 for call in since if call[3] == "ok")
        print("  calls: %d made, %d served (from the first served)" % (len(since), served),
              file=self.out)
        return not self.figures["lost after"]

    def stop(self):
        for job in list(self.boards.values()) + [self.console]:
            if job is not None:
                job.kill()


def describe(lost, t0):
    if not lost:
        return ""
    return " (%s)" % ", ".join("#%d %s at %.1f s" % (n, outcome, at - t0) for at, n, outcome in lost)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--board", default="mps2-an385")
    args = parser.parse_args()
    demo = Demo(args.board, sys.stdout)
    try:
        with tempfile.TemporaryDirectory() as workdir:
            demo.run(workdir)
            recovered = demo.summary()
    except (Failed, BuildFailed) as error:
        demo.stop()
        sys.exit("make demo-cluster: FAILED: %s" % error)
    demo.stop()
    if not recovered:
        sys.exit("make demo-cluster: FAILED: calls were lost after A took the exchange back")
    print("DEMO-CLUSTER PASSED")


if __name__ == "__main__":
    main()
