# gen_server stop: stop() runs terminate and returns once the server has
# exited with the reason; stopping a dead server raises noproc. A callback
# returning ('stop', ...) runs terminate (with a reply, the caller gets it
# after terminate). A server that traps exits runs terminate when its
# parent sends an exit signal; exit signals from others reach handle_info;
# a server that does not trap them is ended without terminate.
import runtime
from runtime import ANY, gen_server


class Server(gen_server.GenServer):
    def init(self, trap):
        runtime.trap_exit(trap)
        return trap

    def handle_call(self, request, from_, state):
        if request == "stop_with_reply":
            return ("stop", "done", "goodbye", state)
        return ("stop", "without_reply", state)

    def handle_cast(self, msg, state):
        return ("stop", ("shutdown", msg), state)

    def handle_info(self, msg, state):
        print("handle_info:", msg[0], msg[2])
        return ("noreply", state)

    def terminate(self, reason, state):
        print("terminate:", reason)


async def down(ref):
    return (await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4]


async def parent(trap, out):
    pid = await gen_server.start_link(Server, trap)
    runtime.send(out, pid)
    await runtime.receive()
    runtime.exit("parent_gone")


async def main():
    runtime.trap_exit(True)
    pid = await gen_server.start_link(Server, False)
    print("stop ->", await gen_server.stop(pid))
    print(await runtime.receive(("EXIT", pid, ANY)) == ("EXIT", pid, "normal"))
    pid = await gen_server.start(Server, False)
    print("stop with a reason ->", await gen_server.stop(pid, ("shutdown", "upgrade")))
    try:
        await gen_server.stop(pid)
    except gen_server.CallExit as e:
        print("stop again ->", e.reason)

    for request in ("stop_with_reply", "stop_without_reply"):
        pid = await gen_server.start(Server, False)
        ref = runtime.monitor(pid)
        try:
            print(request, "->", await gen_server.call(pid, request))
        except gen_server.CallExit as e:
            print(request, "->", e.reason[0])
        print("  exited with", await down(ref))
    pid = await gen_server.start(Server, False)
    ref = runtime.monitor(pid)
    gen_server.cast(pid, "bye")
    print("cast stop: exited with", await down(ref))

    # A non-parent's exit signal is a message for a trapping server.
    pid = await gen_server.start(Server, True)
    runtime.exit(pid, "from_a_stranger")
    await runtime.sleep(1)
    await gen_server.stop(pid)

    for trap in (True, False):
        p = runtime.spawn(parent, trap, runtime.self_pid())
        server = await runtime.receive()
        ref = runtime.monitor(server)
        runtime.send(p, "go")
        print("trap_exit", trap, "and the parent exits: server exited with", await down(ref))

runtime.logger.set_level("none")
print(runtime.run(main))
