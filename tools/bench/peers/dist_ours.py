"""Our node in the distribution workloads (tools/bench/pair.py starts it).

Usage: dist_ours.py WORKLOAD name=NAME cookie=COOKIE [peer=NODE] [key=value ...]
Workloads:
- echo: serve as the echo node: a process registered `echo` sends every
  (from, message) back to from. Runs until killed.
- remote_pingpong peer=NODE r=N: N round trips to {echo, NODE}; prints the
  round trips per second.
- handshake peer=NODE k=N: N connections to NODE, each set up and dropped;
  prints the us each setup took (connect to connected), their median.
- node_bytes peer=NODE: the heap the started node holds (net_kernel, its
  endpoint: the listener and EPMD, or the UART link and the registration).
- conn_bytes peer=NODE: the heap a fresh node holds more once connected to
  NODE, up and idle (the connection, and what the first one keeps).
With clock=busy (on a board under QEMU's -icount, tools/board_node.py),
durations are the time the CPU worked (libos.ticks_us() less
libos.idle_us()), not the time that passed: guest instructions, one per
virtual nanosecond, without the waits for the other node.
Prints one JSON object per line, as every bench program.
"""
import gc
import sys

import libos
import runtime
from runtime import ANY, node, receive, register, self_pid, send, sleep


def params(argv):
    found = {}
    for arg in argv:
        key, value = arg.split("=", 1)
        found[key] = int(value) if value.isdigit() else value
    return found


def result(workload, value, unit):
    print('{"workload": "%s", "value": %s, "unit": "%s"}' % (workload, value, unit))


async def echo():
    register("echo", self_pid())
    print("ready")
    while True:
        sender, message = await receive()
        send(sender, message)


def elapsed_clock(kind):
    """A clock in us for the durations: all time, or the CPU's work only."""
    if kind == "busy":
        return lambda: libos.ticks_diff(libos.ticks_us(), libos.idle_us())
    return libos.ticks_us


async def remote_pingpong(peer, r):
    me = self_pid()
    if not await node.connect(peer):
        raise RuntimeError("cannot connect to %s" % peer)
    send(("echo", peer), (me, 0))  # the first one waits for nothing else
    await receive()
    t0 = CLOCK[0]()
    for i in range(r):
        send(("echo", peer), (me, i))
        await receive(ANY)
    return r * 1000000 / max(1, libos.ticks_diff(CLOCK[0](), t0))


async def handshake(peer, k):
    times = []
    for _ in range(k):
        t0 = CLOCK[0]()
        if not await node.connect(peer):
            raise RuntimeError("cannot connect to %s" % peer)
        times.append(libos.ticks_diff(CLOCK[0](), t0))
        node.disconnect(peer)
        while peer in node.nodes():
            await sleep(1)
    times.sort()
    return times[len(times) // 2]


def heap_used():
    gc.collect()
    return gc.mem_alloc()


async def conn_bytes(peer):
    before = heap_used()
    if not await node.connect(peer):
        raise RuntimeError("cannot connect to %s" % peer)
    await sleep(100)
    return heap_used() - before


CLOCK = [libos.ticks_us]


async def main(workload, args):
    CLOCK[0] = elapsed_clock(args.get("clock"))
    before = heap_used()
    await node.start(args["name"], cookie=args["cookie"], ticktime=60)
    if workload == "node_bytes":
        await sleep(100)
        result(workload, heap_used() - before, "bytes")
    elif workload == "conn_bytes":
        result(workload, await conn_bytes(args["peer"]), "bytes/connection")
    elif workload == "echo":
        await echo()
    elif workload == "remote_pingpong":
        result(workload, await remote_pingpong(args["peer"], args["r"]), "round trips/s")
    elif workload == "handshake":
        result(workload, await handshake(args["peer"], args["k"]), "us/handshake")
    else:
        print('{"workload": "%s", "error": "unknown workload"}' % workload)


runtime.logger.set_level("error")
runtime.run(main, sys.argv[1], params(sys.argv[2:]))
