# Hibernation gives memory back: a gen_server and a gen_statem each hold,
# while they wait, their init argument (referenced from the frames under
# their loops), though their state is small; hibernating drops those frames
# and collects the heap, so the heap in use shrinks by at least its size
# (measured with libos.mem(): the MicroPython heap on a board and on posix,
# the process's resident memory on CPython, where a buffer this large is
# given back to the host when freed). Each then keeps serving, with its
# state, woken by its next message.
import gc

import libos
import runtime
from runtime import gen_server, gen_statem

# Large enough to see against the rest of the heap, small enough for a board.
SIZE = min(libos.mem()["heap_total"] // 16, 1 << 20)


def heap_used():
    gc.collect()
    return libos.mem()["heap_used"]


class Server(gen_server.GenServer):
    def init(self, big):
        return len(big)  # the state is small; `big` stays referenced by the loop's frames

    def handle_call(self, request, from_, total):
        if request == "hibernate":
            return ("reply", "ok", total, "hibernate")
        return ("reply", total, total + len(request))


class Machine(gen_statem.GenStatem):
    callback_mode = "handle_event_function"

    def init(self, big):
        return ("ok", "open", len(big))

    def handle_event(self, kind, content, state, total):
        if content == "hibernate":
            return ("keep_state_and_data", [("reply", kind[1], "ok"), "hibernate"])
        return ("keep_state", total + len(content), [("reply", kind[1], (state, total))])


async def measure(name, behaviour, cls):
    pid = await behaviour.start(cls, bytearray(SIZE))
    await behaviour.call(pid, b"")
    await runtime.sleep(1)
    awake = heap_used()
    print(name, "hibernates:", await behaviour.call(pid, "hibernate"))
    await runtime.sleep(1)
    asleep = heap_used()
    print(name, "gave back at least its init argument:", awake - asleep >= SIZE)
    if awake - asleep < SIZE:
        print("  heap used awake", awake, "hibernating", asleep, "size", SIZE)
    print(name, "waits:", runtime.process_info(pid)["status"])
    print(name, "still serves with its state:", await behaviour.call(pid, b"xy") == (
        SIZE if behaviour is gen_server else ("open", SIZE)))
    await behaviour.stop(pid)


async def main():
    await measure("gen_server", gen_server, Server)
    await measure("gen_statem", gen_statem, Machine)


runtime.run(main)
