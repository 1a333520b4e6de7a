# gen_server: start_link returns once init ran (the name is registered
# before it); call by pid or name; cast; handle_info gets other messages;
# a deferred reply with reply(); a call that times out raises CallExit,
# which the caller may catch, and the late reply never reaches its mailbox;
# uncaught, the caller exits with OTP's timeout reason; a reply or noreply
# with a timeout makes handle_info('timeout') run when nothing comes.
import runtime
from runtime import ANY, gen_server


class Counter(gen_server.GenServer):
    def init(self, n):
        print("init: registered as", runtime.process_info(runtime.self_pid())["registered_name"])
        return {"n": n, "waiting": []}

    def handle_call(self, request, from_, state):
        if request == "get":
            return ("reply", state["n"], state)
        if request == "wait":  # answered by the next 'release' cast
            state["waiting"].append(from_)
            return ("noreply", state)
        if request == "idle":
            return ("reply", "idle armed", state, 20)
        return ("reply", ("unknown", request), state)

    def handle_cast(self, msg, state):
        if msg == "release":
            for from_ in state["waiting"]:
                gen_server.reply(from_, ("released", state["n"]))
            state["waiting"] = []
        else:
            state["n"] += msg
        return ("noreply", state)

    def handle_info(self, msg, state):
        print("handle_info:", msg)
        return ("noreply", state)


async def waiter(out):
    runtime.send(out, ("waiter got", await gen_server.call("counter", "wait")))


async def impatient(out):
    await gen_server.call("counter", "wait", timeout=10)


async def main():
    me = runtime.self_pid()
    pid = await gen_server.start_link(Counter, 5, name="counter")
    print("started:", runtime.whereis("counter") is pid)
    print("call by name:", await gen_server.call("counter", "get"))
    gen_server.cast(pid, 10)
    print("call by pid after a cast:", await gen_server.call(pid, "get"))
    runtime.send(pid, ("hello", 1))
    print("call after a message:", await gen_server.call(pid, "get"))

    runtime.spawn(waiter, me)
    await runtime.sleep(1)
    gen_server.cast(pid, "release")
    print(await runtime.receive(("waiter got", ANY)))

    try:
        await gen_server.call(pid, "wait", timeout=10)
    except gen_server.CallExit as e:
        print("caught:", e.reason[0], e.reason[1][:2], e.reason[1][2][1:])
    gen_server.cast(pid, "release")  # replies to the call that gave up
    print("call after the late reply:", await gen_server.call(pid, "get"))
    print("queue after the late reply:", runtime.process_info(me)["message_queue_len"])

    p, ref = runtime.spawn_monitor(impatient, me)
    reason = (await runtime.receive(("DOWN", ref, ANY, ANY, ANY)))[4]
    print("uncaught timeout: the caller exited with", reason[0], reason[1][:2])
    gen_server.cast(pid, "release")

    print(await gen_server.call(pid, "idle"))
    await runtime.sleep(50)
    print("still serving:", await gen_server.call(pid, "get"))

runtime.logger.set_level("none")
print(runtime.run(main))
