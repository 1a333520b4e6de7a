# A process that runs out of memory exits with the MemoryError; the
# scheduler and the other processes keep running. On MicroPython the process
# fills the heap a kilobyte at a time; on CPython (whose heap is the host's)
# it asks for an impossible amount at once.
import sys
import runtime


async def hog():
    if sys.implementation.name == "micropython":
        chunks = []
        while True:
            chunks.append(bytearray(1024))
    else:
        bytearray(sys.maxsize // 2)


async def bystander(out):
    await runtime.receive("go")
    runtime.send(out, "bystander fine")


async def main():
    me = runtime.self_pid()
    b = runtime.spawn(bystander, me)
    pid, ref = runtime.spawn_monitor(hog)
    reason = (await runtime.receive(("DOWN", ref, "process", pid, runtime.ANY)))[4]
    print("hog exited with", type(reason).__name__)
    runtime.send(b, "go")
    print(await runtime.receive(timeout=1000))
    big = [bytearray(1024) for _ in range(16)]
    print("memory is usable again:", len(big))
    print("crash reports:", len(runtime.logger.recent()))

runtime.logger.set_level("none")
print(runtime.run(main))
