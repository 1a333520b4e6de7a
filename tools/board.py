"""Boot a board in QEMU for other tools to talk to, and control it.

    board.py boot [--board mps2-an385] [--app DIR]   # stays up until Ctrl-C
    board.py reset [--board ...]
    board.py stop [--board ...]

`boot` builds the firmware, boots it with every UART on a free loopback TCP
port, waits until the REPL answers, and prints where to reach it, e.g.

    mpremote connect socket://127.0.0.1:PORT exec "print(1)"

It keeps QEMU running until Ctrl-C (or `board.py stop`), then stops it: QEMU
never outlives this command. As under `make console`, an idle board's clock
keeps with real time (tools/emulator.py, sleep): while a tool holds the raw
REPL, which pauses the application, its clock does not race ahead and time
out the calls the application has under way (make deploy holds it). `reset` and `stop` act on the booted board
through its control socket (QMP), found in build/<board>/qemu.json.
"""
import argparse
import json
import os
import signal
import sys

from boards import DEFAULT_BOARD, UnknownBoard, build_dir, is_emulated
from build import BuildFailed, build_firmware
from emulator import QemuBoard
from qemu.qmp.legacy import QEMUMonitorProtocol
from repl import Console, NoAnswer


def state_path(board):
    return os.path.join(build_dir(board), "qemu.json")


def read_state(board):
    """What `boot` recorded of the running board (pid, control socket,
    UARTs), or None when it is not booted."""
    try:
        with open(state_path(board)) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def boot(board, app):
    firmware = build_firmware(board, app=app)
    with QemuBoard(board, firmware, sleep=True, control=True) as qemu:
        with qemu.connect() as sock:
            Console(sock, name=board).wait_for_prompt()
        state = {"board": board, "pid": qemu.process.pid, "control": qemu.control_path,
                 "uarts": {n: "socket://127.0.0.1:%d" % port for n, port in qemu.ports.items()}}
        with open(state_path(board), "w") as f:
            json.dump(state, f)
        print("%s is up; its REPL (UART0): %s" % (board, state["uarts"][0]))
        for n in sorted(state["uarts"])[1:]:
            print("  uart(%d): %s" % (n, state["uarts"][n]))
        print("  try: .venv/bin/mpremote connect %s exec \"print('hello')\"" % state["uarts"][0])
        print("Ctrl-C (or board.py stop) stops it.")
        sys.stdout.flush()
        try:
            qemu.process.wait()
        except KeyboardInterrupt:
            pass
        finally:
            os.unlink(state_path(board))


def control(board, command):
    state = read_state(board)
    if state is None:
        sys.exit("board.py: %s is not booted (run: board.py boot --board %s)" % (board, board))
    monitor = QEMUMonitorProtocol(state["control"])
    monitor.connect()
    monitor.cmd("system_reset" if command == "reset" else "quit")
    try:
        monitor.close()
    except EOFError:
        pass  # after quit, QEMU has closed the socket first
    print("%s: %s" % (board, "reset" if command == "reset" else "stopped"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["boot", "reset", "stop"])
    parser.add_argument("--board", default=DEFAULT_BOARD)
    parser.add_argument("--app")
    args = parser.parse_args()
    try:
        if not is_emulated(args.board):
            sys.exit("board.py: %s does not run in QEMU" % args.board)
        if args.command == "boot":
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            boot(args.board, args.app)
        else:
            control(args.board, args.command)
    except (UnknownBoard, BuildFailed, NoAnswer) as error:
        sys.exit("board.py: %s" % error)


if __name__ == "__main__":
    main()
