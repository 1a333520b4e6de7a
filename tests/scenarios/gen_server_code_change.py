# Code change, OTP's way in Python: suspend the server (it answers only
# system messages; calls wait), give it the new class with change_code
# (whose code_change converts the state), resume: the queued calls are
# served by the new code. get_state reads the state. change_code refuses a
# server that is not suspended, and a failing code_change leaves the old
# code running.
import runtime
from runtime import ANY, gen_server


class CounterV1(gen_server.GenServer):
    def handle_call(self, request, from_, count):
        return ("reply", ("v1", count), count + 1)


class CounterV2(gen_server.GenServer):
    def handle_call(self, request, from_, state):
        calls, since = state
        return ("reply", ("v2", calls, "since", since), (calls + 1, since))

    def code_change(self, old_vsn, count, extra):
        print("code_change from", old_vsn, "with", extra)
        return (count, old_vsn)


class Broken(gen_server.GenServer):
    def code_change(self, old_vsn, state, extra):
        raise ValueError("cannot convert")


async def client(server, out):
    runtime.send(out, ("client got", await gen_server.call(server, "hit")))


async def main():
    me = runtime.self_pid()
    pid = await gen_server.start_link(CounterV1, 0, name="counter")
    print(await gen_server.call("counter", "hit"))
    print("state:", await gen_server.get_state("counter"))
    try:
        await gen_server.change_code("counter", CounterV2, 1)
    except gen_server.Error as e:
        print("not suspended ->", e.reason)
    await gen_server.suspend("counter")
    runtime.spawn(client, pid, me)
    await runtime.sleep(5)
    print("while suspended, the call waits:", runtime.process_info(pid)["message_queue_len"])
    print("state while suspended:", await gen_server.get_state(pid))
    try:
        await gen_server.change_code(pid, Broken, 1)
    except gen_server.Error as e:
        print("failing code_change ->", runtime.logger.describe(e.reason))
    try:
        await gen_server.change_code(pid, dict, 1)
    except gen_server.Error as e:
        print("not a GenServer ->", type(e.reason).__name__)
    await gen_server.change_code(pid, CounterV2, 1, "extra")
    await gen_server.resume(pid)
    print(await runtime.receive(("client got", ANY)))
    print(await gen_server.call(pid, "hit"))
    print(await gen_server.call(pid, "hit", timeout=10))

runtime.logger.set_level("none")
print(runtime.run(main))
