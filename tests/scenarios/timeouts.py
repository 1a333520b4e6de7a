# Receive timeouts: 0 polls, the timeout runs from the call (messages that do
# not match do not extend it), a message arriving after the timeout stays
# queued, and None waits for as long as it takes.
import runtime


async def main():
    me = runtime.self_pid()
    print("poll, empty:", await runtime.receive(timeout=0))
    runtime.send(me, "queued")
    print("poll, queued:", await runtime.receive(timeout=0))

    runtime.send_after(30, me, "soon")
    print("in time:", await runtime.receive("soon", timeout=300))

    runtime.send_after(200, me, "late")
    print("too late:", await runtime.receive("late", timeout=20))
    print("but it is queued afterwards:", await runtime.receive("late", timeout=1000))

    # Non-matching messages keep arriving every few ms; the timeout still
    # falls due 50 ms after the call.
    async def chatter():
        while True:
            runtime.send(me, "noise")
            await runtime.sleep(5)

    c = runtime.spawn(chatter)
    print("among noise:", await runtime.receive("never", timeout=50))
    runtime.exit(c, "kill")
    print("noise queued:", runtime.process_info(me)["message_queue_len"] > 0)

    runtime.send_after(20, me, "eventually")
    print("no timeout:", await runtime.receive("eventually"))

    for bad in (-1, "10"):
        try:
            await runtime.receive(timeout=bad)
        except (TypeError, ValueError) as e:
            print(type(e).__name__ + ":", e)

runtime.run(main)
