"""`make demo`: boot the default board in QEMU with the exchange application
(examples/exchange) and its fault injector (examples/faults), and watch it
run, non-interactively.

The application prints as it goes and ends with one verdict line, "DEMO
PASSED" or "DEMO FAILED: why". This tool shows everything the board prints,
stops the board at the verdict, and exits 0 only for a pass (nonzero, with
the reason, otherwise: a failed verdict, a board that stops answering, or
no verdict in time).
"""
import argparse
import os
import sys

from boards import DEFAULT_BOARD, REPO
from build import BuildFailed, build_firmware
from emulator import QemuBoard
from repl import Console, NoAnswer, TextStream

APP = [os.path.join(REPO, "examples", "exchange"), os.path.join(REPO, "examples", "faults")]
PASSED = b"DEMO PASSED"
FAILED = b"DEMO FAILED"


def watch(board, timeout, out):
    """Boots the board, copies its console to `out` until the verdict;
    returns (passed, verdict line)."""
    firmware = build_firmware(board, app=APP)
    with QemuBoard(board, firmware, paused=True) as qemu:
        with qemu.connect() as sock:
            console = Console(sock, name=board)
            qemu.resume()

            show = TextStream(out)
            console.read_until(b"DEMO ", timeout=timeout, on_data=show)
            verdict = b"DEMO " + console.read_until(b"\r\n", timeout=30)
            show(verdict)
            return verdict.startswith(PASSED), verdict.decode(errors="replace").strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--board", default=DEFAULT_BOARD)
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds of real time to wait for the verdict")
    args = parser.parse_args()
    try:
        passed, verdict = watch(args.board, args.timeout, sys.stdout)
    except (BuildFailed, NoAnswer, ConnectionError) as error:
        sys.exit("make demo: %s" % error)
    if not passed:
        sys.exit("make demo: %s" % verdict)


if __name__ == "__main__":
    main()
