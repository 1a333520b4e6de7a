"""Nothing one process does brings the runtime down: each probe in probes/
runs a system that does something hostile (floods, bombs, exhaustion,
swallowed exits, hostile reasons and arguments...) on posix, mps2-an385 and
netduinoplus2, and then checks that the runtime is whole (prelude.py): run()
returned, no process is left, a fresh ping-pong works, and the free heap
after a collection is back within HEAP_SLACK of where it was (or, if it
is not, around a second run of the same system: prelude.py).

The boards run in QEMU in virtual time (the probes' sleeps cost nothing),
one board per target for the whole module, each probe through its raw REPL
after a soft reboot (Ctrl-D), so that each finds the heap as a fresh board
has it, not cut up by the probes before it and their leftover globals.
"""
import os
import re
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools"))

from targets import BoardSession, run_script  # noqa: E402

TARGETS = ["posix", "mps2-an385", "netduinoplus2"]
# "Back where it was", give or take what a run may leave behind once and for
# all: a table of MicroPython's grown to a new size. More than that, and the
# probe runs its system again and is judged around the second run
# (prelude.py).
HEAP_SLACK = {"posix": 16384, "mps2-an385": 8192, "netduinoplus2": 6144}
TIMEOUT = 300

# What each probe's system must have come to (its main's result, as
# logger.describe prints it), as a regular expression.
OUTCOMES = {
    "mailbox_flood": r"\('max_queue', \d+\)",
    # (The flooder meets the full heap in its sends; at mps2-an385's speed
    # each of them then costs a collection, and it may be cut first.)
    "big_flood": r"\(('MemoryError'|\('slice_exceeded', 100\)), 'out_of_memory'\)",
    "fork_bomb": r"\('at the limit', True\)",
    "spawn_exhaustion": r"\('MemoryError after', True\)",
    "huge_alloc": r"\('MemoryError', 'MemoryError'\)",
    "growing_list": r"\('MemoryError', True\)",
    "timer_flood": r"'MemoryError'",
    "monitor_flood": r"\('MemoryError', True\)",
    "link_storm": r"\(1, (101|1001), 1\)",
    "crash_storm": r"\(True, True\)",
    "callback_exceptions": (r"\('ValueError', 'ValueError', 'ValueError', 'ValueError', "
                            r"'ValueError', 'ValueError', 'ok', 'ValueError', 'ValueError', "
                            r"'ValueError', 'shutdown'\)"),
    "swallowers": (r"\(\('slice_exceeded', 100\), 'stop', 'stop', 'TypeError'\)"),
    "runaway_callback": r"\(\('slice_exceeded', 100\), 'served'\)",
    "deep_recursion": r"\('RuntimeError', 'RuntimeError'\)",
    "hostile_messages": r"\('RuntimeError', 'RuntimeError', True\)",
    "hostile_reasons": (r"\('Unprintable', 'Endless', 'Incomparable', "
                        r"\('bad_exit_reason', 'too_deep'\), \('bad_exit_reason', 'too_deep'\), "
                        r"\('bad_exit_reason', 'too_large'\)\)"),
    "timers_to_dead": r"\(True, True\)",
    "ticker_hog": r"\('MemoryError', True\)",
    "bad_arguments": r"\('all refused', \[\]\)",
    "thousand_children": r"\(True, 'shutdown', 1\)",
    "supervisor_exhaustion": r"\('MemoryError', True, 'shutdown'\)",
    "cut_traceback": r"\(\('slice_exceeded', 100\), True\)",
}
LINE = re.compile(r"^PROBE (\w+): (.*) \| processes (\d+) \| ping (.*) \| heap (\d+) -> (\d+)$",
                  re.M)


def probe_names():
    return sorted(name[:-3] for name in os.listdir(os.path.join(HERE, "probes"))
                  if name.endswith(".py"))


def probe_code(name, target):
    with open(os.path.join(HERE, "prelude.py")) as f:
        prelude = f.read()
    with open(os.path.join(HERE, "probes", name + ".py")) as f:
        return "HEAP_SLACK = %d\n" % HEAP_SLACK[target] + prelude + "\n" + f.read()


@pytest.fixture(scope="module")
def boards():
    made = {}
    yield made
    for board in made.values():
        board.close()


def run_probe(target, name, boards, tmp_path):
    code = probe_code(name, target)
    if target == "posix":
        path = tmp_path / (name + ".py")
        path.write_text(code)
        return run_script("posix", str(path), TIMEOUT).output
    if target not in boards:
        # One board for the module's probes (booted again if a probe left it
        # unable to answer), soft-rebooted before each probe.
        boards[target] = BoardSession(target, reboot=True)
    return boards[target].run(code, TIMEOUT)


@pytest.mark.parametrize("name", probe_names())
@pytest.mark.parametrize("target", TARGETS)
def test_probe(target, name, boards, tmp_path):
    output = run_probe(target, name, boards, tmp_path)
    found = LINE.search(output)
    assert found, "%s on %s printed no PROBE line:\n%s" % (name, target, output)
    probe, outcome, processes, ping, before, after = found.groups()
    report = "%s on %s: %s (heap %s -> %s)\n%s" % (name, target, outcome, before, after, output)
    assert re.fullmatch(OUTCOMES[name], outcome), report
    assert processes == "0" and ping == "pong", report
    assert int(after) >= int(before) - HEAP_SLACK[target], report
