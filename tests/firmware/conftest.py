"""Fixtures for tests that build firmware and boot boards."""
import contextlib
import os
import socket
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools"))

from build import build_firmware  # noqa: E402
from emulator import QemuBoard  # noqa: E402
from repl import Console  # noqa: E402


@pytest.fixture
def booted():
    """Boots a board in QEMU; yields (QemuBoard, Console on its UART0)."""
    with contextlib.ExitStack() as started:
        def boot(board, firmware=None):
            firmware = firmware or build_firmware(board)
            qemu = started.enter_context(QemuBoard(board, firmware))
            sock = started.enter_context(qemu.connect())
            return qemu, Console(sock, name=board)

        yield boot


@pytest.fixture
def posix_repl(tmp_path):
    """Starts the posix board with its console on a socket; yields a Console."""
    processes = []

    def start(env=None):
        firmware = build_firmware("posix")
        ours, theirs = socket.socketpair()
        environment = dict(os.environ, LIBOS_RESET_RECORD=str(tmp_path / "reset-record"))
        environment.update(env or {})
        proc = subprocess.Popen([firmware], stdin=theirs, stdout=theirs,
                                stderr=subprocess.STDOUT, env=environment)
        theirs.close()
        processes.append((proc, ours))
        return Console(ours, name="posix")

    yield start
    for proc, sock in processes:
        sock.close()
        proc.kill()
        proc.wait()
