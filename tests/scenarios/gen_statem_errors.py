# gen_statem bad input: a wrong result or action crashes the machine with
# a reason naming it (terminate runs first); a state enter call may not
# change the state, postpone or insert events; a bad callback_mode fails
# the start; init may stop, ignore or return a wrong shape; a callback that
# raises crashes it and a waiting caller gets the reason.
import runtime
from runtime import ANY, gen_statem


class Machine(gen_statem.GenStatem):
    callback_mode = ("handle_event_function", "state_enter")

    def init(self, arg):
        if arg in ("stop", "ignore", "shape"):
            return {"stop": ("stop", "no"), "ignore": ("ignore",), "shape": ("ok", "only_state")}[arg]
        return ("ok", "start", arg)

    def handle_event(self, event, content, state, data):
        if event == "enter":
            if state == "start" or data is None:
                return "keep_state_and_data"
            return data  # what the enter call returns, chosen by the test
        if event[0] == "call":
            if content == "raise":
                raise ValueError("raised in a call")
            return ("next_state", "entered", content)
        return content  # a cast's content is the result

    def terminate(self, reason, state, data):
        print("  terminate:", runtime.logger.describe(reason))


class BadMode(gen_statem.GenStatem):
    callback_mode = "functions_of_state"


async def down(pid):
    ref = runtime.monitor(pid)
    return runtime.logger.describe((await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4])


async def main():
    for result in ("keep_state", ("next_state", "x"), ("keep_state", 1, 2, 3), 42,
                   ("keep_state_and_data", [("reply", 1)]), ("keep_state_and_data", [("state_timeout", -1, 0)]),
                   ("keep_state_and_data", "postpone_later"), ("stop_and_reply", "r", ["no reply"])):
        pid = await gen_statem.start(Machine, None)
        gen_statem.cast(pid, result)
        print(result, "->", await down(pid))
    for enter_result in (("next_state", "elsewhere", 1), ("keep_state_and_data", "postpone"),
                         ("keep_state_and_data", [("next_event", "internal", 1)])):
        pid = await gen_statem.start(Machine, None)
        ref = runtime.monitor(pid)
        try:
            await gen_statem.call(pid, enter_result)
        except gen_statem.CallExit as e:
            print("enter call returning", enter_result, "->", runtime.logger.describe(e.reason[0]))
    pid = await gen_statem.start(Machine, None)
    try:
        await gen_statem.call(pid, "raise")
    except gen_statem.CallExit as e:
        print("a call that raises ->", runtime.logger.describe(e.reason[0]))
    for arg in ("stop", "ignore", "shape"):
        try:
            print("init", arg, "->", await gen_statem.start(Machine, arg))
        except gen_statem.Error as e:
            print("init", arg, "-> Error:", e)
    try:
        await gen_statem.start(BadMode, None)
    except gen_statem.Error as e:
        print("bad callback_mode -> Error:", e)
    try:
        await gen_statem.start(Machine.handle_event, None)
    except TypeError as e:
        print("TypeError:", str(e).split(", got")[0])
    print("alive:", len(runtime.processes()))

runtime.logger.set_level("none")
print(runtime.run(main))
