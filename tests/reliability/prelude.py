# The reliability probes' harness, sent ahead of each probe (test_reliability.py).
# A probe runs a system that does something hostile, then checks that the
# runtime is whole: run() returned, no process is left, a fresh ping-pong
# works, and the heap after a collection is back to what it was (or, when
# it is not, around a second run of the same system: see probe). It prints
# one line that the test reads:
#   PROBE <name>: <outcome> | processes <n> | ping <reply> | heap <before> -> <after>
import gc

import libos
import runtime
from runtime import ANY, logger

SMALL = libos.board()["heap_bytes"] < 200000  # netduinoplus2: scale the probes down
SETTLE_MS = 250  # long enough for the memory policy to take back its reserve (memory.py)


def heap_free():
    gc.collect()
    return gc.mem_free()


async def _pong():
    sender = await runtime.receive()
    runtime.send(sender, "pong")


async def _ping():
    pid = runtime.spawn(_pong)
    runtime.send(pid, runtime.self_pid())
    return await runtime.receive(timeout=1000)


async def down_of(pid, ref):
    """The reason in the DOWN of monitor `ref` on `pid`."""
    return (await runtime.receive(("DOWN", ref, ANY, pid, ANY)))[4]


def cyclic_list():
    """A list that holds itself: no copy of it can finish."""
    items = [1]
    items.append(items)
    return items


def kind(reason):
    """A reason as the probes print it: an exception by its class."""
    if isinstance(reason, BaseException):
        return type(reason).__name__
    return reason


def probe(name, main, *args):
    """Run `main` as the whole system and print the PROBE line: its outcome,
    and the heap before and after. When the heap is not back within
    HEAP_SLACK (given by the test, ahead of this prelude), the system runs
    once more and the line gives the heap around that second run:
    MicroPython's collector is conservative, and a stale word left by a run
    (in the C stack, in a table) may keep one of its structures alive for
    good, by how the heap happens to be laid out (hostile_messages, whose
    copies fail deep in the C stack, could keep 16 KB on mps2-an385). A leak
    grows with every run; that does not."""
    logger.set_level("none")
    logger.clear()
    limits = runtime.limits()
    before = heap_free()
    outcome = _run_system(main, args, limits)
    reply = _settle()
    after = heap_free()
    if after < before - HEAP_SLACK:  # noqa: F821 (the test defines it)
        before = after
        _run_system(main, args, limits)
        reply = _settle()
        after = heap_free()
    print("PROBE %s: %s | processes %d | ping %s | heap %d -> %d"
          % (name, logger.describe(outcome), len(runtime.processes()), reply, before, after))


def _settle():
    """A fresh ping-pong's reply, then SETTLE_MS for the memory policy to
    take back its reserve if the system took it."""
    replies = []

    async def check():
        replies.append(await _ping())
        await runtime.sleep(SETTLE_MS)

    runtime.run(check)
    return replies[0]


def _run_system(main, args, limits):
    """main(*args) as the whole system; its result, or what run() returned
    or raised instead. The limits and the logger's ring are put back."""
    results = []

    async def system():
        results.append(await main(*args))

    try:
        outcome = runtime.run(system)
        if results:
            outcome = results[0]
    except BaseException as e:
        outcome = "run() raised " + logger.describe(e)
    runtime.set_limits(**limits)
    logger.clear()
    return outcome
