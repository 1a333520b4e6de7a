"""What the cluster tests share: our node (agent.py) on a host target and a
real OTP node (erl running cluster_peer.erl), as processes whose output is
read line by line as it comes.
"""
import os
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools"))

from build import build_firmware  # noqa: E402
from qemu.qmp.legacy import QEMUMonitorProtocol  # noqa: E402
from targets import cpython_env  # noqa: E402

COOKIE = "cluster-test-cookie"
TICKTIME = 4
START_TIMEOUT = 30
BOARDS = ("mps2-an385", "netduinoplus2")

_names = iter(range(1, 1000))


def fresh_name(prefix):
    return "%s%d_%d" % (prefix, os.getpid() % 10000, next(_names))


def compile_peer(out):
    """cluster_peer.erl compiled into `out`, and EPMD running."""
    subprocess.run(["erlc", "-o", out, os.path.join(HERE, "cluster_peer.erl")], check=True)
    subprocess.run(["epmd", "-daemon"], check=True)
    return out


class Output:
    """The lines a process prints, read as they come."""

    def __init__(self, proc):
        self.proc = proc
        self.lines = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in iter(self.proc.stdout.readline, b""):
            with self.changed:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\r\n"))
                self.changed.notify_all()
        with self.changed:
            self.lines.append(None)  # end of output
            self.changed.notify_all()

    def wait_for(self, predicate, timeout):
        """The first line for which predicate is true; AssertionError if none
        comes within `timeout` s."""
        deadline = time.monotonic() + timeout
        with self.changed:
            seen = 0
            while True:
                for line in self.lines[seen:]:
                    if line is not None and predicate(line):
                        return line
                seen = len(self.lines)
                left = deadline - time.monotonic()
                if None in self.lines or left <= 0:
                    raise AssertionError("no such line in:\n" + "\n".join(
                        line for line in self.lines if line is not None))
                self.changed.wait(left)

    def text(self):
        return "\n".join(line for line in self.lines if line is not None)


class Process:
    """A command in a process group of its own, as a shell runs a job: a
    signal goes to all of it (make and what it started, erl and its helpers)."""

    def __init__(self, command, env=None, cwd=None):
        self.proc = subprocess.Popen(command, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.output = Output(self.proc)
        self.companions = []  # processes stopped with this one (a board's bridge)

    def signal(self, number):
        try:
            os.killpg(self.proc.pid, number)
        except ProcessLookupError:
            pass  # all gone already

    def freeze(self):
        """Stop it dead, unasked: SIGSTOP; a board in QEMU, QMP's "stop"."""
        control = next((line.split(" at ", 1)[1] for line in self.output.lines
                        if line is not None and "QMP control at" in line), None)
        if control is None:
            self.signal(signal.SIGSTOP)
            return
        qmp = QEMUMonitorProtocol(control)
        qmp.connect()
        qmp.cmd("stop")
        qmp.close()

    def stop(self):
        """Kill what is left of the job; its output's reader ends with it."""
        self.signal(signal.SIGCONT)
        self.signal(signal.SIGKILL)
        self.proc.wait()
        for companion in self.companions:
            companion.stop()


def start_ours(target, prefix="py"):
    """Our node on `target`, running agent.py; (Process, its node name).
    Targets: cpython, posix, posix-uart (the posix build reaching the
    cluster as a board does, through its UART2 and the host bridge,
    tools/bridge.py, which the Process stops with it), and a board in QEMU
    (by make node's tools/node.py), which freeze() stops through QMP."""
    name = fresh_name(prefix)
    script = os.path.join(HERE, "agent.py")
    args = [name, COOKIE, str(TICKTIME)]
    bridge = None
    if target == "cpython":
        ours = Process([sys.executable, "-u", script] + args, cpython_env())
    elif target == "posix":
        ours = Process([build_firmware("posix"), script] + args)
    elif target in BOARDS:
        ours = Process([sys.executable, "-u", os.path.join(REPO, "tools", "node.py"),
                        "--target", target, "--name", name, "--cookie", COOKIE,
                        "--ticktime", str(TICKTIME), "--script", script])
    else:
        port = free_port()
        bridge = Process([sys.executable, "-u", os.path.join(REPO, "tools", "bridge.py"),
                          "--listen", str(port)])
        bridge.output.wait_for(lambda l: "waiting for the UART" in l, START_TIMEOUT)
        ours = Process([build_firmware("posix"), script] + args + ["2"],
                       dict(os.environ, LIBOS_UART2="tcp:127.0.0.1:%d" % port))
        ours.companions.append(bridge)
    try:
        line = ours.output.wait_for(lambda l: l.startswith("node "),
                                    START_TIMEOUT * (4 if target in BOARDS else 1))
    except AssertionError:
        ours.stop()
        raise
    return ours, line.split()[1]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_erl(peer_code, function, *args, cookie=COOKIE):
    name = fresh_name("erl") + "@127.0.0.1"
    erl = Process(["erl", "-noshell", "-name", name, "-setcookie", cookie,
                   "-kernel", "net_ticktime", str(TICKTIME), "-pa", peer_code,
                   "-run", "cluster_peer", function] + list(args), cwd=peer_code)
    erl.name = name
    return erl


def judged(erl, timeout=120):
    """The checks erl ran: their names; fails on any FAIL line."""
    erl.output.wait_for(lambda l: l == "done", timeout)
    text = erl.output.text()
    failed = [line for line in text.splitlines() if line.startswith("FAIL")]
    assert not failed, text
    return [line[3:] for line in text.splitlines() if line.startswith("ok ")]


