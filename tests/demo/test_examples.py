"""The README's example application, as a user meets it: at the console of
a board that booted it, call the server, crash it, and find it restarted."""
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

COUNTER = os.path.join(REPO, "examples", "counter")


def session(console):
    """Types the docstring's session at the friendly REPL; returns the answers."""
    def type_line(line):
        console.write(line.encode() + b"\r")
        return console.read_until(b">>> ", timeout=60).decode().replace("\r\n", "\n")

    console.wait_for_prompt()
    type_line("from runtime import evaluate, gen_server, whereis")
    first = type_line("evaluate(gen_server.call, 'counter', 'next'), whereis('counter')")
    type_line("evaluate(gen_server.call, 'counter', 'next')")
    type_line("gen_server.cast('counter', 'crash')")
    again = type_line("evaluate(gen_server.call, 'counter', 'next'), whereis('counter')")
    return first, again


def answer(text):
    return text.split("\n")[1]


@pytest.fixture
def posix_console(tmp_path):
    firmware = build_firmware("posix", app=COUNTER)
    ours, theirs = socket.socketpair()
    env = dict(os.environ, LIBOS_RESET_RECORD=str(tmp_path / "record"))
    proc = subprocess.Popen([firmware], stdin=theirs, stdout=theirs, stderr=subprocess.STDOUT, env=env)
    theirs.close()
    yield Console(ours, name="posix")
    ours.close()
    proc.kill()
    proc.wait()


def check(first, again):
    assert answer(first).startswith("(1, <0.")
    # A crash report and the supervisor's restart are printed under the
    # prompt; then the restarted counter starts again from 0.
    assert "RuntimeError: asked to crash" in again
    assert "child_restarted: id 'counter'" in again
    count, pid = answer(again.split("evaluate(")[-1]).strip("()").split(", ")
    assert count == "1" and pid != answer(first).strip("()").split(", ")[1]


def test_the_counter_example_on_posix(posix_console):
    check(*session(posix_console))


def test_the_counter_example_on_the_emulated_board():
    firmware = build_firmware("mps2-an385", app=COUNTER)
    with QemuBoard("mps2-an385", firmware, sleep=True) as qemu:
        with qemu.connect() as sock:
            check(*session(Console(sock, name="mps2-an385")))
