"""`make deploy APP=folder [BOARD=mps2-an385] [NODE=n1@127.0.0.1 [COOKIE=...]]`:
load the modules of APP that changed into a running system, without a
reflash, and upgrade the servers that run them (runtime/code.py).

The system is either the board `tools/board.py boot` started (its console
found in build/<board>/qemu.json), reached through its raw REPL; or, with
NODE, a node `make node` started (on any target), reached over the
distribution link: this process becomes a hidden node (our runtime on
CPython) and calls runtime.code there by rpc. Either way, deploy:
1. asks what runs there: code.digests(), the MD5 of each module's source
   that it knows (the image records its application's; a load its own);
2. compares APP's sources with it: a module whose MD5 differs, or that is
   missing there, has changed;
3. compiles each changed module with the mpy-cross that builds the image
   when the system is MicroPython (an .mpy is smaller and faster to load
   there); CPython gets the source;
4. for each, asks which servers run its callbacks (code.servers_of) and
   upgrades them (code.upgrade: suspend, load, code_change, resume; all or
   nothing), which loads it alone when none does;
and prints what changed and how long each step took. It exits 1 when a
module could not be upgraded (the system keeps its old version of it, and
deploy stops there).

While a tool holds a board's raw REPL its application is paused (the REPL's
hook does not run): each step is one short script, run with
runtime.evaluate, which runs the system until the step is done, and deploy
hands the friendly REPL back when it ends. Over the distribution link
nothing pauses. A reset boots the image again: `make firmware APP=...`
makes a deploy last.

    python tools/deploy.py --app examples/counter [--board mps2-an385]
    python tools/deploy.py --app examples/counter --node n1@127.0.0.1 [--cookie C]
"""
import argparse
import ast
import os
import re
import socket
import sys
import tempfile
import time

from board import read_state
from boards import DEFAULT_BOARD, UnknownBoard, is_emulated
from image import MpyCrossFailed, compile_mpy, md5_hex, module_name, python_files
from repl import CTRL_B, Console, NoAnswer
from targets import CPYTHON_PATHS

STEP_TIMEOUT_S = 60


class DeployFailed(RuntimeError):
    pass


def app_modules(app):
    """{module name: source path} of the .py files under `app`."""
    if not os.path.isdir(app):
        raise DeployFailed("APP must name a folder of .py files; not a folder: %s" % app)
    modules = {module_name(image_path): source for image_path, source in python_files(app, "")}
    if not modules:
        raise DeployFailed("APP %s holds no .py files" % app)
    return modules


class Board:
    """A running board's raw REPL: run a step, get back the repr it printed."""

    def __init__(self, board):
        state = read_state(board)
        if state is None:
            raise DeployFailed("%s is not running: boot it with `python tools/board.py boot "
                               "--board %s --app APP`, or give NODE= of a `make node`"
                               % (board, board))
        self.url = state["uarts"]["0"]
        self.where = "%s (%s)" % (board, self.url)
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

    async def what_runs(self):
        return self.run(WHAT_RUNS)

    async def upgrade(self, name, payload, digest):
        return self.run(UPGRADE % (name, payload, digest))

    def close(self):
        """Hand the friendly REPL (and with it the application) back."""
        try:
            self.console.write(CTRL_B)
            self.console.read_until(b">>> ", timeout=10)
        finally:
            self.sock.close()


WHAT_RUNS = """
from runtime import code
print(repr((code.mpy_version() is not None, code.digests())))
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


class Node:
    """A running node of the cluster (`make node`), reached over the
    distribution link: this process becomes a hidden node of its own (our
    runtime, on CPython) and calls runtime.code there by rpc. Timings are
    the host's, round trips included."""

    def __init__(self, name, cookie):
        self.name = name
        self.cookie = cookie
        self.where = "node %s" % name

    async def start(self):
        from runtime import node
        await node.start("deploy%d" % os.getpid(), cookie=self.cookie)
        if not await node.connect(self.name):
            raise DeployFailed("cannot reach node %s (is it up, with this cookie?)" % self.name)

    async def rpc(self, function, *args, timeout=STEP_TIMEOUT_S * 1000):
        from runtime import node
        answer = await node.rpc(self.name, "runtime.code", function, args, timeout=timeout)
        if type(answer) is tuple and answer and answer[0] == "badrpc":
            if answer[1] in ("nodedown", "timeout"):
                raise DeployFailed("node %s: %s during %s" % (self.name, answer[1], function))
            raise RemoteError(answer[1])
        return answer

    async def what_runs(self):
        return await self.rpc("mpy_version") is not None, await self.rpc("digests")

    async def upgrade(self, name, payload, digest):
        t0 = time.monotonic()
        servers = await self.rpc("servers_of", name)
        t1 = time.monotonic()
        try:
            await self.rpc("upgrade", name, payload, servers, None, 5000, digest)
        except RemoteError as e:
            return ("failed", e.step, e.text)
        return ("ok", [str(s) for s in servers], int((t1 - t0) * 1000),
                int((time.monotonic() - t1) * 1000))

    def close(self):
        pass


class RemoteError(Exception):
    """An rpc that raised on the node: `text` what it said, `step` the
    step an UpgradeError names."""

    def __init__(self, why):
        # An exception there comes back as ('EXIT', ((class name, text), stack)).
        raised = why[1][0] if type(why) is tuple and len(why) == 2 and type(why[1]) is tuple \
            and len(why[1]) == 2 and type(why[1][0]) is tuple else None
        self.text = raised[1].decode(errors="replace") if raised else repr(why)
        found = re.search(r" failed at (\w+)", self.text)
        self.step = found.group(1) if found else "rpc"
        super().__init__(self.text)


async def deploy(app, modules, target, out=sys.stdout):
    """Deploy `app` (`modules` its app_modules) through `target` (a Board
    or a Node); returns the number of modules that failed."""
    started = t = time.monotonic()
    micropython, on_board = await target.what_runs()
    # Each source read once: for its MD5 and, for CPython, as the payload.
    texts = {}
    for name, source in modules.items():
        with open(source, "rb") as f:
            texts[name] = f.read()
    local = {name: md5_hex(text) for name, text in texts.items()}
    changed = sorted(name for name in modules if on_board.get(name) != local[name])
    print("deploy %s to %s: %d module%s, %d changed; compared in %.2f s"
          % (app, target.where, len(modules), "" if len(modules) == 1 else "s",
             len(changed), time.monotonic() - t), file=out)
    failed = 0
    with tempfile.TemporaryDirectory() as workdir:
        for name in changed:
            failed = await deploy_module(target, name, modules[name], texts[name], local[name],
                                         on_board.get(name), micropython, workdir, out)
            if failed:
                break
    print("%s in %.2f s" % ("failed" if failed else "done", time.monotonic() - started), file=out)
    return failed


async def deploy_module(target, name, source, text, digest, board_md5, micropython, workdir,
                        out):
    """Compile (for MicroPython), send and upgrade one module (`source` its
    path, `text` what it holds, `digest` the MD5 of that); returns 1 if it
    failed."""
    was = "new" if board_md5 is None else "md5 %s" % board_md5[:8]
    if micropython:
        t = time.monotonic()
        try:
            payload = compile_mpy(source, name.replace(".", "/") + ".mpy", workdir)
        except MpyCrossFailed as e:
            raise DeployFailed(str(e))
        how = "mpy-cross %.2f s (%d bytes)" % (time.monotonic() - t, len(payload))
    else:
        payload = text
        how = "source (%d bytes)" % len(payload)
    print("  %s: %s -> md5 %s; %s" % (name, was, digest[:8], how), file=out)
    t = time.monotonic()
    outcome = await target.upgrade(name, payload, digest)
    took = time.monotonic() - t
    if outcome[0] != "ok":
        print("    FAILED at %s: %s (%.2f s)" % (outcome[1], outcome[2], took), file=out)
        return 1
    servers = ", ".join(outcome[1]) or "none"
    print("    sent and upgraded in %.2f s; servers found in %d ms (%s), "
          "suspend/load/code_change/resume in %d ms" % (took, outcome[2], servers, outcome[3]),
          file=out)
    return 0


def run_deploy(app, board, node_name, cookie):
    """Reach the target, deploy, let it go; returns the exit status."""
    if node_name:
        modules = app_modules(app)
        sys.path[:0] = CPYTHON_PATHS
        import runtime
        target = Node(node_name, cookie)
        outcome = []

        async def main():
            try:
                await target.start()
                outcome.append(await deploy(app, modules, target))
            except DeployFailed as e:
                outcome.append(e)

        reason = runtime.run(main, slice_ms=0)
        if not outcome:
            raise DeployFailed("the deploy ended with %r" % (reason,))
        if isinstance(outcome[0], DeployFailed):
            raise outcome[0]
        return 1 if outcome[0] else 0
    if not is_emulated(board):
        raise DeployFailed("%s does not run in QEMU; deploy reaches the boards that "
                           "tools/board.py boot started, and nodes (NODE=)" % board)
    modules = app_modules(app)
    target = Board(board)
    try:
        return 1 if run_blocking(deploy(app, modules, target)) else 0
    finally:
        target.close()


def run_blocking(coroutine):
    """Run a coroutine that never suspends (a Board's steps block) to its end."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    raise RuntimeError("deploy through the REPL suspended")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", required=True)
    parser.add_argument("--board", default=DEFAULT_BOARD)
    parser.add_argument("--node", help="a node's full name, e.g. n1@127.0.0.1: deploy over "
                        "the distribution link instead of a booted board's REPL")
    parser.add_argument("--cookie", help="the node's cookie (default: ~/.erlang.cookie)")
    args = parser.parse_args()
    try:
        sys.exit(run_deploy(args.app, args.board, args.node, args.cookie))
    except (DeployFailed, UnknownBoard, NoAnswer, ConnectionError) as e:
        sys.exit("make deploy: %s" % e)


if __name__ == "__main__":
    main()
