"""What the cluster tests share: our node (agent.py) on a host target or a
board in QEMU and a real OTP node (erl running cluster_peer.erl), as
processes whose output is read line by line as it comes.
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
from emulator import QemuBoard  # noqa: E402
from epmd_daemon import ensure_epmd  # noqa: E402
from repl import Console, TextStream  # noqa: E402
from targets import cpython_env  # noqa: E402

COOKIE = "cluster-test-cookie"
TICKTIME = 4
START_TIMEOUT = 30
BOARD_START_TIMEOUT = 90   # s: QEMU boots, agent.py goes over the raw REPL, the node starts
BOARD_UART = 2             # as runtime/node.py: a board's UART to the bridge

_names = iter(range(1, 1000))


def fresh_name(prefix):
    return "%s%d_%d" % (prefix, os.getpid() % 10000, next(_names))


def compile_peer(out):
    """cluster_peer.erl compiled into `out`, and EPMD running."""
    subprocess.run(["erlc", "-o", out, os.path.join(HERE, "cluster_peer.erl")], check=True)
    ensure_epmd()
    return out


class Output:
    """The lines a process prints (a binary stream), read as they come."""

    def __init__(self, stream):
        self.stream = stream
        self.lines = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in iter(self.stream.readline, b""):
            with self.changed:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\r\n"))
                self.changed.notify_all()
        with self.changed:
            self.lines.append(None)  # end of output
            self.changed.notify_all()

    def wait_for(self, predicate, timeout, start=0):
        """The first line (from line `start` on) for which predicate is
        true; AssertionError if none comes within `timeout` s."""
        deadline = time.monotonic() + timeout
        with self.changed:
            seen = start
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
        self.output = Output(self.proc.stdout)
        self.companions = []  # processes stopped with this one (a board's bridge)

    def signal(self, number):
        try:
            os.killpg(self.proc.pid, number)
        except ProcessLookupError:
            pass  # all gone already

    def freeze(self):
        self.signal(signal.SIGSTOP)

    def stop(self):
        """Kill what is left of the job; its output's reader ends with it."""
        self.signal(signal.SIGCONT)
        self.signal(signal.SIGKILL)
        self.proc.wait()
        for companion in self.companions:
            companion.stop()


class Board:
    """Our node on a board in QEMU, paced in real time as a cluster needs
    (tools/node.py runs one so): a script run through its raw REPL, what
    its console prints read as a Process's output."""

    def __init__(self, board, app=None, wired=None):
        """`wired`: {UART: port} of another board's UARTs this one's are wired to."""
        self.qemu = QemuBoard(board, build_firmware(board, app), realtime=True,
                              wired=wired).start()
        self.companions = []  # stopped with the board (its bridge)
        read, self.write_end = os.pipe()
        self.output = Output(os.fdopen(read, "rb"))

    def run(self, script, args):
        """Run `script` with `args` as its sys.argv[1:], from now on."""
        console = Console(self.qemu.connect(), name=self.qemu.board)
        console.enter_raw()
        with open(script) as f:
            code = "import sys; sys.argv[:] = %r\n" % ([os.path.basename(script)] + args) + f.read()
        threading.Thread(target=self._console, args=(console, code), daemon=True).start()

    def _console(self, console, code):
        with os.fdopen(self.write_end, "w") as out:
            try:
                console.exec_raw(code.encode(), timeout=24 * 3600, on_output=TextStream(out))
            except OSError:
                pass  # the board was stopped: its console closed

    def freeze(self):
        """Stop the board dead, unasked (QMP "stop"), as a failure would."""
        self.qemu.qmp.cmd("stop")

    def stop(self):
        self.qemu.stop()
        for companion in self.companions:
            companion.stop()


def start_ours(target, prefix="py", tap=None):
    """Our node on `target`, running agent.py; (Process, its node name).
    Targets: cpython, posix; posix-uart, the posix build reaching the
    cluster as a board does, through its UART2 and the host bridge
    (tools/bridge.py); and a board QEMU runs (mps2-an385), through the
    bridge too. The bridge is stopped with the Process. `tap`, for the
    targets behind the bridge: a function given the sockets to the board's
    UART and to the bridge once both are connected, to relay between them
    (uart_tap.py); without one the bridge is wired to the UART."""
    name = fresh_name(prefix)
    script = os.path.join(HERE, "agent.py")
    args = [name, COOKIE, str(TICKTIME)]
    timeout = START_TIMEOUT
    if target == "cpython":
        ours = Process([sys.executable, "-u", script] + args, cpython_env())
    elif target == "posix":
        ours = Process([build_firmware("posix"), script] + args)
    elif target == "posix-uart":
        port = free_port()
        bridge = _bridge("--listen", str(port))
        bridge.output.wait_for(lambda l: "waiting for the UART" in l, START_TIMEOUT)
        tapped = _listener(tap)
        uart = port if tapped is None else tapped.getsockname()[1]
        ours = Process([build_firmware("posix"), script] + args + [str(BOARD_UART)],
                       dict(os.environ, LIBOS_UART2="tcp:127.0.0.1:%d" % uart))
        ours.companions.append(bridge)
        if tapped is not None:
            tap(_accepted(tapped), socket.create_connection(("127.0.0.1", port)))
    else:
        ours = Board(target)
        uart = ours.qemu.uart_port(BOARD_UART)
        tapped = _listener(tap)
        ours.companions.append(_bridge("--connect", "127.0.0.1:%d" % (
            uart if tapped is None else tapped.getsockname()[1])))
        if tapped is not None:
            tap(socket.create_connection(("127.0.0.1", uart)), _accepted(tapped))
        ours.run(script, args)
        timeout = BOARD_START_TIMEOUT
    try:
        line = ours.output.wait_for(lambda l: l.startswith("node "), timeout)
    except AssertionError:
        ours.stop()
        raise
    return ours, line.split()[1]


def _bridge(*args):
    return Process([sys.executable, "-u", os.path.join(REPO, "tools", "bridge.py")] + list(args))


def _listener(tap):
    """Where the side of a UART link that connects (the posix build's UART,
    or the bridge to a board in QEMU) reaches the tap; None without one."""
    if tap is None:
        return None
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(START_TIMEOUT)
    return listener


def _accepted(listener):
    with listener:
        return listener.accept()[0]


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


def erl_eval(expression, cookie=COOKIE):
    """What a real erl node prints for `expression` (~p), run once."""
    result = subprocess.run(
        ["erl", "-noshell", "-name", fresh_name("erl") + "@127.0.0.1", "-setcookie", cookie,
         "-eval", "io:format(\"~p~n\", [%s]), halt()." % expression],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60, cwd="/tmp")
    return result.stdout.decode().strip()
