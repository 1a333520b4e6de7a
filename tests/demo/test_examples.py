"""The README's example application, as a user meets it: at the console of
a board that booted it, call the server, crash it, and find it restarted."""
import os
import re
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
    type_line("from runtime import evaluate, gen_server, sleep, whereis")
    first = type_line("evaluate(gen_server.call, 'counter', 'next'), whereis('counter')")
    type_line("evaluate(gen_server.call, 'counter', 'next')")
    type_line("gen_server.cast('counter', 'crash')")
    # A user reads the reports before typing on; the system runs meanwhile.
    # A test types at once, so it lets the system run for a while itself:
    # a call typed straight after the cast could find the counter dead and
    # not yet restarted, as it could in Erlang's shell.
    settled = type_line("evaluate(sleep, 100)")
    again = settled + type_line("evaluate(gen_server.call, 'counter', 'next'), whereis('counter')")
    return first, again


def answer(text):
    """The (count, pid) the REPL printed for the line typed in `text`: the
    reports printed under the prompt may come before it."""
    found = re.search(r"^\((\d+), (<0\.\d+\.0>)\)$", text.split("\n", 1)[1], re.M)
    assert found, text
    return found.groups()


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
    count, pid = answer(first)
    assert count == "1", first
    # A crash report and the supervisor's restart are printed under the
    # prompt; then the restarted counter starts again from 0.
    assert "RuntimeError: asked to crash" in again
    assert "child_restarted: id 'counter'" in again
    count, new_pid = answer(again.split("evaluate(")[-1])
    assert count == "1" and new_pid != pid, again


def test_the_counter_example_on_posix(posix_console):
    check(*session(posix_console))


def test_the_counter_example_on_the_emulated_board():
    firmware = build_firmware("mps2-an385", app=COUNTER)
    with QemuBoard("mps2-an385", firmware, sleep=True) as qemu:
        with qemu.connect() as sock:
            check(*session(Console(sock, name="mps2-an385")))


def test_the_limits_example_on_the_emulated_board():
    """examples/limits.py, as the README's "Limits" section shows it: each
    hostile process ends alone (or is stopped at its limit), and the heap
    is back within the emergency reserve's size of where it was."""
    from targets import run_script
    outcome = run_script("mps2-an385", os.path.join(REPO, "examples", "limits.py"), timeout=300)
    text = outcome.output
    assert outcome.status == 0, text
    for line in ("a flooded mailbox: ('max_queue', ",
                 "a fork bomb: system_limit: ",
                 "a memory hog: MemoryError(",
                 "a process that catches its cut: ('slice_exceeded', 100)",
                 "processes left: 1",
                 "main exited: normal"):
        assert line in text, text
    before = int(re.search(r"heap free before: (\d+)", text).group(1))
    after = int(re.search(r"heap free after: (\d+)", text).group(1))
    assert after >= before - 4096, text
