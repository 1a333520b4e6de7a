"""`make console [BOARD=mps2-an385]`: boot the board and attach this
terminal to its REPL. Ctrl-] leaves. On the posix board the firmware simply
runs in this terminal (Ctrl-D at an empty prompt leaves there).

With input from a pipe instead of a terminal, the console sends it all,
prints what the board answers, and leaves once the board has been quiet for
a second."""
import argparse
import os
import select
import sys
import termios
import tty

from boards import DEFAULT_BOARD, UnknownBoard, board_config, is_emulated
from build import BuildFailed, build_firmware
from emulator import QemuBoard

LEAVE = b"\x1d"     # Ctrl-]
QUIET_SECONDS = 1.0


def bridge(sock):
    stdin = sys.stdin.fileno()
    interactive = os.isatty(stdin)
    saved = termios.tcgetattr(stdin) if interactive else None
    if interactive:
        tty.setraw(stdin)
        sys.stdout.write("Connected; Ctrl-] leaves.\r\n")
        sys.stdout.flush()
    sock.sendall(b"\r")
    inputs = [stdin, sock]
    try:
        while True:
            timeout = None if stdin in inputs else QUIET_SECONDS
            ready, _, _ = select.select(inputs, [], [], timeout)
            if not ready:
                return
            if sock in ready:
                data = sock.recv(4096)
                if not data:
                    return
                os.write(sys.stdout.fileno(), data)
            if stdin in ready:
                data = os.read(stdin, 1024)
                if not data:
                    inputs.remove(stdin)
                elif LEAVE in data:
                    return
                else:
                    sock.sendall(data.replace(b"\n", b"\r") if not interactive else data)
    finally:
        if interactive:
            termios.tcsetattr(stdin, termios.TCSADRAIN, saved)
            sys.stdout.write("\r\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--board", default=DEFAULT_BOARD)
    parser.add_argument("--app", action="append", help="application folder(s) for the image")
    args = parser.parse_args()
    try:
        board_config(args.board)
        firmware = build_firmware(args.board, app=args.app)
    except (UnknownBoard, BuildFailed) as error:
        sys.exit("make console: %s" % error)
    if not is_emulated(args.board):
        os.execv(firmware, [firmware])
    # The guest's clock keeps to real time: a live system at the prompt
    # should not race through hours while the user types.
    with QemuBoard(args.board, firmware, sleep=True) as qemu:
        with qemu.connect() as sock:
            bridge(sock)


if __name__ == "__main__":
    main()
