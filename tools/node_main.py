"""The program `make node` runs on its target (tools/node.py): start
distribution as NAME, then the application (the module `app`): under
runtime.distributed when NODES names the nodes it may run on (most wanted
first; this node among them), else on this node; and serve until its root
(or its controller) exits. On a board the image is made for this
(tools/node_image): boot leaves the application to us.

Usage: node_main.py NAME COOKIE TICKTIME [NODES [FAILOVER_MS]]   (NODES: comma-separated)
"""
import sys

import runtime
from runtime import ANY, distributed, logger, monitor, node, receive
from runtime.application import find as application
from runtime.compat import is_coroutine


async def start_app(app, nodes, failover_ms):
    if nodes:
        name = getattr(app, "NAME", "app")
        return await distributed.start(name, lambda start_type: app.start(), nodes.split(","),
                                       failover_ms=int(failover_ms))
    root = app.start()
    return await root if is_coroutine(root) else root


async def main(name, cookie, ticktime, nodes="", failover_ms="0"):
    full = await node.start(name, cookie=cookie, ticktime=int(ticktime))
    app = application()
    if app is None:
        print("node %s is up, with no application" % full)
        await receive(("stop",))
        return
    top = await start_app(app, nodes, failover_ms)
    print("node %s is up, running its application (%s %r)"
          % (full, "controller" if nodes else "root", top))
    ref = monitor(top)
    down = await receive(("DOWN", ref, ANY, ANY, ANY))
    print("the application's %s exited: %s" % ("controller" if nodes else "root",
                                                logger.describe(down[4])))
    return "root_exited"


if runtime.run(main, *sys.argv[1:6]) == "root_exited":
    sys.exit(1)
