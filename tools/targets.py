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
from repl import Console, console_text


class Outcome:
    """What a script did on a target: its exit status and its console output."""

    def __init__(self, status, output):
        self.status = status
        self.output = output

    def __repr__(self):
        return "Outcome(status=%r, output=%r)" % (self.status, self.output)


def cpython_env():
    """Environment in which CPython finds `runtime` and the Python `libos`."""
    env = dict(os.environ)
    paths = [REPO, os.path.join(REPO, "libos", "cpython")]
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
