# Exceptions in every callback of every behaviour, and in a supervisor's
# child start functions: each fails as OTP says, the caller gets its answer,
# nothing else is hurt.
from runtime import gen_server, gen_statem, supervisor


class Bad(gen_server.GenServer):
    def init(self, where):
        if where == "init":
            raise ValueError("init")
        return where

    def handle_call(self, request, from_, where):
        if where == "handle_call":
            raise ValueError("handle_call")
        return ("reply", "ok", where)

    def handle_cast(self, msg, where):
        raise ValueError("handle_cast")

    def handle_info(self, msg, where):
        raise ValueError("handle_info")

    def terminate(self, reason, where):
        if where == "terminate":
            raise ValueError("terminate")

    def code_change(self, old_vsn, state, extra):
        raise ValueError("code_change")


class BadMachine(gen_statem.GenStatem):
    callback_mode = "handle_event_function"

    def init(self, where):
        if where == "init":
            raise ValueError("statem init")
        return ("ok", "s", where)

    def handle_event(self, kind, content, state, where):
        raise ValueError("handle_event")

    def terminate(self, reason, state, where):
        if where == "terminate":
            raise ValueError("statem terminate")


def bad_start():
    raise ValueError("start function")


async def outcome(fn, *args):
    try:
        await fn(*args)
        return "ok"
    except (Exception, runtime.ProcessExit) as e:
        reason = getattr(e, "reason", e)
        if type(reason) is tuple:
            reason = reason[0]
        return kind(reason)


async def watch_crash(start, arg, poke):
    pid = await start(arg)
    ref = runtime.monitor(pid)
    poke(pid)
    return kind(await down_of(pid, ref))


async def main():
    results = [await outcome(gen_server.start, Bad, "init")]
    pid = await gen_server.start(Bad, "handle_call")
    results.append(await outcome(gen_server.call, pid, "x"))
    results.append(await watch_crash(lambda a: gen_server.start(Bad, a), "c",
                                     lambda p: gen_server.cast(p, "x")))
    results.append(await watch_crash(lambda a: gen_server.start(Bad, a), "i",
                                     lambda p: runtime.send(p, "x")))
    pid = await gen_server.start(Bad, "terminate")
    results.append(await outcome(gen_server.stop, pid))
    pid = await gen_server.start(Bad, "code_change")
    await gen_server.suspend(pid)
    results.append(await outcome(gen_server.change_code, pid, Bad, 1))
    await gen_server.resume(pid)
    results.append(await outcome(gen_server.call, pid, "still serving"))
    await gen_server.stop(pid)
    results.append(await outcome(gen_statem.start, BadMachine, "init"))
    pid = await gen_statem.start(BadMachine, "e")
    results.append(await outcome(gen_statem.call, pid, "x"))
    pid = await gen_statem.start(BadMachine, "terminate")
    results.append(await outcome(gen_statem.stop, pid))
    spec = {"id": "bad", "start": (bad_start, ())}
    results.append(await outcome(supervisor.start_link, [spec]))
    return tuple(results)


probe("callback_exceptions", main)
