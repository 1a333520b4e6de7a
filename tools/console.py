"""`make console [BOARD=mps2-an385]`: boot the board and attach this
terminal to its REPL. Ctrl-] leaves. On the posix board the firmware simply
runs in this terminal (Ctrl-D at an empty prompt leaves there).

With input from a pipe instead of a terminal, the console types it line by
line, each once the board has been quiet for a moment (the REPL runs the
system only while it waits for input, so a script pasted at once would give
the system no time between its lines), prints what the board answers, and
leaves once the board has been quiet for a second."""
import argparse
import os
import select
import sys
import termios
import time
import tty

from boards import DEFAULT_BOARD, UnknownBoard, board_config, is_emulated
from build import BuildFailed, build_firmware
from emulator import QemuBoard

LEAVE = b"\x1d"     # Ctrl-]
QUIET_SECONDS = 1.0  # piped input: the board is done once quiet this long
PAUSE_SECONDS = 0.5  # piped input: quiet this long before the next line
LONGEST_WAIT = 5.0   # piped input: the longest wait for quiet
BOOT_SECONDS = 60.0  # piped input: the longest wait for the first prompt


def bridge(sock):
    """Attach this terminal to the board's console until Ctrl-]."""
    stdin = sys.stdin.fileno()
    saved = termios.tcgetattr(stdin)
    tty.setraw(stdin)
    sys.stdout.write("Connected; Ctrl-] leaves.\r\n")
    sys.stdout.flush()
    sock.sendall(b"\r")
    try:
        while True:
            ready, _, _ = select.select([stdin, sock], [], [])
            if sock in ready:
                data = sock.recv(4096)
                if not data:
                    return
                os.write(sys.stdout.fileno(), data)
            if stdin in ready:
                data = os.read(stdin, 1024)
                if not data or LEAVE in data:
                    return
                sock.sendall(data)
    finally:
        termios.tcsetattr(stdin, termios.TCSADRAIN, saved)
        sys.stdout.write("\r\n")


def type_lines(sock, lines):
    """Type `lines` at the board's console, each once it has been quiet;
    the first once the REPL has shown its prompt (a slow boot is quiet too)."""
    sock.sendall(b"\r")
    seen = b""
    deadline = time.monotonic() + BOOT_SECONDS
    while b">>> " not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([sock], [], [], deadline - time.monotonic())
        data = sock.recv(4096) if ready else b""
        if not data:
            break
        os.write(sys.stdout.fileno(), data)
        seen = (seen + data)[-4:]
    for line in lines:
        echo_until_quiet(sock, PAUSE_SECONDS)
        sock.sendall(line.rstrip(b"\r\n") + b"\r")
    echo_until_quiet(sock, QUIET_SECONDS)


def echo_until_quiet(sock, quiet):
    """Print what the board says until it has said nothing for `quiet` s
    (or for at most LONGEST_WAIT s: a busy application may never be quiet)."""
    deadline = time.monotonic() + LONGEST_WAIT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([sock], [], [], quiet)
        if not ready:
            return
        data = sock.recv(4096)
        if not data:
            return
        os.write(sys.stdout.fileno(), data)


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
            if os.isatty(sys.stdin.fileno()):
                bridge(sock)
            else:
                type_lines(sock, sys.stdin.buffer.readlines())


if __name__ == "__main__":
    main()
