"""The UART frames (runtime/dist/frames.py): the CRC, the layout, the
counts, and a wire that loses, adds and garbles bytes, on CPython and
every target: a bad frame costs that frame, the decoder finds the next
one, no frame it hands on was damaged, and a frame held behind a header
whose length was garbled arrives once that partial frame is given up."""
import pytest

from runtime.dist import frames
from scripts import run_on
from test_targets import targets

COUNT = 120
DAMAGES = (0, 1, 5, 40)


def test_crc_is_ccitt_false():
    assert frames.crc16(b"123456789") == 0x29B1


def test_layout():
    frame = frames.encode(3, frames.DATA, b"abc", 9)
    assert frame[:2] == b"\xf7\x5a" and frame[2:7] == bytes((3, frames.DATA, 9, 0, 3))
    assert frame[7:10] == b"abc"
    assert frame[10:] == frames.crc16(frame, 2, 10).to_bytes(2, "big")
    assert len(frame) == frames.OVERHEAD + 3


@pytest.mark.parametrize("bad", [(256, frames.DATA, b""), (1, 9, b""),
                                 (1, frames.DATA, bytes(frames.MAX_PAYLOAD + 1)),
                                 (1, frames.DATA, b"", 256)])
def test_encode_refuses_what_no_frame_holds(bad):
    with pytest.raises(ValueError):
        frames.encode(*bad)


def test_counts_wrap_and_compare_across_the_wrap():
    assert frames.count(0x12345) == b"\x23\x45"
    assert frames.counted(b"\x00\x23\x45", 1) == 0x2345
    assert frames.ahead(5, 0xFFFB) == 10
    assert frames.ahead(0xFFFB, 5) == -10
    assert frames.ahead(1000, 1000) == 0


def test_a_lost_byte_costs_one_frame_and_the_next_is_found():
    good = [frames.encode(1, frames.DATA, b"x" * 50), frames.encode(2, frames.DATA, b"y" * 50, 1)]
    damaged = good[0][:20] + good[0][21:] + good[1]
    decoder = frames.Decoder()
    decoder.feed(damaged)
    assert decoder.frames() == [(2, frames.DATA, 1, b"y" * 50)]
    assert decoder.bad == 1


def test_an_oversized_length_or_unknown_kind_is_skipped():
    decoder = frames.Decoder()
    decoder.feed(b"\xf7\x5a\x01\x02\x00\xff\xff" + b"\xf7\x5a\x01\x09\x00\x00\x00"
                 + frames.encode(4, frames.TICK))
    assert decoder.frames() == [(4, frames.TICK, 0, b"")]
    assert decoder.bad == 2


def test_a_partial_frame_keeps_its_identity_until_it_completes_or_is_given_up():
    frame = frames.encode(2, frames.DATA, b"z" * 40)
    decoder = frames.Decoder()
    assert decoder.waiting() is None
    decoder.feed(frame[:10])
    assert decoder.frames() == []
    waiting = decoder.waiting()
    decoder.feed(frame[10:20])
    assert decoder.frames() == [] and decoder.waiting() == waiting
    decoder.expire()
    assert decoder.frames() == [] and decoder.waiting() is None
    assert decoder.bad == 1


def expected_lines():
    import frames_script
    lines = []
    import builtins
    real_print = builtins.print
    builtins.print = lambda *args: lines.append(" ".join(str(a) for a in args))
    try:
        frames_script.run(COUNT, DAMAGES)
    finally:
        builtins.print = real_print
    return lines


def test_undamaged_frames_all_arrive_and_damaged_ones_never_do():
    lines = [line for line in expected_lines() if line.startswith("damage")]
    assert lines[0] == "damage 0: %d of %d frames, %d intact, 0 bad, 0 bytes skipped" % (
        COUNT, COUNT, COUNT)
    for line in lines[1:]:
        got, intact = int(line.split()[2]), int(line.split()[6])
        assert got == intact and got >= COUNT - 2 * int(line.split()[1].rstrip(":")), line


def test_a_frame_held_behind_a_garbled_length_arrives_once_that_is_given_up():
    held = [line for line in expected_lines() if line.startswith("held")]
    assert held == ["held: 0 frames while it waits (waiting), [(7, 2, 3, b'behind')] once "
                    "given up, 1 bad, 0 left"]


@pytest.mark.parametrize("target", targets())
def test_frames_on_target(target, tmp_path):
    outcome = run_on(target, tmp_path, ["frames_script.py"], "run(%d, %r)" % (COUNT, DAMAGES), 300)
    printed = [line for line in outcome.output.splitlines()
               if line.startswith(("damage", "held"))]
    assert (outcome.status, printed) == (0, expected_lines()), outcome.output[-3000:]
