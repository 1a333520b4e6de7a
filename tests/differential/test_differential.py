"""Differential tests against OTP 25: for each scenario, NAME.erl run by
the real `erl` is the oracle, and NAME.py, the same scenario written with
the runtime, must print the same lines on every target.

Both sides print `label: term` lines through their prelude (dshow.erl,
prelude.py), which writes terms one way: atoms (str) bare, true/false,
undefined (None), integers, {tuples}, [lists], #{maps} with sorted keys,
and every pid and reference as <pid> and <ref>, so that lines compare
without the numbers each system gives them.

Where the runtime differs from OTP on purpose, the scenario leaves that
point out and says why where it does: a failed call's reason names the
call's arguments as a tuple with the timeout always (its Python form),
count_children answers a dict, exit reasons carry no Erlang stack trace
(OTP's {Reason, Stack} of a crash is Reason here: a non-trapping link to
a dead process exits with plain 'noproc', a bad gen_statem result with
(tag, result)), process_info reads at once (OTP's is a signal, answered
in order after the messages sent before it), and which_children's order
is not compared (OTP does not document it; ours is start order).

Cost: the oracles are compiled by one erlc and run in one erl, once per
session; on a board every scenario runs in one boot (raw REPL, one paste
per scenario); on posix and CPython one process per scenario. TARGETS
picks targets as for tests/test_scenarios.py.
"""
import difflib
import glob
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tools"))
sys.path.insert(0, os.path.dirname(HERE))

from targets import BoardSession, run_script  # noqa: E402
from test_scenarios import normalize, targets  # noqa: E402

MARK = "=== scenario "
PRELUDE = os.path.join(HERE, "prelude.py")


def scenarios():
    return sorted(os.path.basename(path)[:-4] for path in glob.glob(os.path.join(HERE, "*.erl"))
                  if os.path.exists(path[:-4] + ".py"))


@pytest.fixture(scope="session")
def oracle():
    """{scenario: what OTP printed}, from one erlc and one erl."""
    names = scenarios()
    out = tempfile.mkdtemp(prefix="differential-")
    try:
        sources = glob.glob(os.path.join(HERE, "*.erl"))  # with their helper modules
        subprocess.run(["erlc", "-o", out] + sources, check=True, capture_output=True, text=True)
        # Each main in a process of its own, as each Python scenario has a
        # runtime of its own: no trap_exit flag or message left over.
        runs = ("[begin io:format(\"%s~s~n\", [M]), {_, R} = spawn_monitor(M, main, []), "
                "receive {'DOWN', R, _, _, _} -> ok end end || M <- [%s]], init:stop()."
                % (MARK, ",".join(names)))
        done = subprocess.run(
            ["erl", "-noshell", "-pa", out, "-kernel", "logger_level", "none", "-eval", runs],
            capture_output=True, text=True, timeout=120, cwd=out)
    finally:
        shutil.rmtree(out)
    printed = {}
    name = None
    for line in done.stdout.splitlines(True):
        if line.startswith(MARK):
            name = line[len(MARK):].strip()
            printed[name] = ""
        elif name is not None:
            printed[name] += line
    missing = [n for n in names if n not in printed]
    assert not missing, "erl did not run %s:\n%s" % (missing, done.stdout + done.stderr)
    return {n: normalize(printed[n]) for n in names}


def code_of(name):
    """The scenario's code as a target runs it: NAME.py with prelude.py in
    place of its line `from prelude import ...` (a board has no prelude
    module to import)."""
    with open(PRELUDE) as f:
        prelude = f.read()
    with open(os.path.join(HERE, name + ".py")) as f:
        lines = f.read().split("\n")
    at = [i for i, line in enumerate(lines) if line.startswith("from prelude import ")]
    assert len(at) == 1, "%s.py must import its helpers from prelude once" % name
    lines[at[0]] = prelude
    return "\n".join(lines)


@pytest.fixture(scope="session")
def boards():
    booted = {}
    yield booted
    for board in booted.values():
        board.close()


def run_on(target, name, boards, tmp_path):
    if target in ("cpython", "posix"):
        path = tmp_path / (name + ".py")
        path.write_text(code_of(name))
        return run_script(target, str(path), 120).output
    if target not in boards:
        boards[target] = BoardSession(target)  # one boot for every scenario of the session
    return boards[target].run(code_of(name), 120)


@pytest.mark.parametrize("target", targets())
@pytest.mark.parametrize("name", scenarios())
def test_same_as_otp(name, target, oracle, boards, tmp_path):
    output = normalize(run_on(target, name, boards, tmp_path))
    expected = oracle[name]
    if output != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(True), output.splitlines(True),
            "%s.erl on erl" % name, "%s.py on %s" % (name, target)))
        pytest.fail("%s differs from OTP on %s:\n%s" % (name, target, diff), pytrace=False)
