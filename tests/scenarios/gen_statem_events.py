# gen_statem in handle_event_function mode: any term is a state; one
# handle_event for all. repeat_state runs the state enter call again;
# ('stop', reason, data) and ('stop_and_reply', ...) run terminate; init's
# actions run before the first event.
import runtime
from runtime import ANY, gen_statem


class Counter(gen_statem.GenStatem):
    callback_mode = ("handle_event_function", "state_enter")

    def init(self, start):
        return ("ok", ("count", start), [], [("next_event", "internal", "boot")])

    def handle_event(self, event, content, state, data):
        if event == "enter":
            print("enter", state, "from", content)
            return "keep_state_and_data"
        if event == "internal":
            print("internal", content, "in", state)
            return ("keep_state", data + [content])
        if event == "cast" and content == "up":
            return ("next_state", ("count", state[1] + 1), data + ["up"])
        if event == "cast" and content == "again":
            return ("repeat_state", data + ["again"])
        if event == "cast" and content == "same":
            return ("next_state", state, data + ["same"])
        if event[0] == "call" and content == "log":
            return ("keep_state", data, [("reply", event[1], data)])
        if event[0] == "call" and content == "quit":
            return ("stop_and_reply", "quit", [("reply", event[1], "bye")], data + ["quit"])
        return ("stop", ("unexpected", content), data)

    def terminate(self, reason, state, data):
        print("terminate", reason, state, data)


async def main():
    runtime.trap_exit(True)
    pid = await gen_statem.start_link(Counter, 0)
    for msg in ("up", "again", "same", "up"):
        gen_statem.cast(pid, msg)
    print(await gen_statem.call(pid, "log"))
    print(await gen_statem.call(pid, "quit"))
    print(await runtime.receive(("EXIT", pid, ANY)))
    pid = await gen_statem.start_link(Counter, 5)
    runtime.send(pid, "surprise")
    print(await runtime.receive(("EXIT", pid, ANY)))

runtime.logger.set_level("none")
print(runtime.run(main))
