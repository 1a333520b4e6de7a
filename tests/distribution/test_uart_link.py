"""Channels over a UART link (runtime/dist/uart_link.py) on CPython and the
posix build, whose uart1 and uart2 are wired to each other: both ends in
one program, more than a window's worth each way, garbage between frames,
a channel closed while another goes on."""
import os

import pytest

from targets import run_script

HERE = os.path.dirname(os.path.abspath(__file__))
SIZE = 10000  # bytes each way on each channel: several windows


@pytest.mark.parametrize("target", ["cpython", "posix"])
def test_channels_over_a_uart_link(target, tmp_path):
    with open(os.path.join(HERE, "link_script.py")) as f:
        text = f.read() + "\nruntime.logger.set_level('none')\nruntime.run(main, %d)\n" % SIZE
    path = tmp_path / "link_check.py"
    path.write_text(text)
    outcome = run_script(target, str(path), 120)
    assert outcome.status == 0, outcome.output[-3000:]
    assert outcome.output.splitlines() == [
        "accepted 1 b'first'", "accepted 3 b'second'",
        "channel 1 echoed True", "channel 3 echoed True", "after a close b'still'"], \
        outcome.output[-3000:]
