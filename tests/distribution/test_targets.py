"""The codec and MD5 on every target of tools/targets.py (RUNNERS; TARGETS=
posix,cpython picks some): codec_script.py, with erl's corpus and hashlib's
digests appended as data, must print its summary and no failure.

The firmware compiles the script in its own heap, which cannot hold the
whole corpus as literals: the posix firmware (2 MiB) gets the terms of up
to POSIX_CASE_BYTES bytes (STRING_EXT's longest, a 70000-byte binary), a
board in QEMU (1 MiB, the script over its UART) those of up to
BOARD_CASE_BYTES; CPython gets them all. Floats and
multi-key maps may re-encode to other bytes on MicroPython (see etf.py);
the script then checks that the value survives instead.
"""
import hashlib
import os

import pytest

from boards import is_emulated
from runtime.dist.etf import decode
from targets import RUNNERS, run_script

HERE = os.path.dirname(os.path.abspath(__file__))
POSIX_CASE_BYTES = 80000
BOARD_CASE_BYTES = 2048
# Damaging: (largest seed in bytes, damaged copies per seed), per kind of target.
FUZZ_HOST = (600, 100)
FUZZ_BOARD = (300, 10)
MD5_LENGTHS = list(range(131)) + [1000]
HANDSHAKE = b"cookie" + b"3735928559"    # MD5(cookie ++ the decimal challenge)
LITERAL_DEPTH = 20      # deeper literals would strain MicroPython's compiler on a board
TIMEOUT = 300


def targets():
    chosen = os.environ.get("TARGETS", "").replace(",", " ").split()
    return [t for t in sorted(RUNNERS) if not chosen or t in chosen]


def case_limit(target):
    if target == "cpython":
        return None
    return BOARD_CASE_BYTES if is_emulated(target) else POSIX_CASE_BYTES


def depth(term):
    deepest, stack = 0, [(term, 1)]
    while stack:
        term, level = stack.pop()
        deepest = max(deepest, level)
        if type(term) in (list, tuple):
            stack.extend((x, level + 1) for x in term)
        elif type(term) is dict:
            stack.extend((x, level + 1) for pair in term.items() for x in pair)
    return deepest


def md5_input(n):
    """The bytes codec_script.py hashes for length n."""
    return bytes((i * 7 + n) & 255 for i in range(n))


def script_for(target, corpus):
    """(the script's text, the lines it must print) for target."""
    limit = case_limit(target)
    largest, rounds = FUZZ_BOARD if limit == BOARD_CASE_BYTES else FUZZ_HOST
    cases = []
    fuzzed = 0
    for name, data in corpus:
        if limit is not None and len(data) > limit:
            continue
        value = repr(decode(data))
        shown = ", " + value if depth(decode(data)) <= LITERAL_DEPTH and len(value) < 4000 else ""
        cases.append("    (%r, %r%s),\n" % (name, data.hex(), shown))
        if len(data) <= largest:
            fuzzed += len(data) + rounds
    digests = [(n, hashlib.md5(md5_input(n)).hexdigest()) for n in MD5_LENGTHS]
    digests.append((HANDSHAKE, hashlib.md5(HANDSHAKE).hexdigest()))
    with open(os.path.join(HERE, "codec_script.py")) as f:
        text = f.read()
    text += "\n\nrun([\n%s], %d, %d, %r)\n" % ("".join(cases), largest, rounds, digests)
    expected = ["etf %d of %d" % (len(cases), len(cases)), "fuzz %d" % fuzzed,
                "md5 %d of %d" % (len(digests), len(digests))]
    return text, expected


@pytest.mark.parametrize("target", targets())
def test_codec_and_md5_on_target(target, erl, tmp_path):
    text, expected = script_for(target, erl.corpus())
    path = tmp_path / "codec_check.py"
    path.write_text(text)
    outcome = run_script(target, str(path), TIMEOUT)
    printed = [line for line in outcome.output.splitlines() if line and not line.startswith("#")]
    assert (outcome.status, printed) == (0, expected), outcome.output[-3000:]
