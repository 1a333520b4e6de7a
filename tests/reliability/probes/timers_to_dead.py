# Timers aimed at a process, and the receive timeout of a process killed
# while waiting, go when it goes, with what they hold: the heap is back at
# once, not when the timers would have fired.
SIZE = 4096 if SMALL else 65536


async def waits():
    await runtime.receive("never", timeout=600000)


def set_timers(pid):
    # In a frame of its own: MicroPython's GC scans a coroutine's whole
    # frame, where a stale pointer to a message would keep it alive.
    for _ in range(4):
        runtime.send_after(600000, pid, bytearray(SIZE))


async def main():
    before = heap_free()
    pid = runtime.spawn(waits)
    await runtime.sleep(1)
    set_timers(pid)
    held = before - heap_free()
    runtime.exit(pid, "kill")
    await runtime.sleep(1)
    back = before - heap_free()
    return (held >= 4 * SIZE, back < SIZE)


probe("timers_to_dead", main)
