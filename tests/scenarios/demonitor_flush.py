# demonitor(ref, flush=True) also removes a DOWN already queued; without
# flush the DOWN stays. Other messages keep their order.
import runtime


async def short():
    pass


async def main():
    for flush in (False, True):
        pid, ref = runtime.spawn_monitor(short)
        runtime.send(runtime.self_pid(), "before")
        await runtime.sleep(10)  # the DOWN is queued now
        runtime.send(runtime.self_pid(), "after")
        print("flush", flush, "queue before:", runtime.process_info(runtime.self_pid())["message_queue_len"])
        print(runtime.demonitor(ref, flush=flush))
        left = []
        while True:
            msg = await runtime.receive(timeout=0)
            if msg is runtime.TIMEOUT:
                break
            left.append("DOWN" if msg[0] == "DOWN" else msg)
        print("left:", left)

runtime.run(main)
