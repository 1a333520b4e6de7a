"""A soak on the default board, in virtual time: 100,000 crash/restart
cycles under one supervisor (soak.py), with the free heap sampled every
10,000: it stays flat, within SAMPLE_SPREAD bytes, and the runtime keeps
serving afterwards."""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tools"))

from targets import run_script  # noqa: E402

SAMPLE_SPREAD = 2048
CYCLES = 100000


def test_100000_crash_restart_cycles_leave_the_heap_flat():
    outcome = run_script("mps2-an385", os.path.join(HERE, "soak.py"), timeout=600)
    found = re.search(r"^SOAK cycles (\d+) samples ([\d ]+)$", outcome.output, re.M)
    assert outcome.status == 0 and found, outcome.output
    cycles = int(found.group(1))
    samples = [int(n) for n in found.group(2).split()]
    assert cycles >= CYCLES and len(samples) >= 9, outcome.output
    assert max(samples) - min(samples) <= SAMPLE_SPREAD, samples
