"""A board in QEMU as a node of the cluster: boot it, bridge its cluster
UART (tools/bridge.py), and run a program on it through its raw REPL, its
output to ours, until the program ends or we are stopped (SIGTERM, Ctrl-C).

    python tools/board_node.py --board B [--firmware ELF] [--icount] PROGRAM ARGS...

Paced in real time by default (QEMU without -icount: the guest's clock is
the host's, as a cluster's wall-clock ticks need); --icount runs it under
-icount shift=0 (sleep on), where the time the CPU works, libos.ticks_us()
less libos.idle_us(), counts guest instructions (one per nanosecond): for
benchmarks, with a tick time long enough for a guest that runs slower than
the host's clock. make node (node.py) and make bench (bench/pair.py) use it.
"""
import argparse
import os
import signal
import subprocess
import sys

from build import build_firmware
from emulator import QemuBoard
from repl import Console, TextStream

HERE = os.path.dirname(os.path.abspath(__file__))
CLUSTER_UART = 2   # as runtime/node.py: the board's UART to the bridge
FOREVER_S = 10 * 365 * 24 * 3600


def run_on_board(board, firmware, program, args, icount=False):
    """Boot `firmware` on `board`, bridge its UART2, run `program` with
    `args` as its sys.argv[1:]; returns when it ends or on SIGTERM/Ctrl-C."""
    qemu = QemuBoard(board, firmware, realtime=not icount, sleep=icount).start()
    bridge = subprocess.Popen([sys.executable, os.path.join(HERE, "bridge.py"), "--connect",
                               "127.0.0.1:%d" % qemu.uart_port(CLUSTER_UART)],
                              stdout=sys.stderr)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        console = Console(qemu.connect(), name=board)
        console.enter_raw()
        with open(program) as f:
            code = "import sys; sys.argv[:] = %r\n" % ([os.path.basename(program)] + args) + f.read()
        console.exec_raw(code.encode(), timeout=FOREVER_S, on_output=TextStream(sys.stdout))
    except KeyboardInterrupt:
        pass
    finally:
        bridge.terminate()
        bridge.wait()
        qemu.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--board", required=True)
    parser.add_argument("--firmware", help="default: the board's plain image, built if needed")
    parser.add_argument("--icount", action="store_true")
    parser.add_argument("program")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    firmware = args.firmware or build_firmware(args.board)
    run_on_board(args.board, firmware, args.program, args.args, args.icount)


if __name__ == "__main__":
    main()
