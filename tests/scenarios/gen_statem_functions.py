# gen_statem in state_functions mode with state enter calls: a code lock.
# Calls and casts are events; a state enter call runs after init and after
# each state change; postponed events are handled again, oldest first, once
# the state changes; next_event inserts an event handled before any queued
# one; replies go with the 'reply' action or gen_statem.reply.
import runtime
from runtime import ANY, gen_statem


class Lock(gen_statem.GenStatem):
    callback_mode = ("state_functions", "state_enter")

    def init(self, code):
        return ("ok", "locked", {"code": code, "typed": ""})

    def locked(self, event, content, data):
        if event == "enter":
            print("enter locked, from", content)
            data["typed"] = ""
            return ("keep_state", data)
        if event == "cast":
            data["typed"] += content
            if data["typed"] == data["code"]:
                return ("next_state", "open", data, [("next_event", "internal", "log_open")])
            return ("keep_state", data)
        if event[0] == "call" and content == "state":
            return ("keep_state_and_data", [("reply", event[1], "locked")])
        if event[0] == "call":
            print("postpone call", content)
            return ("keep_state_and_data", "postpone")
        print("locked ignores", event, content)
        return "keep_state_and_data"

    def open(self, event, content, data):
        if event == "enter":
            print("enter open, from", content)
            return "keep_state_and_data"
        if event == "internal":
            print("internal event", content)
            return "keep_state_and_data"
        if event == "cast" and content == "lock":
            return ("next_state", "locked", data)
        if event[0] == "call":
            gen_statem.reply(event[1], ("open", content))
            return "keep_state_and_data"
        print("open ignores", event, content)
        return "keep_state_and_data"


async def client(lock, request, out):
    runtime.send(out, ("client", request, await gen_statem.call(lock, request)))


async def main():
    me = runtime.self_pid()
    lock = await gen_statem.start_link(Lock, "42", name="lock")
    print("state:", await gen_statem.call("lock", "state"))
    runtime.spawn(client, lock, "first", me)
    runtime.spawn(client, lock, "second", me)
    await runtime.sleep(5)
    runtime.send(lock, "a plain message")
    gen_statem.cast(lock, "4")
    print("state:", await gen_statem.call(lock, "state"))
    gen_statem.cast(lock, "2")
    print(await runtime.receive(("client", ANY, ANY)))
    print(await runtime.receive(("client", ANY, ANY)))
    print(await gen_statem.call(lock, "state"))
    gen_statem.cast(lock, "lock")
    state, data = await gen_statem.get_state(lock)
    print("get_state:", state, data["typed"] == "")
    await gen_statem.stop(lock)
    print("stopped:", runtime.whereis("lock"))

runtime.logger.set_level("none")
print(runtime.run(main))
