"""`make node NAME=n1 [TARGET=posix|cpython] [APP=folder] [COOKIE=secret]
[TICKTIME=60]`: a node of an Erlang cluster on a host target, running APP.

Starts EPMD if none runs, then node_main.py on the target (the posix build,
with APP in its image, or CPython with APP on its path), which registers
the node and starts the application. Prints what the node prints; runs
until Ctrl-C or SIGTERM, then stops the node. The cookie defaults to
~/.erlang.cookie, made (as erl makes it) when missing.
"""
import argparse
import os
import random
import signal
import string
import subprocess
import sys

from boards import known_boards
from build import BuildFailed, build_firmware
from targets import cpython_env

HOST_TARGETS = ("posix", "cpython")
HERE = os.path.dirname(os.path.abspath(__file__))


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


def command_for(target, app, name, cookie, ticktime):
    main = os.path.join(HERE, "node_main.py")
    args = [name, cookie, str(ticktime)]
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
    args = parser.parse_args()
    if args.target in known_boards() and args.target not in HOST_TARGETS:
        sys.exit("make node: %s cannot join a cluster yet: boards reach one through a "
                 "UART carrier and a host bridge, still to be built; use TARGET=posix or "
                 "TARGET=cpython" % args.target)
    if args.target not in HOST_TARGETS:
        sys.exit("make node: unknown TARGET %r; a node runs on %s"
                 % (args.target, " or ".join(HOST_TARGETS)))
    if args.app and not os.path.isfile(os.path.join(args.app, "app.py")):
        sys.exit("make node: APP %s has no app.py" % args.app)
    if args.ticktime < 1:
        sys.exit("make node: TICKTIME is whole seconds, at least 1")
    subprocess.run(["epmd", "-daemon"], check=True)
    cookie = args.cookie or cookie_file()
    try:
        command, env = command_for(args.target, args.app, args.name, cookie, args.ticktime)
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
