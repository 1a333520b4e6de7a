"""`make node NAME=n1 [TARGET=posix|cpython|mps2-an385|netduinoplus2] [APP=folder]
[COOKIE=secret] [TICKTIME=60] [NODES=a@h,b@h [FAILOVER_MS=0]]`: a node of an
Erlang cluster running APP (with NODES, as a distributed application that
runs on one of those nodes and moves when it dies: runtime/distributed.py).

Starts EPMD if none runs, then node_main.py (or --script, for tests) on the
target: the posix build, with APP in its image, or CPython with APP on its
path, which listen on TCP and register with EPMD themselves; or a board in
QEMU, booted with APP in its image and paced in real time (a cluster's
ticks are wall-clock), whose UART2 the host bridge (bridge.py) relays to
the cluster (its image made so that the application starts once the node
is up, tools/node_image). Prints what the node prints; runs until Ctrl-C or SIGTERM,
then stops what it started. The cookie defaults to ~/.erlang.cookie, made
(as erl makes it) when missing.
"""
import argparse
import os
import random
import signal
import string
import subprocess
import sys

from boards import is_emulated, known_boards
from build import BuildFailed, build_firmware
from epmd_daemon import ensure_epmd
from board_node import run_on_board
from targets import cpython_env

HOST_TARGETS = ("posix", "cpython")
HERE = os.path.dirname(os.path.abspath(__file__))
NODE_IMAGE = os.path.join(HERE, "node_image")


def cookie_file():
    """~/.erlang.cookie's text, made first if missing: 20 capital letters,
    readable by its owner only, as erl makes it."""
    path = os.path.join(os.path.expanduser("~"), ".erlang.cookie")
    if not os.path.exists(path):
        text = "".join(random.SystemRandom().choice(string.ascii_uppercase) for _ in range(20))
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400), "w") as f:
            f.write(text)
    with open(path) as f:
        return f.read().strip()


def command_for(target, app, main, args):
    if target == "cpython":
        env = cpython_env()
        if app:
            env["PYTHONPATH"] = app + os.pathsep + env["PYTHONPATH"]
        return [sys.executable, "-u", main] + args, env
    with open(main) as f:
        code = f.read()
    return [build_firmware("posix", app), "-c", code] + args, dict(os.environ)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", default="n1")
    parser.add_argument("--target", default="posix")
    parser.add_argument("--app")
    parser.add_argument("--cookie")
    parser.add_argument("--ticktime", type=int, default=60)
    parser.add_argument("--nodes", default="",
                        help="comma-separated full names: run APP as a distributed application")
    parser.add_argument("--failover-ms", type=int, default=0)
    parser.add_argument("--script", default=os.path.join(HERE, "node_main.py"),
                        help="what the node runs, given NAME COOKIE TICKTIME [NODES FAILOVER_MS] (tests)")
    args = parser.parse_args()
    board = args.target in known_boards() and args.target not in HOST_TARGETS
    if board and not is_emulated(args.target):
        sys.exit("make node: %s is not a board QEMU runs" % args.target)
    if not board and args.target not in HOST_TARGETS:
        sys.exit("make node: unknown TARGET %r; a node runs on %s or a board in QEMU (%s)"
                 % (args.target, " or ".join(HOST_TARGETS),
                    ", ".join(b for b in known_boards() if b not in HOST_TARGETS)))
    if args.app and not os.path.isfile(os.path.join(args.app, "app.py")):
        sys.exit("make node: APP %s has no app.py" % args.app)
    if args.ticktime < 1:
        sys.exit("make node: TICKTIME is whole seconds, at least 1")
    ensure_epmd()
    cookie = args.cookie or cookie_file()
    program_args = [args.name, cookie, str(args.ticktime)]
    if args.nodes:
        if not args.app:
            sys.exit("make node: NODES needs an APP to run on them")
        program_args += [args.nodes, str(args.failover_ms)]
    try:
        if board:
            firmware = build_firmware(args.target, [args.app, NODE_IMAGE] if args.app else None)
            run_on_board(args.target, firmware, args.script, program_args)
            return
        command, env = command_for(args.target, args.app, args.script, program_args)
    except BuildFailed as e:
        sys.exit("make node: %s" % e)
    node = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL)

    def stop(signum, frame):
        node.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    status = node.wait()
    sys.exit(0 if status in (0, -signal.SIGTERM) else status)


if __name__ == "__main__":
    main()
