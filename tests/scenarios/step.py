# Driving the scheduler in steps, as the REPL does while it waits for input:
# spawn, send, exit, whereis, processes and process_info work outside any
# process; step() runs one round and says how long until something is due.
import runtime


async def echo():
    runtime.register("echo", runtime.self_pid())
    runtime.trap_exit(True)
    while True:
        print("echo got", await runtime.receive())


async def ticker(n):
    for i in range(n):
        await runtime.sleep(10)
    print("ticker done")


pid = runtime.spawn(echo)
print("before any step:", runtime.process_info(pid)["status"], runtime.whereis("echo"))
print("step:", runtime.step())
print("after a step:", runtime.process_info(pid)["status"], runtime.whereis("echo") is pid)
runtime.send("echo", ("hello", 1))
runtime.send(pid, ("hello", 2))
print("step:", runtime.step())
t = runtime.spawn(ticker, 3)
runtime.step()
wait = runtime.step()
print("step with only a timer pending returns its distance:", 0 < wait <= 10000)
while runtime.process_info(t) is not None:
    wait = runtime.step()
    if wait:
        runtime.step()  # (a REPL would wait for input for up to `wait` us here)
print("processes:", runtime.processes() == [pid])
runtime.exit(pid, "from the repl")
runtime.step()
runtime.exit(pid, "kill")
runtime.step()
print("after kill:", runtime.process_info(pid), runtime.processes(), runtime.step())
