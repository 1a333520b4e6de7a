"""The REPL on every board: friendly and raw, raw-paste, mpremote, Ctrl-C,
Ctrl-D soft reboot."""
import subprocess

import pytest

from boards import REPO, emulated_boards
from repl import NoAnswer

EMULATED_BOARDS = emulated_boards()


@pytest.mark.parametrize("board", EMULATED_BOARDS)
def test_raw_paste_runs_a_script_and_streams_its_output(booted, board):
    qemu, console = booted(board)
    console.enter_raw()
    seen = []
    output, error = console.exec_raw(
        "for i in range(3):\n    print('line', i)\n", on_output=seen.append)
    assert output == b"line 0\r\nline 1\r\nline 2\r\n"
    assert b"".join(seen) == output
    assert error == b""
    output, error = console.exec_raw("1/0")
    assert output == b""
    assert error.endswith(b"ZeroDivisionError: divide by zero\r\n")


def test_mpremote_exec_against_the_emulated_board(booted):
    qemu, console = booted("mps2-an385")
    console.sock.close()
    result = subprocess.run(
        [REPO + "/.venv/bin/mpremote", "connect", qemu.console_url, "exec",
         "import libos; print(libos.board()['name'], 6 * 7)"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    assert result.stdout.decode().replace("\r\n", "\n") == "mps2-an385 42\n"
    assert result.returncode == 0


def interrupt(console, tries=30):
    """Press Ctrl-C until the prompt comes back; return what came. Once a
    second, as a user would: the echo of the line comes before the loop
    starts, and a Ctrl-C that arrives before it is just a typed character."""
    for _ in range(tries):
        console.write(b"\x03")
        try:
            return console.read_until(b">>> ", timeout=1)
        except NoAnswer:
            pass
    raise NoAnswer(console.name, b">>> ", console.seen)


@pytest.mark.parametrize("board", ["mps2-an385"])
def test_ctrl_c_interrupts_a_busy_loop_at_the_repl(booted, board):
    qemu, console = booted(board)
    console.wait_for_prompt()
    console.write(b"while True: pass\r\r")
    console.read_until(b"... \r\n", timeout=10)
    assert b"KeyboardInterrupt" in interrupt(console)
    console.wait_for_prompt()  # past any Ctrl-C that came as a typed character
    console.write(b"print('still here')\r")
    assert b"still here\r\n>>> " in console.read_until(b">>> ", timeout=10)


def test_ctrl_c_interrupts_a_busy_loop_on_posix(posix_repl):
    console = posix_repl()
    console.wait_for_prompt()
    console.write(b"while True: pass\r\r")
    console.read_until(b"... ", timeout=10)
    assert b"KeyboardInterrupt" in interrupt(console)


@pytest.mark.parametrize("board", EMULATED_BOARDS)
def test_ctrl_d_soft_reboots_and_forgets_the_session(booted, board):
    qemu, console = booted(board)
    console.wait_for_prompt()
    console.write(b"x = 1\r")
    console.read_until(b">>> ", timeout=10)
    console.write(b"\x04")
    console.read_until(b"MPY: soft reboot\r\n", timeout=30)
    console.read_until(b">>> ", timeout=30)
    console.write(b"print('x' in globals())\r")
    assert b"False\r\n" in console.read_until(b">>> ", timeout=10)


def test_the_posix_board_serves_the_same_raw_repl(posix_repl):
    console = posix_repl()
    console.enter_raw()
    output, error = console.exec_raw("import libos\nprint(libos.board()['target'])\n")
    assert (output, error) == (b"posix\n", b"")
