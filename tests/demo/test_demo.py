"""`make demo`'s scenario, checked by its figures: the exchange in QEMU,
hit by every fault, recovers from each, loses no call outside a fault, and
ends with the heap it started with."""
import io
import os
import re
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools"))

from demo import watch  # noqa: E402

FAULTS = ["exception in a call", "analysis server crash", "runaway loop", "memory hog",
          "malformed messages", "restart intensity"]
HEAP_SLACK = 16384


@pytest.fixture(scope="module")
def demo():
    out = io.StringIO()
    passed, verdict = watch("mps2-an385", timeout=600, out=out)
    return passed, verdict, out.getvalue()


def test_every_fault_was_injected_and_recovered(demo):
    passed, verdict, text = demo
    for number, fault in enumerate(FAULTS, 1):
        section = text.split("] %d. %s\n" % (number, fault), 1)
        assert len(section) == 2, "fault %r was not injected" % fault
        assert re.search(r"\]        recovered in \d+ ms$", section[1].split("\n\n")[0], re.M), fault
    assert "NOT recovered" not in text


def test_no_call_is_lost_outside_a_fault(demo):
    passed, verdict, text = demo
    table = text.split("phase ", 1)[1].split("restarts per supervisor")[0]
    rows = [line for line in table.splitlines()[1:] if line.strip()]
    calm = [row for row in rows if row.startswith("  then calm") or row.startswith("start")]
    assert len(calm) == len(FAULTS) + 1
    for row in calm:
        attempted, completed, busy, no_answer, lost = [int(n) for n in row.split()[-5:]]
        assert lost == 0, row
        assert completed > 0, row
    faulty = [row for row in rows if row not in calm]
    assert [row[:24].strip() for row in faulty] == FAULTS


def test_the_supervisors_restarted_what_failed(demo):
    passed, verdict, text = demo
    restarts = dict(re.findall(r"(\w+) (\d+)", text.split("restarts per supervisor: ")[1].splitlines()[0]))
    assert int(restarts["core"]) >= 3      # analysis killed, looping; charging out of memory
    assert int(restarts["lines"]) == 3     # line:1001, until the intensity was reached
    assert int(restarts["exchange"]) == 1  # the lines subtree, once
    assert "lines reached its restart intensity and shut down" in text


def test_the_heap_ends_where_it_started(demo):
    passed, verdict, text = demo
    start, end = map(int, re.search(r"free heap: (\d+) bytes at the start, (\d+) at the end", text).groups())
    assert end >= start - HEAP_SLACK


def test_the_tree_is_drawn_three_levels_deep_and_the_verdict_is_a_pass(demo):
    passed, verdict, text = demo
    tree = text.split("supervision tree (restarts):\n")[1]
    assert "  exchange (one_for_one)\n  |-- core (rest_for_one)" in tree
    assert "  |   `-- analysis " in tree
    assert passed and verdict.startswith("DEMO PASSED"), verdict
