"""make deploy against a board booted in QEMU by tools/board.py: the image
runs examples/counter (version 1) with a client calling the counter in a
loop; deploying version 2 (tests/tools/counter_v2) upgrades the running
server, the client sees no error and the count goes on; a version whose
code_change raises, and one with a syntax error, leave version 2 serving;
a deploy with nothing changed sends nothing; a reset boots the image's
version 1. One boot for all of it."""
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools"))

from deploy import Board  # noqa: E402

TOOLS = os.path.join(REPO, "tools")
PYTHON = os.path.join(REPO, ".venv", "bin", "python")
VERSION_2 = os.path.join(REPO, "tests", "tools", "counter_v2")

# Calls the counter until asked, then answers how many calls it made, whether
# their counts followed each other, and the errors it saw.
CLIENT = """
import runtime
from runtime import gen_server

async def client():
    seen, errors = [], []
    while True:
        try:
            seen.append(await gen_server.call("counter", "next"))
        except gen_server.CallExit as e:
            errors.append(str(e))
        asker = await runtime.receive(runtime.Pid, timeout=0)
        if asker is not runtime.TIMEOUT:
            runtime.send(asker, (len(seen), seen == list(range(seen[0], seen[0] + len(seen))),
                                 errors))

runtime.register("client", runtime.spawn(client))
print(repr("started"))
"""

STATUS = """
import runtime
from runtime import code, evaluate, gen_server

async def status():
    client = None
    if runtime.whereis("client") is not None:
        runtime.send("client", runtime.self_pid())
        client = await runtime.receive()
    app = [(v["origin"], v["vsn"]) for v in code.versions() if v["module"] == "app"]
    return client, await gen_server.call("counter", "version"), app

print(repr(evaluate(status)))
"""


def on_board(script):
    """Run `script` through the booted board's raw REPL (deploy's Board: it
    fails if the script raised), hand the friendly REPL (and the application)
    back; return the literal its last line printed."""
    board = Board("mps2-an385")
    try:
        return board.run(script)
    finally:
        board.close()


def deploy(app, make=False):
    command = (["make", "--no-print-directory", "deploy", "APP=" + app] if make
               else [PYTHON, os.path.join(TOOLS, "deploy.py"), "--app", app])
    result = subprocess.run(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            timeout=120)
    return result.returncode, result.stdout.decode()


def variant(tmp_path, name, old, new):
    """Version 2 with `old` replaced by `new`, in a folder of its own."""
    folder = tmp_path / name
    folder.mkdir()
    with open(os.path.join(VERSION_2, "app.py")) as f:
        source = f.read()
    assert old in source
    (folder / "app.py").write_text(source.replace(old, new))
    return str(folder)


def test_deploy_upgrades_a_running_board_and_a_reset_boots_the_image(tmp_path):
    raising = variant(tmp_path, "raising", "return {\"count\": count, \"since\": count}",
                      "raise ValueError(\"cannot convert\")")
    broken = variant(tmp_path, "broken", "def init(self, start):", "def init(self, start:")
    booted = subprocess.Popen([PYTHON, "board.py", "boot", "--app",
                               os.path.join(REPO, "examples", "counter")],
                              cwd=TOOLS, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        first = booted.stdout.readline().decode()
        assert "socket://127.0.0.1:" in first, first
        assert on_board(CLIENT) == "started"  # then deploy takes the console

        status, output = deploy(VERSION_2, make=True)
        assert status == 0, output
        assert re.search(r"1 module, 1 changed; compared in [\d.]+ s\n"
                         r"  app: md5 [0-9a-f]{8} -> md5 [0-9a-f]{8}; mpy-cross [\d.]+ s \(\d+ bytes\)\n"
                         r"    sent and upgraded in [\d.]+ s; servers found in \d+ ms "
                         r"\(counter\), suspend/load/code_change/resume in \d+ ms\n"
                         r"done in [\d.]+ s\n$", output), output

        status, output = deploy(raising)
        assert status == 1 and "FAILED at code_change: upgrading app failed at code_change of " \
            "'counter': ValueError: cannot convert; the old version goes on" in output, output
        status, output = deploy(broken)
        assert status == 1 and "mpy-cross failed" in output and "SyntaxError" in output, output
        status, output = deploy(VERSION_2)
        assert status == 0 and "1 module, 0 changed" in output, output

        (calls, counted_on, errors), (vsn, since), app = on_board(STATUS)
        assert errors == [] and counted_on and calls > since > 0
        assert vsn == 2 and app == [("loaded", 2)]

        assert subprocess.run([PYTHON, "board.py", "reset"], cwd=TOOLS).returncode == 0
        client, count, app = on_board(STATUS)
        assert client is None and count == 0 and app == [("image", None)]
    finally:
        subprocess.run([PYTHON, "board.py", "stop"], cwd=TOOLS, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        try:
            booted.wait(timeout=30)
        finally:
            if booted.poll() is None:
                booted.kill()
                booted.wait()
            booted.stdout.close()
