"""The CPython asyncio peer: the workloads on CPython's asyncio.

Same program shape as the MicroPython asyncio peer, with the mailbox written
the fastest honest way found for CPython (see Mailbox).

Usage: python cpython_asyncio.py WORKLOAD [key=value ...]; prints one JSON
object per line.
"""
import asyncio
import json
import sys
import time
import tracemalloc
from collections import deque


class Mailbox:
    """A process's queue; `await box.receive(pred=None)` receives.

    A sender hands the message straight to the future of a parked receiver
    whose pattern it matches, and queues it otherwise. Alternatives, medians
    of 5 runs, ring (1,000 tasks x 100 laps, hops/s) and ping-pong (round
    trips/s):
      asyncio.Queue                                 193 k   104 k
      deque + asyncio.Event                         203 k   108 k
      deque + a future that wakes the receiver      237 k   120 k
      this: the future carries the message          250 k   125 k
    """

    def __init__(self):
        self.q = deque()
        self.waiter = None  # the future of a parked receiver
        self.pred = None  # its pattern; None accepts any message

    def send(self, msg):
        waiter = self.waiter
        if waiter is not None and not waiter.done() and (self.pred is None or self.pred(msg)):
            self.waiter = None
            waiter.set_result(msg)
        else:
            self.q.append(msg)

    def receive(self, pred=None):
        """A future of the first queued message that `pred` accepts."""
        fut = asyncio.get_running_loop().create_future()
        q = self.q
        if q:
            if pred is None:
                fut.set_result(q.popleft())
                return fut
            for i, msg in enumerate(q):
                if pred(msg):
                    del q[i]
                    fut.set_result(msg)
                    return fut
        self.waiter = fut
        self.pred = pred
        return fut


def now():
    return time.perf_counter()


def rate(count, t0):
    return count / (now() - t0)


async def ring_node(me, nxt, bench):
    while True:
        token = await me.receive()
        if token == 0:
            bench.send("done")
        else:
            nxt.send(token - 1)


async def ring(n, m):
    me = Mailbox()
    boxes = [Mailbox() for _ in range(n)]
    tasks = [asyncio.create_task(ring_node(boxes[i], boxes[(i + 1) % n], me))
             for i in range(n)]
    t0 = now()
    boxes[0].send(n * m)
    await me.receive()
    value = rate(n * m, t0)
    for task in tasks:
        task.cancel()
    return value


async def child():
    pass


async def spawn(k, w):
    # The parent joins each task in turn (`await task`), the fastest way it
    # learns of the exits; medians of 5, spawns/s: joins 288 k, gather 175 k,
    # a TaskGroup 200 k, a done message from each child 232 k.
    t0 = now()
    for first in range(0, k, w):
        tasks = [asyncio.create_task(child()) for _ in range(min(w, k - first))]
        for task in tasks:
            await task
    return rate(k, t0)


async def pong(me):
    while True:
        _, sender = await me.receive()
        sender.send("pong")


async def pingpong(r):
    me = Mailbox()
    other = Mailbox()
    task = asyncio.create_task(pong(other))
    t0 = now()
    for _ in range(r):
        other.send(("ping", me))
        await me.receive()
    value = rate(r, t0)
    task.cancel()
    return value


def is_match(m):
    return m[0] == "match"


async def selective(q, s):
    me = Mailbox()
    for i in range(q - 1):
        me.send(("noise", i))
    me.send(("match", 0))
    t0 = now()
    for k in range(s):
        await me.receive(is_match)
        me.send(("match", k + 1))
    return rate(s, t0)


async def timers(count, spread):
    # loop.call_later is send_after: 82 k timers/s against 55 k for a task
    # per timer that sleeps then sends (medians of 5).
    me = Mailbox()
    loop = asyncio.get_running_loop()
    t0 = now()
    for i in range(count):
        loop.call_later((i % spread) / 1000, me.send, i)
    for _ in range(count):
        await me.receive()
    return rate(count, t0)


async def supervisor(start, intensity, period):
    """The smallest honest one_for_one supervisor of one child: restart the
    child's task when it raises; give up after more than `intensity`
    restarts within `period` seconds."""
    restarts = []
    while True:
        try:
            await asyncio.create_task(start())
            return
        except Exception:
            t = now()
            restarts = [r for r in restarts if t - r < period]
            restarts.append(t)
            if len(restarts) > intensity:
                raise


async def worker(bench):
    me = Mailbox()
    bench.send(("up", me))
    if await me.receive() == "crash":
        raise RuntimeError("crash")


async def restart(r):
    me = Mailbox()
    sup = asyncio.create_task(supervisor(lambda: worker(me), r + 1, 5))
    _, child_box = await me.receive()
    t0 = now()
    for _ in range(r):
        child_box.send("crash")
        _, child_box = await me.receive()
    elapsed = now() - t0
    sup.cancel()
    return elapsed * 1e6 / r


async def idle(me):
    await me.receive()


async def idle_bytes(n):
    tasks = [None] * n  # allocated before the baseline: holding them is not their cost
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(n):
        tasks[i] = asyncio.create_task(idle(Mailbox()))
    await asyncio.sleep(0)
    value = (tracemalloc.get_traced_memory()[0] - before) / n
    tracemalloc.stop()
    for task in tasks:
        task.cancel()
    return value


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
    params = dict((key, int(value)) for key, value in (arg.split("=") for arg in argv[2:]))
    try:
        fn, unit = WORKLOADS[workload]
        value = asyncio.run(fn(**params))
        print(json.dumps({"workload": workload, "value": value, "unit": unit}))
    except Exception as e:
        print(json.dumps({"workload": workload, "error": repr(e)}))


if __name__ == "__main__":
    main(sys.argv)
