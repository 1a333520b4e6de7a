"""Sessions with a booted target for the libos contract tests.

A session runs code on its target and can wait out a reset: on a device
in QEMU (the REPL over its UART, resets seen as QMP RESET events), on the
posix board (its REPL over a socket pair; a reset re-executes it on the same
descriptors), under AddressSanitizer and UBSan on posix, and on CPython (each
run a process; a reset ends it with the libos's reset status).
"""
import os
import socket
import subprocess
import sys
import threading

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools"))

from build import build_firmware  # noqa: E402
from emulator import QemuBoard  # noqa: E402
from repl import Console  # noqa: E402
from targets import cpython_env  # noqa: E402

TARGETS = ["cpython", "posix", "posix-sanitize", "mps2-an385", "netduinoplus2"]


def _text(data):
    return data.decode("utf-8", "replace").replace("\r\n", "\n")


class ReplSession:
    """A target reached through its raw REPL on a Console."""

    def run(self, code, timeout=120):
        output, error = self.console.exec_raw(code, timeout=timeout)
        if error:
            raise AssertionError("%s raised:\n%s%s" % (self.name, _text(output), _text(error)))
        return _text(output)

    def run_until_reset(self, code, timeout=120):
        self.console.start_raw(code, timeout=timeout)
        self.wait_for_reboot(timeout)
        self.console.enter_raw()


class DeviceSession(ReplSession):
    def __init__(self, board):
        self.name = board
        # The guest's clock keeps to real time, so that its ticks first wrap
        # a few seconds after boot while a test is watching.
        self.qemu = QemuBoard(board, build_firmware(board), sleep=True).start()
        self.console = Console(self.qemu.connect(), name=board)
        self.console.enter_raw()

    def wait_for_reboot(self, timeout):
        self.qemu.wait_for_event("RESET", timeout=timeout)

    def wire_uarts(self, a, b):
        """Connects UART a to UART b through this process, as a cable would."""
        ends = [self.qemu.connect(a), self.qemu.connect(b)]
        for source, sink in ((ends[0], ends[1]), (ends[1], ends[0])):
            threading.Thread(target=_pump, args=(source, sink), daemon=True).start()

    def close(self):
        self.console.sock.close()
        self.qemu.stop()


def _pump(source, sink):
    try:
        for data in iter(lambda: source.recv(4096), b""):
            sink.sendall(data)
    except OSError:
        pass


class PosixSession(ReplSession):
    def __init__(self, record, sanitize=False):
        self.name = "posix-sanitize" if sanitize else "posix"
        firmware = build_firmware("posix", sanitize=sanitize)
        ours, theirs = socket.socketpair()
        env = dict(os.environ, LIBOS_RESET_RECORD=record,
                   ASAN_OPTIONS="abort_on_error=0:exitcode=99",
                   UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=99")
        self.process = subprocess.Popen([firmware], stdin=theirs, stdout=theirs,
                                        stderr=subprocess.STDOUT, env=env)
        theirs.close()
        self.console = Console(ours, name=self.name)
        self.console.enter_raw()

    def wait_for_reboot(self, timeout):
        # A reset re-executes the firmware, which greets as at power-on.
        self.console.read_until(b"Type \"help()\" for more information.", timeout=timeout)

    def wire_uarts(self, a, b):
        assert (a, b) == (1, 2), "the posix board wires uart(1) to uart(2)"

    def close(self):
        self.console.sock.close()
        try:
            status = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        # The sanitizers report on exit with their own status.
        assert status != 99, "the sanitizers found a problem:\n" + _text(self.console.seen)


class CPythonSession:
    """CPython has no REPL to keep: each run is a fresh process, as each
    boot of a board is; the reset record carries over between them."""

    def __init__(self, record):
        self.name = "cpython"
        self.env = dict(cpython_env(), LIBOS_RESET_RECORD=record)

    def _process(self, code, timeout):
        return subprocess.run([sys.executable, "-c", code], env=self.env, timeout=timeout,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def run(self, code, timeout=120):
        result = self._process(code, timeout)
        if result.returncode != 0:
            raise AssertionError("cpython exited with %d:\n%s" % (result.returncode, _text(result.stdout)))
        return _text(result.stdout)

    def run_until_reset(self, code, timeout=120):
        result = self._process(code, timeout)
        # A reset ends the process with a status of its own: neither success
        # nor the 1 of an uncaught exception.
        if result.returncode in (0, 1):
            raise AssertionError("cpython did not reset (status %d):\n%s"
                                 % (result.returncode, _text(result.stdout)))

    def wire_uarts(self, a, b):
        assert (a, b) == (1, 2), "CPython's libos wires uart(1) to uart(2)"

    def close(self):
        pass


@pytest.fixture(params=TARGETS)
def board(request, tmp_path):
    target = request.param
    record = str(tmp_path / "reset-record")
    if target == "cpython":
        session = CPythonSession(record)
    elif target.startswith("posix"):
        session = PosixSession(record, sanitize=target.endswith("sanitize"))
    else:
        session = DeviceSession(target)
    yield session
    session.close()
