# run() returns main's exit reason and leaves the runtime clean: processes
# still alive are killed (their finally blocks run), names and timers are
# dropped, so scenarios can run one after another in one interpreter.
import runtime


async def lingering():
    try:
        await runtime.receive()
    finally:
        print("lingering: finally ran")


async def first():
    runtime.spawn_opt(lingering, name="server")
    runtime.send_after(10000, runtime.self_pid(), "too late")
    await runtime.sleep(1)
    return "ignored"


async def second():
    print("second sees:", runtime.registered(), len(runtime.processes()))
    runtime.spawn_opt(lingering, name="server")
    await runtime.sleep(1)
    raise KeyError("second fails")


async def third(x, y):
    runtime.exit(("shutdown", x + y))

print("first:", runtime.run(first))
print("between runs:", runtime.processes(), runtime.registered())
runtime.logger.set_level("none")
reason = runtime.run(second)
print("second:", type(reason).__name__, reason.args)
print("third:", runtime.run(third, 1, 2))
