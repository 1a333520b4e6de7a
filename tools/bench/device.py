"""Run one bench program on a board in QEMU, as the driver runs a host one:

    python tools/bench/device.py BOARD FIRMWARE PROGRAM WORKLOAD [key=value ...]

Boots the board (under `-icount shift=0`: one virtual ns per guest
instruction), sends the program through the raw REPL behind a first line that
sets `sys.argv` (a device has no command line and no files), and prints what
the program printed. Exits 1 with the device's exception text on stderr if
the program raised. A fresh QEMU per run: no run sees another's heap.
"""
import os
import sys

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOOLS)

from repl import console_text  # noqa: E402
from targets import exec_on_board  # noqa: E402

TIMEOUT_S = 600  # the driver's own timeout kills this process (and QEMU with it) first


def prelude(argv):
    """The line that gives the program its command line."""
    return "import sys; sys.argv[:] = %r\n" % (list(argv),)


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__.split("\n\n")[1])
    board, firmware, program = argv[:3]
    with open(program) as f:
        code = prelude([os.path.basename(program)] + argv[3:]) + f.read()
    output, error = exec_on_board(board, firmware, code, TIMEOUT_S)
    sys.stdout.write(console_text(output))
    if error:
        sys.stderr.write(console_text(error))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
