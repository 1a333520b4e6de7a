"""Our runtime: the workloads written against its public API (`import runtime`).

The same semantics as the peers' versions (floor.py, mpy_asyncio.py,
cpython_asyncio.py, beam.erl), in the way an Erlang user would write them
here: processes, send, receive with patterns, send_after, monitors, and a
one_for_one supervisor for `restart`. Everything runs inside runtime.run();
the clock is libos.ticks_us, which every target has.

One program for every target, unchanged: our `posix` executable, CPython
(with libos/cpython on its path) and a board in QEMU. A device has no command
line: the driver's device launcher sets `sys.argv` in a line it sends before
this program through the raw REPL. No `json` or `time` on the device either.

Usage: ours.py WORKLOAD [key=value ...]; prints one JSON object per line.
Workloads: ring, spawn, pingpong, selective, timers, restart, idle_bytes,
sup_tree, max_idle, gen_server_bytes, max_gen_servers.
"""
import gc
import sys

import libos
import runtime
from runtime import ANY, receive, self_pid, send, send_after, sleep, spawn, spawn_link, \
    spawn_monitor

try:
    import tracemalloc  # CPython: its gc knows nothing of the heap
except ImportError:
    tracemalloc = None


def elapsed_us(t0):
    return libos.ticks_diff(libos.ticks_us(), t0)


def rate(count, t0):
    return count * 1000000 / max(1, elapsed_us(t0))


def heap_used():
    """Bytes of live heap, after a collection."""
    gc.collect()
    if tracemalloc is not None:
        return tracemalloc.get_traced_memory()[0]
    return gc.mem_alloc()


def trace_heap():
    if tracemalloc is not None and not tracemalloc.is_tracing():
        tracemalloc.start()


# ---- ring: a token counted down around n processes, m laps ----

async def ring_node(bench):
    nxt = await receive()
    while True:
        token = await receive()
        if token == 0:
            send(bench, "done")
        else:
            send(nxt, token - 1)


async def ring(n, m):
    me = self_pid()
    nodes = [spawn(ring_node, me) for _ in range(n)]
    for i in range(n):
        send(nodes[i], nodes[(i + 1) % n])
    t0 = libos.ticks_us()
    send(nodes[0], n * m)
    await receive()
    return rate(n * m, t0)


# ---- spawn: k processes that exit at once, in waves of w; the parent
# learns of each exit by a monitor, as the BEAM's version does ----

async def child():
    pass


async def spawn_bench(k, w):
    t0 = libos.ticks_us()
    for first in range(0, k, w):
        wave = min(w, k - first)
        for _ in range(wave):
            spawn_monitor(child)
        for _ in range(wave):
            await receive()
    return rate(k, t0)


# ---- pingpong ----

async def pong():
    while True:
        _, sender = await receive()
        send(sender, "pong")


async def pingpong(r):
    me = self_pid()
    other = spawn(pong)
    t0 = libos.ticks_us()
    for _ in range(r):
        send(other, ("ping", me))
        await receive()
    return rate(r, t0)


# ---- selective: match the last of q queued messages, s times ----

async def selective(q, s):
    me = self_pid()
    for i in range(q - 1):
        send(me, ("noise", i))
    send(me, ("match", 0))
    match = ("match", ANY)
    t0 = libos.ticks_us()
    for k in range(s):
        await receive(match)
        send(me, ("match", k + 1))
    return rate(s, t0)


# ---- timers: timer i sends i to the bench after i % spread ms ----

async def timers(count, spread):
    me = self_pid()
    # All `count` messages may arrive before the first is taken: more than
    # a mailbox holds by default on a board (runtime.limits()).
    limits = runtime.set_limits(max_queue=count * 2)
    t0 = libos.ticks_us()
    for i in range(count):
        send_after(i % spread, me, i)
    for _ in range(count):
        await receive()
    result = rate(count, t0)
    runtime.set_limits(**limits)
    return result


# ---- restart: crash the supervised worker, wait until its successor is up ----

async def worker(bench):
    send(bench, ("up", self_pid()))
    if await receive() == "crash":
        raise RuntimeError("crash")


async def restart(r):
    # Imported here, not at the top: the workloads without a supervisor
    # (max_idle above all) keep the heap its module would take.
    from runtime import supervisor
    # 3 x r reports would time the logger, not the supervisor: the logger is
    # switched off, as the BEAM's version does (its primary level 'none').
    runtime.logger.set_primary_level("none")
    spec = {"id": "worker", "start": (spawn_link, (worker, self_pid()))}
    await supervisor.start_link([spec], strategy="one_for_one", intensity=r + 1, period=5)
    up = ("up", ANY)
    _, pid = await receive(up)
    t0 = libos.ticks_us()
    for _ in range(r):
        send(pid, "crash")
        _, pid = await receive(up)
    return elapsed_us(t0) / r


# ---- memory: idle processes, a supervision tree, the most the heap holds ----

async def idle():
    await receive()


async def idle_bytes(n):
    pids = [None] * n  # allocated before the baseline: holding them is not their cost
    trace_heap()
    before = heap_used()
    for i in range(n):
        pids[i] = spawn(idle)
    await sleep(0)  # they run into their receive
    return (heap_used() - before) / n


async def sup_tree(n):
    """KiB of heap that one supervisor with n idle workers takes: the
    processes, their links, and the supervisor's state and its copy of the
    child specs. The caller's list of specs is alive in both measurements,
    so it is not counted (dropping it would not reliably free it: see
    reserve)."""
    from runtime import supervisor
    trace_heap()
    specs = [{"id": i, "start": (spawn_link, (idle,))} for i in range(n)]
    before = heap_used()
    await supervisor.start_link(specs, strategy="one_for_one")
    await sleep(0)
    return (heap_used() - before) / 1024


CHUNK = 64  # max_idle keeps the pids in lists of this many: no large block


def reserve(nbytes):
    """A block of heap held in a list, so that clearing the list frees it. Made
    here, not in the bench process: MicroPython's GC scans a coroutine's whole
    frame, where a stale copy of the pointer would keep the block alive."""
    return [bytearray(nbytes)]


async def end_all(pids):
    """Kill `pids`, a few per round: a long run queue needs room too."""
    for i in range(len(pids)):
        if pids[i] is not None:
            runtime.exit(pids[i], "kill")
        if i % 16 == 15:
            await sleep(0)
    pids.clear()  # their Pids, between the freed blocks, would fragment the heap
    await sleep(0)


async def max_idle():
    """Idle processes spawned before the heap ran out.

    One spawn per round: each process runs into its receive before the next
    is spawned, and the run queue never has to grow, so the MemoryError
    comes from making the process, never from queueing it (a process left
    in the table but in no queue could never be ended, and run() would wait
    for it for ever).

    Then the bench ends them itself, a few at a time: run() would end them
    all at once, and a heap this full has no room for its lists. So the
    bench holds every pid (in short lists: 4 bytes a process on a 32-bit
    board) and an 8 KB reserve, about 3% of the heap in all."""
    chunks = []
    room = reserve(8192)
    count = 0
    limits = runtime.set_limits(max_processes=1 << 24)  # the heap is the limit here
    try:
        while True:
            chunk = [None] * CHUNK
            chunks.append(chunk)
            for i in range(CHUNK):
                chunk[i] = spawn(idle)
                count += 1
                await sleep(0)
    except MemoryError:
        pass
    room.clear()
    for chunk in chunks:
        await end_all(chunk)
    runtime.set_limits(**limits)
    return count


# ---- gen_servers under a supervisor: their bytes, and the most that fit ----

def idle_server_class():
    from runtime import gen_server

    class Idle(gen_server.GenServer):
        """A gen_server that only waits; its state an int."""

        def init(self, arg):
            return arg

    return Idle


async def gen_server_bytes(n):
    """Bytes of heap each of n idle gen_servers under one one_for_one
    supervisor takes: its process, its server, the supervisor's record of
    it (its child spec) and their links. The supervisor itself is in the
    baseline."""
    from runtime import gen_server, supervisor
    trace_heap()
    idle_server = idle_server_class()
    sup = await supervisor.start_link([], strategy="one_for_one")
    specs = [{"id": i, "start": (gen_server.start_link, (idle_server, i))} for i in range(n)]
    before = heap_used()
    for spec in specs:
        await supervisor.start_child(sup, spec)
    await sleep(0)
    return (heap_used() - before) / n


async def max_gen_servers():
    """gen_servers a one_for_one supervisor starts, one start_child at a
    time, before the heap runs out (with the 8 KB reserve of max_idle held
    back, to end them afterwards)."""
    from runtime import gen_server, supervisor
    idle_server = idle_server_class()
    room = reserve(8192)
    limits = runtime.set_limits(max_processes=1 << 24)  # the heap is the limit here
    runtime.logger.set_primary_level("none")  # the supervisor's reports of the last, failed start
    runtime.trap_exit(True)
    sup = await supervisor.start_link([], strategy="one_for_one", intensity=0)
    count = 0
    try:
        while True:
            await supervisor.start_child(sup, {"id": count,
                                               "start": (gen_server.start_link, (idle_server, 0))})
            count += 1
    except (MemoryError, supervisor.Error, supervisor.CallExit):
        pass
    room.clear()
    runtime.exit(sup, "kill")
    await receive(("EXIT", sup, ANY))
    runtime.set_limits(**limits)
    return count


WORKLOADS = {
    "ring": (ring, "hops/s"),
    "spawn": (spawn_bench, "spawns/s"),
    "pingpong": (pingpong, "round trips/s"),
    "selective": (selective, "receives/s"),
    "timers": (timers, "timers/s"),
    "restart": (restart, "us/restart"),
    "idle_bytes": (idle_bytes, "bytes/process"),
    "sup_tree": (sup_tree, "KiB"),
    "max_idle": (max_idle, "processes"),
    "gen_server_bytes": (gen_server_bytes, "bytes/gen_server"),
    "max_gen_servers": (max_gen_servers, "gen_servers"),
}

# The slice budget stays armed, so its cost is measured, but at 10 s rather
# than the default 100 ms: on the device (virtual time, 1 ns per instruction)
# the bench process's slice that sets 10,000 timers, or makes 100 selective
# receives that each scan 1,000 queued messages (one reduction each), and the
# supervisor's init that starts 1,000 children, each run past 100 ms, and the
# default budget would end them as runaways.
SLICE_MS = 10000

result = {}


async def bench(fn, params):
    result["value"] = await fn(**params)


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def main(argv):
    workload = argv[1]
    params = {}
    for arg in argv[2:]:
        key, value = arg.split("=")
        params[key] = int(value)
    try:
        fn, unit = WORKLOADS[workload]
        reason = runtime.run(bench, fn, params, slice_ms=SLICE_MS)
    except Exception as e:
        reason = e
    if reason == "normal":
        print('{"workload": %s, "value": %s, "unit": %s}'
              % (quote(workload), repr(result["value"]), quote(unit)))
    else:
        print('{"workload": %s, "error": %s}' % (quote(workload), quote(repr(reason))))


main(sys.argv)
