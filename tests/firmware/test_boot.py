"""Every board builds, boots and runs scripts; scripts report failure."""
import os

import pytest

from boards import emulated_boards
from targets import run_script

EMULATED_BOARDS = emulated_boards()

BOARDS = ["posix"] + EMULATED_BOARDS


@pytest.fixture
def script(tmp_path):
    def write(text):
        path = tmp_path / "script.py"
        path.write_text(text)
        return str(path)
    return write


@pytest.mark.parametrize("board", BOARDS)
def test_board_builds_boots_and_runs_a_script(board, script):
    outcome = run_script(board, script(
        "import libos, sys\n"
        "info = libos.board()\n"
        "print(info['name'], info['target'], sys.platform)\n"
        "print(sum(i * i for i in range(10)), 2 ** 70, 1.5 * 2)\n"))
    kind = "posix" if board == "posix" else "device"
    assert outcome.output == "%s %s %s\n285 1180591620717411303424 3.0\n" % (board, kind, board)
    assert outcome.status == 0


@pytest.mark.parametrize("board", BOARDS)
def test_a_raising_script_gives_nonzero_status_and_its_traceback(board, script):
    outcome = run_script(board, script("print('before')\nraise ValueError('boom')\n"))
    assert outcome.status != 0
    assert outcome.output.startswith("before\nTraceback (most recent call last):\n")
    assert outcome.output.endswith("ValueError: boom\n")


@pytest.mark.parametrize("board", BOARDS)
def test_the_port_has_the_modules_the_runtime_needs(board, script):
    outcome = run_script(board, script(
        "import collections, struct, array, gc, micropython, sys, io\n"
        "d = collections.deque((), 4)\n"
        "d.append(1)\n"
        "print(d.popleft(), struct.pack('<H', 258), array.array('i', [1, 2])[1])\n"
        "s = io.StringIO()\n"
        "sys.print_exception(KeyError('k'), s)\n"
        "print(s.getvalue().strip().splitlines()[-1])\n"
        "for absent in ('time', 'os', 'asyncio'):\n"
        "    try:\n"
        "        __import__(absent)\n"
        "        print('has', absent)\n"
        "    except ImportError:\n"
        "        pass\n"
        "try:\n"
        "    open('x')\n"
        "except OSError as e:\n"
        "    print('open:', e)\n"))
    assert outcome.output == ("1 b'\\x02\\x01' 2\nKeyError: k\n"
                              "open: open(): this board has no file system\n")


@pytest.mark.parametrize("board", ["posix", "mps2-an385"])
def test_the_frozen_image_imports_in_place(board, script):
    # image_app holds greeting.py and a package pkg/ with a relative import.
    outcome = run_script(board, script(
        "import greeting, pkg.more\n"
        "print(greeting.hello(), pkg.more.NEXT, greeting.__file__)\n"),
        app=os.path.join(os.path.dirname(__file__), "image_app"))
    assert outcome.output == "hello from the image 42 /rom/greeting.mpy\n"


# On mps2-an385 the app's collection is boot's first (its heap is large);
# on netduinoplus2 one during the imports before it would take the blocks.
@pytest.mark.parametrize("board", ["mps2-an385"])
def test_what_the_boot_holds_survives_a_collection_during_boot(board, script):
    # collecting_app fills the heap's free blocks at boot and keeps them
    # (HELD); the script then allocates over whatever is free.
    outcome = run_script(board, script(
        "import app\n"
        "junk = [bytearray(16) for _ in range(256)]\n"
        "print(all(held == (n, n, n) for n, held in enumerate(app.HELD)))\n"),
        app=os.path.join(os.path.dirname(__file__), "collecting_app"))
    assert outcome.output == "True\n"
