"""The floor: the least a message-passing scheduler can do on MicroPython.

A process is a generator; it gets its own record as first argument and
blocks with `msg = yield want`, where `want` is ANY or a predicate over
messages. Sends never yield. The loop takes the ready list as a batch
(round-robin), delivers expired timers between batches, and idles when only
timers are left. No links, monitors, priorities, copying or error handling:
what our runtime adds above this is what its features cost.

It runs on our `posix` executable, which has no `time`, `json` or `heapq`
(the clock comes from `libos`), or on stock MicroPython.

Usage: floor.py WORKLOAD [key=value ...]; prints one JSON object per line.
Workloads: ring, spawn, pingpong, selective, timers, idle_bytes, max_idle.
On a device, which has no command line, the driver's device launcher sets
`sys.argv` in a line it sends before this program.
"""
import gc
import sys
from micropython import const

try:
    import libos as clock

    idle_us = clock.idle
except ImportError:
    import time as clock

    idle_us = clock.sleep_us


ANY = "any"  # a `want` that any message satisfies

# A process is a list [generator, mailbox, want, msg]. Against an instance
# with four attributes, on our posix executable (medians of 5): the same ring
# and ping-pong speeds, spawns 790 k/s against 663 k/s, 224 bytes per idle
# process against 256.
# `want` is what it blocks on (None while ready or running), `msg` what it
# resumes with.
#
# The mailbox is a list, not a deque: MicroPython's deque is a ring of a fixed
# length allocated up front (maxlen + 1 slots) that cannot delete from the
# middle, so it would cost every idle process the longest queue any workload
# builds, and selective receive would have to rebuild it. On stock
# MicroPython (medians of 5) a deque(maxlen=1024) mailbox ran the ring at the
# list's speed (1.32 M hops/s against 1.35 M) and took 8,448 bytes per idle
# process against 224.
_GEN = const(0)
_MBOX = const(1)
_WANT = const(2)
_MSG = const(3)

ready = []  # processes to run in the next batch
timers = {}  # due millisecond -> [(process, msg), ...] in arming order
dues = []  # the keys of `timers`, latest first so the next is popped off the end
epoch = clock.ticks_us()


def now():
    """Microseconds since start: wraps only after minutes, past any run."""
    return clock.ticks_diff(clock.ticks_us(), epoch)


def spawn(fn, *args):
    p = [None, [], None, None]
    p[_GEN] = fn(p, *args)
    ready.append(p)
    return p


def send(p, msg):
    want = p[_WANT]
    if want is not None and (want is ANY or want(msg)):
        p[_WANT] = None
        p[_MSG] = msg
        ready.append(p)
    else:
        p[_MBOX].append(msg)


def send_after(ms, p, msg):
    due = (now() + 999) // 1000 + ms
    bucket = timers.get(due)
    if bucket is None:
        bucket = timers[due] = []
        lo, hi = 0, len(dues)
        while lo < hi:
            mid = (lo + hi) // 2
            if dues[mid] > due:
                lo = mid + 1
            else:
                hi = mid
        dues.insert(lo, due)
    bucket.append((p, msg))


def find(mbox, want):
    """Index of the first message in `mbox` that `want` accepts, else -1."""
    if want is ANY:
        return 0
    i = 0
    for m in mbox:
        if want(m):
            return i
        i += 1
    return -1


def run():
    """Run until no process is ready and no timer is pending."""
    global ready
    while True:
        if dues:
            t = now() // 1000
            while dues and dues[-1] <= t:
                for p, msg in timers.pop(dues.pop()):
                    send(p, msg)
        if ready:
            batch = ready
            ready = []
            for p in batch:
                try:
                    want = p[_GEN].send(p[_MSG])
                except StopIteration:
                    continue
                p[_MSG] = None
                mbox = p[_MBOX]
                if mbox:
                    i = find(mbox, want)
                    if i >= 0:
                        p[_MSG] = mbox.pop(i)
                        ready.append(p)
                        continue
                p[_WANT] = want
        elif dues:
            idle_us(max(0, dues[-1] * 1000 - now()))
        else:
            return


# ---- workloads: each bench process puts its figure in `result` ----

result = {}


def rate(count, t0):
    return count * 1000000 / max(1, now() - t0)


def ring_node(me, bench):
    nxt = yield ANY
    while True:
        token = yield ANY
        if token == 0:
            send(bench, "done")
        else:
            send(nxt, token - 1)


def ring(me, n, m):
    nodes = [spawn(ring_node, me) for _ in range(n)]
    for i in range(n):
        send(nodes[i], nodes[(i + 1) % n])
    t0 = now()
    send(nodes[0], n * m)
    yield ANY
    result["value"] = rate(n * m, t0)


def child(me, parent):
    send(parent, "done")
    return
    yield


def spawn_bench(me, k, w):
    t0 = now()
    for first in range(0, k, w):
        wave = min(w, k - first)
        for _ in range(wave):
            spawn(child, me)
        for _ in range(wave):
            yield ANY
    result["value"] = rate(k, t0)


def pong(me):
    while True:
        _, sender = yield ANY
        send(sender, "pong")


def pingpong(me, r):
    other = spawn(pong)
    t0 = now()
    for _ in range(r):
        send(other, ("ping", me))
        yield ANY
    result["value"] = rate(r, t0)


def is_match(m):
    return m[0] == "match"


def selective(me, q, s):
    for i in range(q - 1):
        send(me, ("noise", i))
    send(me, ("match", 0))
    t0 = now()
    for k in range(s):
        yield is_match
        send(me, ("match", k + 1))
    result["value"] = rate(s, t0)


def timers_bench(me, count, spread):
    t0 = now()
    for i in range(count):
        send_after(i % spread, me, i)
    for _ in range(count):
        yield ANY
    result["value"] = rate(count, t0)


def idle_proc(me):
    yield ANY


def idle_bytes(n):
    procs = [None] * n  # allocated before the baseline: holding them is not their cost
    gc.collect()
    before = gc.mem_free()
    for i in range(n):
        procs[i] = spawn(idle_proc)
    run()
    gc.collect()
    result["value"] = (before - gc.mem_free()) / n


def max_idle():
    """Idle processes made before the heap ran out, each run into its
    receive before the next is made (as ours.py does). The floor has no
    process table: the bench holds them, in lists of 64 (one long list
    would need one large block)."""
    chunks = []
    count = 0
    try:
        while True:
            chunk = [None] * 64
            chunks.append(chunk)
            for i in range(64):
                chunk[i] = spawn(idle_proc)
                count += 1
                run()
    except MemoryError:
        pass
    chunks = None
    ready.clear()
    result["value"] = count


# Each runs as the bench process, as `fn(me, **params)`.
WORKLOADS = {
    "ring": (ring, "hops/s"),
    "spawn": (spawn_bench, "spawns/s"),
    "pingpong": (pingpong, "round trips/s"),
    "selective": (selective, "receives/s"),
    "timers": (timers_bench, "timers/s"),
}
# Each is called as `fn(**params)`, outside any process: it calls run()
# itself, and run() does not nest.
DIRECT = {
    "idle_bytes": (idle_bytes, "bytes/process"),
    "max_idle": (max_idle, "processes"),
}


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def main(argv):
    workload = argv[1]
    params = {}
    for arg in argv[2:]:
        key, value = arg.split("=")
        params[key] = int(value)
    try:
        if workload in DIRECT:
            fn, unit = DIRECT[workload]
            fn(**params)
        else:
            fn, unit = WORKLOADS[workload]
            spawn(lambda me: fn(me, **params))
            run()
        print('{"workload": %s, "value": %s, "unit": %s}'
              % (quote(workload), repr(result["value"]), quote(unit)))
    except Exception as e:
        print('{"workload": %s, "error": %s}' % (quote(workload), quote(repr(e))))


main(sys.argv)
