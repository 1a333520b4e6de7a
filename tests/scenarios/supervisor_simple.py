# simple_one_for_one: one template spec; start_child(sup, args) starts a
# child with the template's args + args; a crashed child is restarted with
# the same args; terminate_child takes its Pid; which_children lists them
# with id None; count_children as OTP (specs 1); restart_child and
# delete_child do not apply; a bad start_child argument raises.
import runtime
from runtime import ANY, gen_server, supervisor


class Echo(gen_server.GenServer):
    def init(self, arg):
        prefix, n = arg
        runtime.send("main", ("up", n))
        return "%s%d" % (prefix, n)

    def handle_call(self, request, from_, state):
        if request == "crash":
            raise ValueError(state)
        return ("reply", (state, request), state)


def start_echo(prefix, n):
    return gen_server.start_link(Echo, (prefix, n))  # returns a coroutine: awaited by the supervisor


async def main():
    runtime.register("main", runtime.self_pid())
    template = {"id": "echo", "start": (start_echo, ("echo-",)), "restart": "transient"}
    sup = await supervisor.start_link([template], "simple_one_for_one", intensity=3)
    print("no children yet:", await supervisor.which_children(sup))
    pids = []
    for n in (1, 2, 3):
        pids.append(await supervisor.start_child(sup, [n]))
        await runtime.receive(("up", n))
    print(await gen_server.call(pids[1], "hi"))
    print([(i, pid in pids, kind, modules == [start_echo]) for i, pid, kind, modules in
           await supervisor.which_children(sup)])
    counts = await supervisor.count_children(sup)
    print(sorted(counts.items()))
    try:
        await gen_server.call(pids[1], "crash")
    except gen_server.CallExit as e:
        print("crashed:", runtime.logger.describe(e.reason[0]))
    print("restarted with the same args:", await runtime.receive(("up", ANY)))
    children = await supervisor.which_children(sup)
    print("pids:", [pid in pids for i, pid, kind, modules in children])
    await supervisor.terminate_child(sup, pids[0])
    print("after terminate_child:", len(await supervisor.which_children(sup)))
    for call, arg in ((supervisor.terminate_child, pids[0]), (supervisor.terminate_child, "echo"),
                      (supervisor.restart_child, "echo"), (supervisor.delete_child, "echo")):
        try:
            await call(sup, arg)
        except supervisor.Error as e:
            print(call.__name__, "->", e.reason)
    try:
        await supervisor.start_child(sup, 4)
    except TypeError as e:
        print("TypeError:", str(e).split(", got")[0])
    runtime.unlink(sup)
    ref = runtime.monitor(sup)
    runtime.exit(sup, "shutdown")
    await runtime.receive(("DOWN", ref, ANY, ANY, ANY))
    print("all stopped with it:", [runtime.process_info(pid) for i, pid, kind, modules in children])

runtime.logger.set_level("none")
print(runtime.run(main))
