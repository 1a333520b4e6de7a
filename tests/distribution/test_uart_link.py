"""Channels over a UART link (runtime/dist/uart_link.py) on CPython and the
posix build, whose uart1 and uart2 are wired to each other: both ends in
one program, more than a window's worth each way, garbage between frames,
a channel closed while another goes on; and a damaged wire: a frame held
behind a garbled length arrives, lost credit (the link's and a channel's)
is said again, a lost DATA frame closes its channel with a log line naming
the link, the channel and the gap, and the link goes on."""
import re

import pytest

from scripts import run_on

SIZE = 10000  # bytes each way on each channel: several windows
LOG = "link on uart"


@pytest.mark.parametrize("target", ["cpython", "posix"])
def test_channels_over_a_uart_link(target, tmp_path):
    outcome = run_on(target, tmp_path, ["link_script.py"],
                     "runtime.logger.set_level('warning')\nruntime.run(main, %d)" % SIZE, 120)
    assert outcome.status == 0, outcome.output[-3000:]
    lines = outcome.output.splitlines()
    assert [line for line in lines if not line.startswith(LOG)] == [
        "accepted 1 b'first'", "accepted 3 b'second'",
        "channel 1 echoed True", "channel 3 echoed True", "after a close b'still'",
        "behind a garbled length b'held'", "the link's credit lost b'link'",
        "the channel's credit lost b'channel'", "a lost frame: channel 3 closed",
        "accepted 5 b'third'", "a new channel b'goes on'"], outcome.output[-3000:]
    logged = [line for line in lines if line.startswith(LOG)]
    assert len(logged) == 1 and re.fullmatch(
        r"link on uart2: channel 3 lost a frame \(DATA #(\d+) came where #(\d+) was due\); closed",
        logged[0]), outcome.output[-3000:]
    got, due = map(int, re.findall(r"#(\d+)", logged[0]))
    assert got == (due + 1) % 256


@pytest.mark.parametrize("target", ["cpython", "posix"])
def test_two_links_settle_their_sides_by_hello(target, tmp_path):
    """As two boards wired UART to UART (wire.py): the smaller name opens odd
    channels; both open at once; numbers are used again; a peer's new
    session ends the channels it had, with a log line."""
    outcome = run_on(target, tmp_path, ["link_script.py", "hello_script.py"],
                     "runtime.logger.set_level('warning')\nruntime.run(main)", 120)
    assert outcome.status == 0, outcome.output[-3000:]
    lines = outcome.output.splitlines()
    assert [line for line in lines if not line.startswith(LOG)] == [
        "b opens even a opens odd", "b'from b' b'echo from b'", "b'from a' b'echo from a'",
        "200 more opened and closed; a new one b'works'",
        "a's channel after b started again: ended"], outcome.output[-3000:]
    assert [line for line in lines if line.startswith(LOG)] == [
        "link on uart2: b@wire started again; its channels are gone"], outcome.output[-3000:]
