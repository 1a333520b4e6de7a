"""Our node for the interop tests, on any host target (CPython, posix): it
starts distribution and serves commands from the Erlang side
(cluster_peer.erl), which drives each check and decides whether it passed.

Usage: agent.py NAME COOKIE TICKTIME [UART]   (UART: through tools/bridge.py)

A registered process `agent` takes (From, command, args...) tuples and
answers (agent, Result); `health` is the node's vital signs, `heartbeat`
starts a local process that prints "local N" each second (it goes on
whatever the connections go through). Processes it makes for a check
report what they see to the Erlang side as ('seen', What), and print it
(for what happens while the Erlang side is frozen). Warnings are logged: the tests look for the
lines that name a dropped connection.
"""
import gc
import sys

import runtime
from runtime import (ANY, exit, gen_server, gen_statem, link, monitor, node, process_info,
                     processes, receive, register, self_pid, send, sleep, spawn, supervisor,
                     trap_exit, whereis)


class Counter(gen_server.GenServer):
    def init(self, start):
        return start

    def handle_call(self, request, from_, count):
        if request == "next":
            return ("reply", count + 1, count + 1)
        if request == "crash":
            raise RuntimeError("asked to crash")
        if type(request) is tuple and request[0] == "sleep":
            return self._slept(request[1], count)
        return ("reply", count, count)

    async def _slept(self, ms, count):
        await sleep(ms)
        return ("reply", count, count)

    def handle_cast(self, request, count):
        return ("noreply", count + 1 if request == "bump" else count)


class Switch(gen_statem.GenStatem):
    """A gen_statem for erl's gen_statem:call: 'flip' turns it on or off."""

    def init(self, _):
        return ("ok", "off", 0)

    def off(self, event, content, flips):
        return ("next_state", "on", flips + 1, [("reply", event[1], "on")])

    def on(self, event, content, flips):
        return ("next_state", "off", flips + 1, [("reply", event[1], "off")])


async def echo():
    while True:
        message = await receive()
        if type(message) is tuple and len(message) == 2 and message[0] == "exit":
            exit(message[1])
        if type(message) is tuple and len(message) == 2:
            send(message[0], message[1])


async def watcher(report, how, target):
    """Links to or monitors `target` and reports what comes of it."""
    trap_exit(True)
    if how == "link":
        link(target)
    else:
        monitor(target)
    # Signals to a node arrive in order: once it has answered a ping, it
    # has the link or monitor (which the check then trips from elsewhere).
    where = target.node if type(target) is runtime.Pid else target[1]
    if where != node.name():
        await node.ping(where)
    send(report, ("watching", self_pid()))
    while True:
        seen = await receive()
        print("seen", seen)
        send(report, ("seen", seen))


async def heartbeat():
    beats = 0
    while True:
        await sleep(1000)
        beats += 1
        print("local", beats)


def health():
    """(live processes, how many of them wait to run, heap bytes used and
    free after a collection); the heap's are None on CPython."""
    gc.collect()
    pids = processes()
    runnable = sum(1 for pid in pids if (process_info(pid) or {}).get("status") == "runnable")
    used, free = getattr(gc, "mem_alloc", None), getattr(gc, "mem_free", None)
    return (len(pids), runnable, used and used(), free and free())


async def start_servers():
    counter = {"id": "counter", "start": (gen_server.start_link, (Counter, 0, "counter"))}
    switch = {"id": "switch", "start": (gen_statem.start_link, (Switch, None, "switch"))}
    return await supervisor.start_link([counter, switch], strategy="one_for_one",
                                       name="servers")


async def command(name, args):
    if name == "echo":
        return spawn(echo)
    if name == "watch":
        return spawn(watcher, *args)
    if name == "call":
        try:
            return ("ok", await gen_server.call(args[0], args[1], 2000))
        except gen_server.CallExit as e:
            return ("exit", e.reason[0])
    if name == "cast":
        gen_server.cast(args[0], args[1])
        return "ok"
    if name == "send":
        send(args[0], args[1])
        return "ok"
    if name == "exit":
        exit(args[0], args[1])
        return "ok"
    if name == "whereis":
        return whereis(args[0])
    if name == "ping":
        return await node.ping(args[0])
    if name == "rpc":
        return await node.rpc(*args)
    if name == "meet":
        connected = await node.connect(args[0])
        return (connected, await command("call", (("counter", args[0]), "get")))
    if name == "nodes":
        return node.nodes()
    if name == "monitor_node":
        spawn(_node_watcher, args[0], args[1])
        return "ok"
    if name == "health":
        return health()
    if name == "heartbeat":
        return spawn(heartbeat)
    if name == "monitor_nodes":
        pid = spawn(_nodes_watcher, args[0], self_pid())
        await receive(("subscribed", pid))
        return "ok"
    raise ValueError("unknown command %r" % (name,))


async def _node_watcher(report, peer):
    node.monitor_node(peer)
    seen = await receive(("nodedown", ANY))
    print("seen", seen)
    send(report, ("seen", seen))


async def _nodes_watcher(report, agent):
    node.monitor_nodes()
    send(agent, ("subscribed", self_pid()))
    while True:
        seen = await receive(("nodeup", ANY), ("nodedown", ANY))
        print("seen", seen)
        send(report, ("seen", seen))


async def agent():
    register("agent", self_pid())
    while True:
        message = await receive()
        if type(message) is not tuple or len(message) < 2 or type(message[0]) is not runtime.Pid:
            continue  # not a command: a reply that came after its call gave up, say
        sender, name = message[0], message[1]
        try:
            result = await command(name, message[2:])
        except Exception as e:
            result = ("error", type(e).__name__, str(e).encode())
        try:
            send(sender, ("agent", result))
        except TypeError as e:  # a result with no Erlang form: say so
            send(sender, ("agent", ("no_erlang_form", str(e).encode())))


async def main(name, cookie, ticktime, uart=None):
    full = await node.start(name, cookie=cookie, ticktime=int(ticktime),
                            uart=None if uart is None else int(uart))
    await start_servers()
    print("node", full)
    await agent()


runtime.logger.set_level("warning")
runtime.run(main, *sys.argv[1:5])
