"""`make demo-cluster` as a user runs it: two boards in QEMU and a real erl
console; board A frozen, B takes the exchange over; A back, it takes the
exchange back. Checked by its exit status and its summary's figures."""
import os
import re
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_a_board_is_lost_and_the_other_takes_its_work_over():
    run = subprocess.run(["make", "--no-print-directory", "demo-cluster"], cwd=REPO,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    text = run.stdout.decode(errors="replace")
    assert run.returncode == 0, text
    assert text.rstrip().endswith("DEMO-CLUSTER PASSED"), text
    timeline = text.split("\nsummary\n")[0]
    # In this order: A serves, A is stopped, both see it go, B serves, A boots, A serves.
    steps = ["the exchange runs on A; B stands by", "board A stopped",
             "which ran it, is down", "B serves the exchange", "board A boots again",
             "A took the exchange back"]
    at = [timeline.find(step) for step in steps]
    assert -1 not in at and at == sorted(at), timeline
    summary = text.split("\nsummary\n")[1]
    erl_s, b_s = map(float, re.search(
        r"nodedown of A: at erl after ([\d.]+) s, at B after ([\d.]+) s", summary).groups())
    served_s = float(re.search(r"served again by B ([\d.]+) s after A stopped", summary).group(1))
    assert 0 < b_s <= served_s, summary  # B takes over only once it has seen A go
    assert erl_s > 0, summary
    assert "calls after the takeover: 0 lost" in summary
    heaps = re.search(r"heap \[in use, free\] bytes: A \[(\d+),(\d+)\], B \[(\d+),(\d+)\]",
                      summary)
    assert heaps and all(int(n) > 0 for n in heaps.groups()), summary
    made, served = map(int, re.search(r"calls: (\d+) made, (\d+) served", summary).groups())
    while_changing = sum(map(int, re.findall(r"calls lost meanwhile: (\d+)", summary)))
    assert made - served == while_changing, summary  # none lost but while it changed hands
