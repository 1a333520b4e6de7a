"""Run a script with the runtime on a target and collect what it printed.

A target is a board (booted in QEMU or, for `posix`, run natively) or
`cpython`. Every runner returns the same `Outcome`, so the scenario corpus and
`make run` treat all targets alike. Output is text with "\\n" line ends.
"""
import os
import subprocess
import sys

from boards import REPO, known_boards, is_emulated
from build import build_firmware
from emulator import QemuBoard
from repl import CTRL_D, RAW_PROMPT, Console, console_text


class Outcome:
    """What a script did on a target: its exit status and its console output."""

    def __init__(self, status, output):
        self.status = status
        self.output = output

    def __repr__(self):
        return "Outcome(status=%r, output=%r)" % (self.status, self.output)


# Where CPython finds `runtime` and the Python `libos`.
CPYTHON_PATHS = (REPO, os.path.join(REPO, "libos", "cpython"))


def cpython_env():
    """Environment in which CPython finds `runtime` and the Python `libos`."""
    env = dict(os.environ)
    paths = list(CPYTHON_PATHS)
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def run_cpython(path, timeout, on_output=None):
    return _run_process([sys.executable, path], cpython_env(), timeout, on_output)


def run_posix(path, timeout, on_output=None, app=None):
    firmware = build_firmware("posix", app)
    return _run_process([firmware, path], dict(os.environ), timeout, on_output)


def _run_process(command, env, timeout, on_output):
    proc = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        chunks = []
        for chunk in iter(lambda: proc.stdout.read1(4096), b""):
            chunks.append(chunk)
            if on_output:
                on_output(chunk)
        status = proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    return Outcome(status, console_text(b"".join(chunks)))


def run_emulated(board, path, timeout, on_output=None, app=None):
    firmware = build_firmware(board, app)
    with open(path, "rb") as f:
        code = f.read()
    output, error = exec_on_board(board, firmware, code, timeout, on_output)
    if on_output and error:
        on_output(error)
    return Outcome(1 if error else 0, console_text(output + error))


def exec_on_board(board, firmware, code, timeout, on_output=None):
    """Boots `firmware` on the board in QEMU, runs `code` through raw-paste,
    stops the board; returns (output, error text), as bytes."""
    with QemuBoard(board, firmware) as qemu:
        with qemu.connect() as sock:
            console = Console(sock, name=board)
            console.enter_raw()
            return console.exec_raw(code, timeout=timeout, on_output=on_output)


class BoardSession:
    """One board in QEMU for many scripts, each pasted into its raw REPL:
    booted at the first run, and again at the run after one that failed
    (the board may not answer any more). With `reboot`, a soft reboot
    (Ctrl-D) before each script but the first, so that each finds the heap
    as a fresh board has it."""

    def __init__(self, board, reboot=False):
        self.board = board
        self.reboot = reboot
        self.firmware = build_firmware(board)
        self.qemu = None

    def run(self, code, timeout):
        """Runs `code` (text); returns what it printed, errors included."""
        if self.qemu is None:
            self.qemu = QemuBoard(self.board, self.firmware).start()
            self.console = Console(self.qemu.connect(), name=self.board)
            self.console.enter_raw()
        elif self.reboot:
            self.console.write(CTRL_D)  # at the raw REPL's prompt: a soft reboot
            self.console.read_until(RAW_PROMPT, timeout=30)
        try:
            output, error = self.console.exec_raw(code.encode(), timeout=timeout)
        except Exception:
            self.close()
            raise
        return console_text(output + error)

    def close(self):
        if self.qemu is not None:
            self.console.sock.close()
            self.qemu.stop()
            self.qemu = None


def known_targets():
    return sorted(known_boards() + ["cpython"])


def run_script(target, path, timeout=300, on_output=None, app=None):
    """Runs the script at `path` on `target`; returns its Outcome. A board's
    firmware is built first, with `app` (a folder) in its image if given."""
    if not os.path.isfile(path):
        raise FileNotFoundError("no script at %s" % path)
    if target == "cpython":
        return run_cpython(path, timeout, on_output)
    if target == "posix":
        return run_posix(path, timeout, on_output, app)
    if target in known_boards() and is_emulated(target):
        return run_emulated(target, path, timeout, on_output, app)
    raise ValueError("unknown target %r; known targets: %s" % (target, ", ".join(known_targets())))


# The targets the scenario corpus runs on by default: one of each kind.
RUNNERS = ("cpython", "posix", "mps2-an385")
