"""The UART fuzzer: a tap (uart_tap.py) between our node's UART and the host
bridge mixes junk into what the board receives (random bytes, truncated
frames, bad CRCs, frames for unknown channels, oversized lengths) and
destroys some of the bridge's real frames, in bursts, while a real erl
keeps calling the board's counter (cluster_peer.erl's hammer) and a local
process on the board keeps counting (agent.py's heartbeat). On posix-uart
(the posix build through its UART2) and a board in QEMU.

After each burst the board serves calls again and its heartbeat has gone
on; a connection whose frame was destroyed went down with a log line
naming the link, the channel and the gap, and erl reconnected; no process
crashed; at the end the board runs the processes it ran before (and the
heartbeat), few wait to run, and its heap holds about what it held.
"""
import ast
import re
import time

import pytest

from cluster import compile_peer, start_erl, start_ours
from uart_tap import Tap

TARGETS = ["posix-uart", "mps2-an385"]
SEED = 12
BURSTS = 4
BURST_S = 4                 # of damage, then calm until calls are served again
RECOVER_TIMEOUT = 30        # s: a lost CLOSE is undone by the link's ticks, and
                            # whatever is left by the connection's tick time (4 s)
HEAP_SLACK = 32 * 1024      # bytes: the logger's ring (16 KiB at most) fills with
                            # the lost frames' lines, and fragments a little
RUNNABLE_MAX = 3            # processes waiting to run while the agent answers (0 seen)
LOST = re.compile(r"link on uart2: channel (\d+) lost a frame \(DATA #\d+ came where #\d+ "
                  r"was due\); closed")


@pytest.fixture(scope="module")
def peer_code(tmp_path_factory):
    return compile_peer(str(tmp_path_factory.mktemp("erl")))


def beats(ours):
    return [int(line.split()[1]) for line in ours.output.text().splitlines()
            if re.fullmatch(r"local \d+", line)]


def health(erl):
    """The health lines erl printed: (processes, runnable, heap used, free)."""
    return [ast.literal_eval(line.split(" ", 1)[1].replace("{", "(").replace("}", ")"))
            for line in erl.output.text().splitlines() if line.startswith("health ")]


@pytest.mark.parametrize("target", TARGETS)
def test_the_board_serves_through_a_damaged_uart(peer_code, target, tmp_path):
    tap = Tap(SEED)
    ours, name = start_ours(target, "fz", tap=tap)
    stop = tmp_path / "stop"
    erl = start_erl(peer_code, "hammer", name, str(stop))
    try:
        erl.output.wait_for(lambda l: l == "ready", 30)
        for _ in range(BURSTS):
            started = len(ours.output.lines)
            tap.damaging = True
            time.sleep(BURST_S)
            tap.damaging = False
            calm = len(erl.output.lines)
            erl.output.wait_for(lambda l: l.startswith("ok "), RECOVER_TIMEOUT, calm)
            ours.output.wait_for(lambda l: l.startswith("local "), RECOVER_TIMEOUT, started)
        stop.write_text("")
        erl.output.wait_for(lambda l: l == "done", RECOVER_TIMEOUT)
    finally:
        erl.stop()
        ours.stop()
    said = erl.output.text().splitlines()
    board = ours.output.text().splitlines()
    lost = [line for line in board if LOST.fullmatch(line)]
    (processes, _, used, _), end = health(erl)
    print("%s: %s; %s; %d connections closed for a lost frame, %d nodedown, %d nodeup, "
          "%d failed calls; heartbeat %d; health before %s, after %s" % (
              target, dict(tap.counts), next(line for line in said if line.startswith("served")),
              len(lost), said.count("nodedown"), said.count("nodeup"),
              sum(1 for line in said if line.startswith("fail ")), beats(ours)[-1],
              (processes, used), end))
    assert all(tap.counts[what] for what in (
        "random bytes", "truncated frames", "bad CRCs", "frames for unknown channels",
        "oversized lengths", "real frames dropped", "real frames garbled",
        "real frames cut short")), tap.counts
    assert lost and said.count("nodedown") >= 1 and said.count("nodeup") >= 2, \
        "no connection was lost and made again:\n" + "\n".join(board)
    assert not [line for line in board if "REPORT====" in line], "\n".join(board)
    assert beats(ours) == list(range(1, len(beats(ours)) + 1))  # one process, never stopped
    assert end[0] == processes + 1  # the heartbeat's
    assert end[1] <= RUNNABLE_MAX
    assert end[2] <= used + HEAP_SLACK
