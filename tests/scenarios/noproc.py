# Corners with processes that are already gone: linking to one (trapping:
# an EXIT message; not trapping: the caller exits with 'noproc'), monitoring
# one or an unknown name (an immediate DOWN with 'noproc', naming (name, node)
# as OTP's does), and signalling one.
import runtime


async def short():
    pass


async def main():
    me = runtime.self_pid()
    dead = runtime.spawn(short)
    await runtime.sleep(10)
    print("dead is alive:", runtime.process_info(dead) is not None)

    runtime.trap_exit(True)
    runtime.link(dead)
    print(await runtime.receive(timeout=100) == ("EXIT", dead, "noproc"))
    print("links after:", runtime.process_info(me)["links"])
    runtime.trap_exit(False)

    async def linker(out):
        try:
            runtime.link(dead)
            print("never printed")
        finally:
            runtime.send(out, "linker: finally ran")

    pid, ref = runtime.spawn_monitor(linker, me)
    print(await runtime.receive(str))
    print("linker exited with", (await runtime.receive(("DOWN", ref, "process", pid, runtime.ANY)))[4])

    ref = runtime.monitor(dead)
    print(await runtime.receive(timeout=100) == ("DOWN", ref, "process", dead, "noproc"))
    ref = runtime.monitor("nobody")
    print(await runtime.receive(timeout=100) == ("DOWN", ref, "process", ("nobody", "nonode@nohost"), "noproc"))

    # Signals to a dead process are dropped; unlink of it is a no-op.
    runtime.exit(dead, "boom")
    runtime.unlink(dead)
    runtime.send(dead, "hello")
    print("still here, queue:", runtime.process_info(me)["message_queue_len"])

runtime.logger.set_level("none")
print(runtime.run(main))
