# The edges of the process core (on our firmware, the record and mailbox of
# firmware/record.c; elsewhere their Python twin): a mailbox compacted while
# messages are taken around a selective receive, a predicate that sends to
# its own process in the middle of a scan, a process killed while it waits
# in the run queue, a timer cancelled when it is due but has not fired, and
# a heap too full for a record's rare fields.
import sys
import runtime
from runtime import ANY, TIMEOUT, receive, self_pid, send


async def compaction():
    me = self_pid()
    for i in range(80):
        send(me, ("m", i))
    send(me, "marker")
    taken = []
    for _ in range(40):                            # the head passes 32: compacted
        taken.append(await receive())
    marker = await receive("marker")               # selective, from the compacted list
    rest = []
    while True:
        msg = await receive(timeout=0)
        if msg is TIMEOUT:
            break
        rest.append(msg)
    ok = taken == [("m", i) for i in range(40)] and rest == [("m", i) for i in range(40, 80)]
    print("compaction:", marker, len(taken), len(rest), "in order" if ok else "OUT OF ORDER")


async def sending_predicate():
    me = self_pid()
    for i in range(3):
        send(me, ("noise", i))
    sent = []

    def wanted(msg):
        if not sent:
            sent.append(1)
            send(me, ("late", 0))  # arrives during the scan
        return msg == ("late", 0)

    first = await receive(wanted, timeout=0)       # the scan does not see it yet
    second = await receive(wanted, timeout=100)    # the next look does
    noise = []
    for _ in range(3):
        noise.append(await receive(timeout=0))
    print("predicate that sends:", first, second, noise)


async def spinner(out):
    send(out, "running")
    while True:
        await runtime.sleep(0)  # always back in the run queue


async def killed_while_queued():
    me = self_pid()
    pid, ref = runtime.spawn_monitor(spinner, me)
    await receive("running")
    runtime.exit(pid, "kill")  # it sits in the run queue
    down = await receive(("DOWN", ref, ANY, ANY, ANY), timeout=1000)
    print("killed while queued:", down[4], pid in runtime.processes())


async def cancelled_when_due():
    me = self_pid()
    ref = runtime.send_after(0, me, "due")
    left = runtime.cancel_timer(ref)  # due at once, not fired: the loop has not run
    got = await receive("due", timeout=50)
    print("cancelled when due:", left, got)


async def rare_fields_when_full():
    # Fill the heap, then link: the record must find room for its links.
    # Either it does (CPython's heap never fills; the runtime's memory
    # policy may make room) or the link raises MemoryError in this process
    # alone, which exits with it.
    me = self_pid()

    async def linker():
        hog = []
        if sys.implementation.name == "micropython":
            try:
                while True:
                    hog.append((None, None))
            except MemoryError:
                pass
        runtime.link(me)
        hog = None
        send(me, "linked")

    runtime.trap_exit(True)
    pid = runtime.spawn(linker)
    msg = await receive("linked", ("EXIT", pid, ANY), timeout=2000)
    if msg == "linked":
        msg = await receive(("EXIT", pid, "normal"), timeout=1000)
        msg = "linked" if msg is not TIMEOUT else msg
    handled = msg == "linked" or (msg is not TIMEOUT and isinstance(msg[2], MemoryError))
    print("rare fields when full:", "handled" if handled else msg)
    runtime.trap_exit(False)


async def main():
    await compaction()
    await sending_predicate()
    await killed_while_queued()
    await cancelled_when_due()
    await rare_fields_when_full()
    print("nothing left over:", await runtime.receive(timeout=0) is TIMEOUT)


runtime.logger.set_level("none")
print(runtime.run(main))
