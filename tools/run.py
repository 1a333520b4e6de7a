"""`make run FILE=app.py [TARGET=mps2-an385]`: run a script with the
runtime on a target, stream its output, and exit with its status."""
import argparse
import os
import sys

from boards import DEFAULT_BOARD
from build import BuildFailed
from repl import NoAnswer, TextStream
from targets import known_targets, run_script


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file")
    parser.add_argument("--target", default=DEFAULT_BOARD)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    if args.target not in known_targets():
        sys.exit("make run: unknown TARGET %r; known targets: %s"
                 % (args.target, ", ".join(known_targets())))
    if not args.file:
        sys.exit("make run: say which script, e.g. make run FILE=app.py")
    if not os.path.isfile(args.file):
        sys.exit("make run: no such file: %s" % args.file)

    try:
        outcome = run_script(args.target, args.file, timeout=args.timeout,
                             on_output=TextStream(sys.stdout))
    except (BuildFailed, NoAnswer, TimeoutError) as error:
        sys.exit("make run: %s" % error)
    sys.exit(outcome.status)


if __name__ == "__main__":
    main()
