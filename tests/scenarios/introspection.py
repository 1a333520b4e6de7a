# processes() and process_info(): status, queue length, links, monitors,
# trap_exit, priority, reductions, registered name, memory estimate.
import runtime


async def waiter():
    await runtime.receive("never")


async def main():
    me = runtime.self_pid()
    w = runtime.spawn_link(waiter)
    runtime.register("waiter", w)
    ref = runtime.monitor(w)
    r = runtime.spawn_opt(waiter, priority="low")
    print("processes:", runtime.processes() == [me, w, r])
    info = runtime.process_info(me)
    print("keys:", sorted(info))
    print("me:", info["status"], info["links"] == [w], info["monitors"] == [("process", w)],
          info["trap_exit"], info["priority"], info["registered_name"], info["initial_call"])
    print("r before it ran:", runtime.process_info(r)["status"], runtime.process_info(r)["priority"])
    await runtime.sleep(5)
    for msg in ("a", "b", "c"):
        runtime.send(w, msg)
    print("w woken to look at them:", runtime.process_info(w)["status"])
    await runtime.sleep(5)
    info = runtime.process_info(w)
    print("w:", info["status"], info["message_queue_len"], info["links"] == [me],
          info["monitored_by"] == [me], info["registered_name"], info["reductions"] > 0)
    print("memory is an estimate in bytes:", type(info["memory"]) is int and info["memory"] > 0)
    before = runtime.process_info(w)["memory"]
    for i in range(50):
        runtime.send(w, i)
    print("grows with the queue:", runtime.process_info(w)["memory"] > before)
    runtime.exit(r, "kill")
    print("r after kill, before it ran:", runtime.process_info(r)["status"])
    await runtime.sleep(5)
    print("r after it ran:", runtime.process_info(r))
    print("processes:", runtime.processes() == [me, w])
    try:
        runtime.process_info("waiter")
    except TypeError as e:
        print("TypeError:", e)

runtime.run(main)
print("after run:", runtime.processes())
