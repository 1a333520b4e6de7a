"""`make console`: the REPL of the default board with the exchange running,
driven as the README shows (list processes, kill one, watch it come back),
here with the session piped in."""
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SESSION = b"""import runtime
sorted(runtime.registered())
old = runtime.whereis("analysis")
runtime.exit(old, "kill")
(old, runtime.whereis("analysis"))
"""


def test_the_console_shows_the_exchange_running_and_a_killed_server_restarted():
    run = subprocess.run(["make", "--no-print-directory", "console"], cwd=REPO, input=SESSION,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    out = run.stdout.decode(errors="replace").replace("\r\n", "\n")
    assert run.returncode == 0, out
    names = re.search(r"sorted\(runtime.registered\(\)\)\n(\[.*\])\n", out)
    assert names, out
    for name in ("exchange", "core", "analysis", "calls", "lines", "line:1001"):
        assert "'%s'" % name in names.group(1), out
    assert "child_terminated: id 'analysis'" in out and "reason 'killed'" in out, out
    assert "child_restarted: id 'analysis'" in out, out
    pids = re.search(r"\(old, runtime.whereis\(\"analysis\"\)\)\n\((<0\.\d+\.0>), (<0\.\d+\.0>)\)", out)
    assert pids and pids.group(1) != pids.group(2), out
