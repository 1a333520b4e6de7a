"""The MicroPython asyncio peer: the workloads on stock MicroPython's asyncio.

The closest peer: the same VM as our runtime, with asyncio's scheduler and a
mailbox per process written the fastest honest way found (see Mailbox).

Usage: micropython mpy_asyncio.py WORKLOAD [key=value ...]; prints one JSON
object per line.
"""
import gc
import json
import sys
import time

import asyncio
from asyncio import core


# Ends an await of a mailbox; raised again and again, so no receive allocates.
_READY = StopIteration()


class Mailbox:
    """A process's queue. `await box` (or `await Match(box, pred)`) returns
    once the message to receive is at the head of `box.q`; the receiver then
    takes it with `box.q.pop(0)`.

    The mailbox is its own awaitable: a waiting receiver is parked on it and
    put back on asyncio's run queue by the next send, as asyncio.Event does.
    Alternatives, medians of 5 runs with an 8 MB heap, ring (1,000 tasks x 100
    laps, hops/s) and ping-pong (round trips/s):
      list + asyncio.Event, `msg = await box.get()`            6.7 k   154 k
      list + asyncio.ThreadSafeFlag (polled as a stream)      0.79 k  0.46 k
      list + parked task, `msg = await box.get()` generator   10.6 k   198 k
      awaitable raising StopIteration(msg), `msg = await box`  342 k   166 k
      this: awaitable, then `box.q.pop(0)`                      389 k   185 k
    What separates them is allocation. MicroPython's allocator advances its
    free-block hint only on one-block allocations, so an object of two blocks
    or more (a coroutine, a generator, a frame over 11 words) is placed by
    scanning the heap from its start: with 1,000 live tasks, the Event
    mailbox's coroutine per receive cost about 150 us a hop of the ring.
    Two attributes only: a third one (a pattern for selective receive) halved
    the ring (203 k) while ping-pong kept its speed, so the pattern lives in
    Match.
    """

    def __init__(self):
        self.q = []
        self.waiter = None  # the task parked on this mailbox

    def send(self, msg):
        self.q.append(msg)
        task = self.waiter
        if task is not None:
            self.waiter = None
            core._task_queue.push(task)

    def remove(self, task):
        # Called by asyncio when a task parked here is cancelled.
        self.waiter = None

    def __iter__(self):
        return self

    def __next__(self):
        if self.q:
            _READY.__traceback__ = None
            raise _READY
        task = core.cur_task
        self.waiter = task
        task.data = self
        return None


class Match:
    """A selective receive: awaiting it moves the first message `pred`
    accepts to the head of the mailbox, waiting for one if need be."""

    def __init__(self, box, pred):
        self.box = box
        self.pred = pred

    def __iter__(self):
        return self

    def __next__(self):
        box = self.box
        q = box.q
        pred = self.pred
        i = 0
        for m in q:
            if pred(m):
                if i:
                    q.insert(0, q.pop(i))
                _READY.__traceback__ = None
                raise _READY
            i += 1
        task = core.cur_task
        box.waiter = task
        task.data = box
        return None


def now():
    return time.ticks_us()


def rate(count, t0):
    return count * 1000000 / max(1, time.ticks_diff(now(), t0))


async def ring_node(me, nxt, bench):
    while True:
        await me
        token = me.q.pop(0)
        if token == 0:
            bench.send("done")
        else:
            nxt.send(token - 1)


async def ring(n, m):
    me = Mailbox()
    boxes = [Mailbox() for _ in range(n)]
    for i in range(n):
        asyncio.create_task(ring_node(boxes[i], boxes[(i + 1) % n], me))
    t0 = now()
    boxes[0].send(n * m)
    await me
    me.q.pop(0)
    return rate(n * m, t0)


async def child():
    pass


async def spawn(k, w):
    # The parent joins each task in turn (`await task`), the fastest way it
    # learns of the exits; medians of 5, spawns/s: joins 212 k, gather of the
    # tasks 175 k, gather of the coroutines 196 k, a done message from each
    # child 160 k.
    t0 = now()
    for first in range(0, k, w):
        tasks = [asyncio.create_task(child()) for _ in range(min(w, k - first))]
        for task in tasks:
            await task
    return rate(k, t0)


async def pong(me):
    while True:
        await me
        _, sender = me.q.pop(0)
        sender.send("pong")


async def pingpong(r):
    me = Mailbox()
    other = Mailbox()
    asyncio.create_task(pong(other))
    t0 = now()
    for _ in range(r):
        other.send(("ping", me))
        await me
        me.q.pop(0)
    return rate(r, t0)


def is_match(m):
    return m[0] == "match"


async def selective(q, s):
    me = Mailbox()
    for i in range(q - 1):
        me.send(("noise", i))
    me.send(("match", 0))
    t0 = now()
    for k in range(s):
        await Match(me, is_match)
        me.q.pop(0)
        me.send(("match", k + 1))
    return rate(s, t0)


async def send_after(ms, box, msg):
    # asyncio here has no call_later: a timer is a sleeping task.
    await asyncio.sleep_ms(ms)
    box.send(msg)


async def timers(count, spread):
    me = Mailbox()
    t0 = now()
    for i in range(count):
        asyncio.create_task(send_after(i % spread, me, i))
    for _ in range(count):
        await me
        me.q.pop(0)
    return rate(count, t0)


async def supervisor(start, intensity, period_ms):
    """The smallest honest one_for_one supervisor of one child: restart the
    child's task when it raises; give up after more than `intensity`
    restarts within `period_ms`."""
    restarts = []
    while True:
        try:
            await asyncio.create_task(start())
            return
        except Exception:
            t = time.ticks_ms()
            restarts = [r for r in restarts if time.ticks_diff(t, r) < period_ms]
            restarts.append(t)
            if len(restarts) > intensity:
                raise


async def worker(bench):
    me = Mailbox()
    bench.send(("up", me))
    await me
    if me.q.pop(0) == "crash":
        raise RuntimeError("crash")


async def restart(r):
    me = Mailbox()
    sup = asyncio.create_task(supervisor(lambda: worker(me), r + 1, 5000))
    await me
    _, child_box = me.q.pop(0)
    t0 = now()
    for _ in range(r):
        child_box.send("crash")
        await me
        _, child_box = me.q.pop(0)
    elapsed = time.ticks_diff(now(), t0)
    sup.cancel()
    return elapsed / r


async def idle(me):
    await me


async def idle_bytes(n):
    tasks = [None] * n  # allocated before the baseline: holding them is not their cost
    gc.collect()
    before = gc.mem_free()
    for i in range(n):
        tasks[i] = asyncio.create_task(idle(Mailbox()))
    await asyncio.sleep_ms(0)
    gc.collect()
    return (before - gc.mem_free()) / n


WORKLOADS = {
    "ring": (ring, "hops/s"),
    "spawn": (spawn, "spawns/s"),
    "pingpong": (pingpong, "round trips/s"),
    "selective": (selective, "receives/s"),
    "timers": (timers, "timers/s"),
    "restart": (restart, "us/restart"),
    "idle_bytes": (idle_bytes, "bytes/process"),
}


def main(argv):
    workload = argv[1]
    params = {}
    for arg in argv[2:]:
        key, value = arg.split("=")
        params[key] = int(value)
    try:
        fn, unit = WORKLOADS[workload]
        value = asyncio.run(fn(**params))
        print(json.dumps({"workload": workload, "value": value, "unit": unit}))
    except Exception as e:
        print(json.dumps({"workload": workload, "error": repr(e)}))


main(sys.argv)
