# Timers: send_after delivers after the delay (to a pid or a name looked up
# when it fires), timers due together fire in the order they were set,
# cancel_timer returns the time left or False, sleep suspends.
import runtime


async def main():
    me = runtime.self_pid()
    runtime.send_after(40, me, "third")
    runtime.send_after(10, me, "first")
    runtime.send_after(20, me, "second")
    for tag in ("a", "b", "c"):
        runtime.send_after(30, me, tag)
    got = []
    for _ in range(6):
        got.append(await runtime.receive())
    print(got)

    t = runtime.send_after(1000, me, "cancelled")
    left = runtime.cancel_timer(t)
    print("cancel: ms left in range:", 0 < left <= 1000)
    print("cancel again:", runtime.cancel_timer(t))
    t = runtime.send_after(5, me, "fired")
    print(await runtime.receive())
    print("cancel after firing:", runtime.cancel_timer(t))
    print("cancelled one never arrives:", await runtime.receive(timeout=50))

    # To a registered name, looked up when the timer fires.
    runtime.send_after(10, "later", "to a name")
    runtime.register("later", me)
    print(await runtime.receive(timeout=1000))
    runtime.unregister("later")
    runtime.send_after(10, "later", "to nobody")  # no error when it fires
    await runtime.sleep(30)

    # sleep leaves messages queued, and they do not wake it.
    runtime.send_after(5, me, "during sleep")
    await runtime.sleep(30)
    print("after sleep, queued:", runtime.process_info(me)["message_queue_len"], await runtime.receive(timeout=0))
    for bad in (-5, None):
        try:
            runtime.send_after(bad, me, "x")
        except (TypeError, ValueError) as e:
            print(type(e).__name__ + ":", e)
    try:
        runtime.cancel_timer("t")
    except TypeError as e:
        print("TypeError:", e)

runtime.run(main)
