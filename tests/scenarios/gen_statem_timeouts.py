# gen_statem timeouts: an event timeout fires when no event comes in time
# and is cancelled by any event; a state timeout survives events but is
# cancelled by a state change; generic timeouts are named, run side by
# side, and are cancelled or replaced only by name. Setting one again
# replaces it; 'infinity' and 'cancel' cancel.
import runtime
from runtime import ANY, gen_statem


class Machine(gen_statem.GenStatem):
    callback_mode = "handle_event_function"

    def init(self, arg):
        return ("ok", "idle", None)

    def handle_event(self, event, content, state, data):
        if event == "cast":
            print(state, "got cast", content)
            if content == "event_timeout":
                return ("keep_state_and_data", [("timeout", 100, "no events for 100 ms")])
            if content == "state_timeout":
                return ("keep_state_and_data", [("state_timeout", 150, "150 ms in this state")])
            if content == "generic":
                return ("keep_state_and_data", [(("timeout", "a"), 50, "a fired"),
                                                (("timeout", "b"), 150, "b fired"),
                                                (("timeout", "c"), 150, "c fired")])
            if content == "cancel_b":
                return ("keep_state_and_data", [(("timeout", "b"), "cancel"), (("timeout", "c"), 200, "c replaced")])
            if content == "infinity":
                return ("keep_state_and_data", [("state_timeout", "infinity", None)])
            if content == "move":
                return ("next_state", "moved", data)
            return "keep_state_and_data"
        if event == "info":
            return "keep_state_and_data"
        print(state, "got", event, content)
        return ("keep_state", data, [("reply", data, "fired")]) if data else "keep_state_and_data"


async def main():
    m = await gen_statem.start_link(Machine, None)
    gen_statem.cast(m, "event_timeout")
    await runtime.sleep(200)
    gen_statem.cast(m, "event_timeout")
    await runtime.sleep(20)
    gen_statem.cast(m, "other")  # cancels it
    await runtime.sleep(200)
    print("-")
    gen_statem.cast(m, "state_timeout")
    await runtime.sleep(20)
    runtime.send(m, "an info event does not cancel it")
    await runtime.sleep(200)
    gen_statem.cast(m, "state_timeout")
    await runtime.sleep(20)
    gen_statem.cast(m, "move")  # cancels it
    await runtime.sleep(200)
    gen_statem.cast(m, "state_timeout")
    await runtime.sleep(20)
    gen_statem.cast(m, "infinity")  # cancels it too
    await runtime.sleep(200)
    print("-")
    gen_statem.cast(m, "generic")
    await runtime.sleep(100)
    gen_statem.cast(m, "cancel_b")
    await runtime.sleep(300)
    print("timers left:", runtime.process_info(m)["message_queue_len"])

runtime.logger.set_level("none")
print(runtime.run(main))
