# The calls on a running supervisor: start_child (then already_started, or
# already_present once stopped), terminate_child (the spec stays, except a
# temporary one's), restart_child, delete_child, which_children and
# count_children, with a worker, a supervisor child and a child whose start
# returned None (OTP's ignore). Errors come back as supervisor.Error; an
# unknown call gets an error reply, a stray cast or message a warning.
import runtime
from runtime import ANY, gen_server, supervisor


class Kv(gen_server.GenServer):
    def handle_call(self, request, from_, state):
        return ("reply", state, state)


def ignore():
    return None


async def show(sup):
    print("  which:", [(i, "running" if type(pid) is runtime.Pid else pid, kind)
                       for i, pid, kind, modules in await supervisor.which_children(sup)])
    print("  count:", sorted((await supervisor.count_children(sup)).items()))


async def attempt(call, sup, arg):
    what = arg["id"] if type(arg) is dict else arg
    try:
        result = await call(sup, arg)
        print(call.__name__, what, "->", "a pid" if type(result) is runtime.Pid else result)
    except supervisor.Error as e:
        print(call.__name__, what, "-> Error:", runtime.logger.describe(e.reason))


async def main():
    kv = {"id": "kv", "start": (gen_server.start_link, (Kv, "v"))}
    sup = await supervisor.start_link([kv], name="top")
    await show(sup)
    inner = {"id": "inner", "type": "supervisor",
             "start": (supervisor.start_link, ([{"id": "kv2", "start": (gen_server.start_link, (Kv, 2))}],))}
    await attempt(supervisor.start_child, sup, inner)
    await attempt(supervisor.start_child, sup, {"id": "ignored", "start": (ignore, ())})
    await attempt(supervisor.start_child, sup, {"id": "temp", "restart": "temporary",
                                                "start": (gen_server.start_link, (Kv, 3))})
    await show(sup)
    await attempt(supervisor.start_child, sup, kv)
    await attempt(supervisor.terminate_child, sup, "kv")
    await attempt(supervisor.start_child, sup, kv)
    await attempt(supervisor.terminate_child, sup, "temp")
    await attempt(supervisor.terminate_child, sup, "nobody")
    await show(sup)
    await attempt(supervisor.restart_child, sup, "kv")
    await attempt(supervisor.restart_child, sup, "kv")
    await attempt(supervisor.restart_child, sup, "nobody")
    await attempt(supervisor.delete_child, sup, "kv")
    await attempt(supervisor.delete_child, sup, "ignored")
    await attempt(supervisor.delete_child, sup, "ignored")
    await attempt(supervisor.restart_child, sup, "temp")
    await show(sup)
    inner_pid = (await supervisor.which_children(sup))[1][1]
    print("inner's children:", [i for i, pid, kind, modules in await supervisor.which_children(inner_pid)])
    print("unknown call ->", await gen_server.call(sup, "what"))
    runtime.logger.clear()
    gen_server.cast(sup, "junk")
    runtime.send(sup, ("junk", 1))
    await supervisor.count_children(sup)
    print("after a stray cast and message:", [text.split(": ")[1] for level, text in runtime.logger.recent()],
          runtime.process_info(sup) is not None)

runtime.logger.set_level("none")
print(runtime.run(main))
