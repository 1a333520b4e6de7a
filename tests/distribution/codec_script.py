# The codec and MD5 checked on the target this script runs on (CPython, the
# posix firmware, a board in QEMU). test_targets.py appends the data, which
# the boards cannot read from the host (erl's corpus, hashlib's digests),
# and the call to run(); the script prints one summary line per part,
# a FAIL line per failure, and timings on lines that start with '#'.
import sys

import libos
from runtime.dist import etf
from runtime.dist.etf import (BitString, DecodeError, ExternalPid, ExternalRef,  # noqa: F401
                              Fun, ImproperList, Port)
from runtime.dist.md5 import md5

# Single-precision floats (MicroPython here) cannot hold every double, and
# MicroPython's dicts do not keep insertion order: the two reasons a term
# may re-encode to other bytes than it came in.
DOUBLE = 1.0 + 2.0 ** -40 != 1.0
ORDERED_DICTS = sys.implementation.name != "micropython"

failures = []


def fail(name, why):
    failures.append(name)
    print("FAIL", name, why)


def same(a, b):
    """Equal, with equal types at every level; floats within single
    precision where that is all there is."""
    if type(a) is not type(b):
        return False
    if type(a) is list or type(a) is tuple:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return len(a) == len(b) and all(k in b and same(v, b[k]) for k, v in a.items())
    if type(a) is float and not DOUBLE:
        return abs(a - b) <= 1e-6 * abs(b)
    return a == b


def walk(term):
    """term and every term inside it (without recursion: the C stack of a
    board is small and terms nest deep)."""
    stack = [term]
    while stack:
        term = stack.pop()
        yield term
        if type(term) is list or type(term) is tuple:
            stack.extend(term)
        elif type(term) is dict:
            stack.extend(term.keys())
            stack.extend(term.values())
        elif type(term) is ImproperList:
            stack.extend(term.items)
            stack.append(term.tail)


def may_change_bytes(term):
    return any((type(t) is float and not DOUBLE)
               or (type(t) is dict and len(t) > 1 and not ORDERED_DICTS) for t in walk(term))


def beyond_floats(value):
    """Whether value holds a float this platform reads as infinite: the
    decoder refuses such a double rather than make it inf."""
    return any(type(t) is float and t - t != 0 for t in walk(value))


def check_case(case):
    name, data = case[0], bytes.fromhex(case[1])
    has_value = len(case) == 3
    if has_value and beyond_floats(case[2]):
        try:
            etf.decode(data)
            fail(name, "a double past this platform's floats decoded")
        except DecodeError:
            pass
        return
    try:
        term = etf.decode(data)
    except Exception as e:
        fail(name, "decode raised %r" % e)
        return
    if has_value and not same(term, case[2]):
        fail(name, "decoded to %r" % (term,))
        return
    again = etf.encode(term)
    if again != data and not (may_change_bytes(term) and same(etf.decode(again), term)):
        fail(name, "re-encoded to other bytes")


# Lengths a damaged copy may claim: past any input, past a signed int, 64K.
WIDE_LENGTHS = (b"\xff\xff\xff\xff", b"\x7f\xff\xff\xff", b"\x00\x01\x00\x00")


def damaged(data, rng):
    """One damaged copy of data: a byte changed, a length widened, a byte
    inserted or dropped, or the tail cut."""
    how, at = rng(5), rng(len(data))
    if how == 0:
        return data[:at] + bytes((rng(256),)) + data[at + 1:]
    if how == 1:
        return data[:at] + WIDE_LENGTHS[rng(3)] + data[at + 4:]
    if how == 2:
        return data[:at] + bytes((rng(256),)) + data[at:]
    if how == 3:
        return data[:at] + data[at + 1:]
    return data[:at]


def fuzz(seeds, rounds):
    """Every truncation of each seed and `rounds` damaged copies of each:
    decoding must succeed or raise DecodeError, nothing else."""
    state = [1]

    def rng(n):
        state[0] = (state[0] * 75 + 74) % 65537     # ZX81's generator: small ints on every board
        return state[0] % n

    tried = 0
    for seed in seeds:
        for n in range(len(seed) + rounds):
            data = seed[:n] if n < len(seed) else damaged(seed, rng)
            tried += 1
            try:
                etf.decode(data, max_items=5000, max_depth=50)
            except DecodeError:
                pass
            except Exception as e:
                fail("fuzz", "%r on %s" % (e, data.hex()))
    return tried


def run(cases, fuzz_limit, fuzz_rounds, md5_cases):
    start = libos.ticks_ms()
    for case in cases:
        check_case(case)
    print("etf", len(cases) - len(failures), "of", len(cases))
    print("# etf %d ms" % libos.ticks_diff(libos.ticks_ms(), start))

    start = libos.ticks_ms()
    seeds = [bytes.fromhex(case[1]) for case in cases if len(case[1]) <= 2 * fuzz_limit]
    print("fuzz", fuzz(seeds, fuzz_rounds))
    print("# fuzz %d ms" % libos.ticks_diff(libos.ticks_ms(), start))

    start = libos.ticks_ms()
    good = 0
    for text, digest in md5_cases:
        data = text if type(text) is bytes else bytes((i * 7 + text) & 255 for i in range(text))
        if md5(data) == bytes.fromhex(digest):
            good += 1
        else:
            fail("md5", "of %r" % (text,))
    print("md5", good, "of", len(md5_cases))
    print("# md5 %d ms" % libos.ticks_diff(libos.ticks_ms(), start))
