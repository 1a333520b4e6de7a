"""A board of two wired UART to UART, no host between (test_wired.py).

Usage: wired_script.py ROLE NAME PEER COOKIE TICKTIME
ROLE b serves: the image's counter app (examples/counter) and an echo.
ROLE a drives, and prints what it sees, a line each: ping, a call to b's
counter, a message through b's echo, a monitor on b's counter that b's
crash fires; then "ready", and the nodedown when the test stops b.
"""
import sys

import libos
import runtime
from runtime import ANY, gen_server, monitor, node, receive, register, self_pid, send


async def echo():
    register("echo", self_pid())
    while True:
        sender, message = await receive()
        send(sender, message)


async def serve(name, cookie, ticktime):
    import app
    await node.start(name, cookie=cookie, ticktime=ticktime, wired=True)
    await app.start()
    runtime.spawn(echo)
    print("node", node.name())
    await receive(("stop",))


async def drive(name, peer, cookie, ticktime):
    await node.start(name, cookie=cookie, ticktime=ticktime, wired=True)
    print("node", node.name())
    print("ping", await node.ping(peer))
    print("call", await gen_server.call(("counter", peer), "next"))
    send(("echo", peer), (self_pid(), "over the wire"))
    print("echo", await receive(ANY, timeout=5000))
    ref = monitor(("counter", peer))
    gen_server.cast(("counter", peer), "crash")
    down = await receive(("DOWN", ref, ANY, ANY, ANY), timeout=5000)
    print("down", down[4] if type(down) is tuple else down)
    print("nodes", node.nodes())
    node.monitor_node(peer)
    print("ready")
    t0 = libos.ticks_ms()
    await receive(("nodedown", peer))
    print("nodedown after %d ms" % libos.ticks_diff(libos.ticks_ms(), t0))


role, name, peer, cookie, ticktime = sys.argv[1:6]
if role == "b":
    runtime.run(serve, name, cookie, int(ticktime))
else:
    runtime.run(drive, name, peer, cookie, int(ticktime))
