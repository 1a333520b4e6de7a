# Wrong types and non-finite numbers to every API call: each raises
# TypeError or ValueError in the caller, naming the argument.
from runtime import gen_server, supervisor

NAN = float("nan")
INF = float("inf")


async def idle():
    await runtime.receive()


async def main():
    me = runtime.self_pid()
    awaited = [
        ("receive timeout", lambda: runtime.receive(timeout=INF)),
        ("receive timeout", lambda: runtime.receive(timeout=NAN)),
        ("receive timeout", lambda: runtime.receive(timeout=-1)),
        ("receive timeout", lambda: runtime.receive(timeout="soon")),
        ("sleep", lambda: runtime.sleep(INF)),
        ("sleep", lambda: runtime.sleep(NAN)),
        ("timeout", lambda: gen_server.call(me, "x", timeout=INF)),
        ("timeout", lambda: gen_server.call(me, "x", timeout=NAN)),
        ("children", lambda: supervisor.start_link(5)),
    ]
    plain = [
        ("send_after", lambda: runtime.send_after(NAN, me, 1)),
        ("send_after", lambda: runtime.send_after(INF, me, 1)),
        ("send_after", lambda: runtime.send_after(1, 42, 1)),
        ("args", lambda: runtime.spawn_opt(idle, args=5)),
        ("priority", lambda: runtime.spawn_opt(idle, priority="urgent")),
        ("max_queue", lambda: runtime.spawn_opt(idle, max_queue=0)),
        ("async def", lambda: runtime.spawn(print)),
        ("claim", lambda: runtime.claim(42)),
        ("dest", lambda: runtime.send(42, "x")),
        ("link", lambda: runtime.link("x")),
        ("monitor", lambda: runtime.monitor(5)),
        ("demonitor", lambda: runtime.demonitor(5)),
        ("exit", lambda: runtime.exit(5, "x")),
        ("name", lambda: runtime.register(5, me)),
        ("register", lambda: runtime.register("n", 5)),
        ("unregister", lambda: runtime.unregister(5)),
        ("cancel_timer", lambda: runtime.cancel_timer(5)),
        ("max_processes", lambda: runtime.set_limits(max_processes=-1)),
        ("max_queue", lambda: runtime.set_limits(max_queue=1.5)),
    ]
    failures = []
    for calls, await_it in ((awaited, True), (plain, False)):
        for what, call in calls:
            try:
                result = call()
                if await_it:
                    await result
                failures.append((what, "no error"))
            except (TypeError, ValueError) as e:
                if what not in str(e):
                    failures.append((what, str(e)))
    return ("all refused", failures)


probe("bad_arguments", main)
