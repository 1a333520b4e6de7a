"""The make targets' answers to bad input, and `make flash` without a probe."""
import os
import socket
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools"))

from repl import Console, NoAnswer  # noqa: E402


def make(*args):
    result = subprocess.run(["make", "-s", "-C", REPO] + list(args),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    return result.returncode, result.stdout.decode()


def test_an_unknown_board_is_refused_with_the_list_of_boards():
    status, output = make("firmware", "BOARD=nonesuch")
    assert status != 0
    assert "unknown BOARD 'nonesuch'; known boards: mps2-an385 netduinoplus2 posix" in output


def test_an_unknown_target_is_refused_with_the_list_of_targets(tmp_path):
    script = tmp_path / "s.py"
    script.write_text("print(1)\n")
    status, output = make("run", "FILE=%s" % script, "TARGET=nonesuch")
    assert status != 0
    assert ("unknown TARGET 'nonesuch'; known targets: cpython, mps2-an385, netduinoplus2, posix"
            in output)


def test_run_without_a_file_or_with_a_missing_one_says_so(tmp_path):
    status, output = make("run", "FILE=%s" % (tmp_path / "absent.py"))
    assert status != 0 and "no such file: %s" % (tmp_path / "absent.py") in output
    status, output = make("run")
    assert status != 0 and "say which script, e.g. make run FILE=app.py" in output


def test_run_passes_on_the_script_status_and_output(tmp_path):
    script = tmp_path / "s.py"
    script.write_text("print('ran')\nraise SystemExit(3)\n")
    result = subprocess.run([REPO + "/.venv/bin/python", "run.py", str(script), "--target", "posix"],
                            cwd=REPO + "/tools", stdout=subprocess.PIPE, timeout=300)
    assert (result.returncode, result.stdout) == (3, b"ran\n")


def test_flash_without_a_probe_says_what_to_connect_and_the_command():
    status, output = make("flash", "BOARD=netduinoplus2")
    assert status != 0
    assert "no ST-Link probe found. Connect the netduinoplus2" in output
    assert ("It would run: st-flash --reset write %s/build/netduinoplus2/firmware.bin 0x08000000"
            % REPO) in output


@pytest.mark.parametrize("board", ["mps2-an385", "posix"])
def test_flash_refuses_boards_that_are_not_flashed(board):
    status, output = make("flash", "BOARD=%s" % board)
    assert status != 0
    assert "%s is not a board you can flash" % board in output
    assert "boards that flash: netduinoplus2" in output


def test_a_board_that_does_not_answer_is_named_with_its_last_output():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(b"booting...\r\nstuck in a loop\r\n")
        console = Console(ours, name="mps2-an385")
        with pytest.raises(NoAnswer) as raised:
            console.wait_for_prompt(timeout=1.5)
    message = str(raised.value)
    assert message.startswith("mps2-an385 did not answer")
    assert "stuck in a loop" in message
