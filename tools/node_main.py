"""The program `make node` runs on its target (tools/node.py): start
distribution as NAME, then the application (the module `app`, as boot.py
does on a board, where boot has started it already), and serve until its
root supervisor exits.

Usage: node_main.py NAME COOKIE TICKTIME
"""
import sys

import runtime
from runtime import ANY, logger, monitor, node, receive
from runtime.application import find as application
from runtime.compat import is_coroutine


async def main(name, cookie, ticktime):
    full = await node.start(name, cookie=cookie, ticktime=int(ticktime))
    app = application()
    booted = sys.modules.get("runtime.boot")
    if app is None or booted is not None and booted.started():
        # A board's boot has started its image's application already.
        print("node %s is up, %s" % (full, "with no application" if app is None
                                     else "its application started at boot"))
        await receive(("stop",))
        return
    root = app.start()
    if is_coroutine(root):
        root = await root
    print("node %s is up, running its application (root %r)" % (full, root))
    ref = monitor(root)
    down = await receive(("DOWN", ref, ANY, ANY, ANY))
    print("the application's root exited: %s" % logger.describe(down[4]))
    return "root_exited"


if runtime.run(main, *sys.argv[1:4]) == "root_exited":
    sys.exit(1)
