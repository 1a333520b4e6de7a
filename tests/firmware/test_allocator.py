"""The allocator patch (tools/patches/micropython-gc-run-hints.patch) on
the firmware itself: runs freed between collections are found again, for
every run length the hints cover and beyond (allocator_check.py says how)."""
import os

import pytest

from targets import run_script

CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "allocator_check.py")


@pytest.mark.parametrize("board", ["posix", "mps2-an385"])
def test_freed_runs_are_found_again_without_a_collection(board):
    outcome = run_script(board, CHECK)
    assert outcome.status == 0, outcome.output
    assert outcome.output.splitlines() == ["%d 24" % n for n in range(2, 13)]
