"""A soak on the default board, in virtual time: 100,000 crash/restart
cycles under one supervisor (soak.py), with the free heap sampled every
10,000: it stays flat, within SAMPLE_SPREAD bytes, and the runtime keeps
serving afterwards. (It runs in the background from the start of the
session: conftest.py.)"""
import re

SAMPLE_SPREAD = 2048
CYCLES = 100000


def test_100000_crash_restart_cycles_leave_the_heap_flat(soak_outcome):
    found = re.search(r"^SOAK cycles (\d+) samples ([\d ]+)$", soak_outcome.output, re.M)
    assert soak_outcome.status == 0 and found, soak_outcome.output
    cycles = int(found.group(1))
    samples = [int(n) for n in found.group(2).split()]
    assert cycles >= CYCLES and len(samples) >= 9, soak_outcome.output
    assert max(samples) - min(samples) <= SAMPLE_SPREAD, samples
