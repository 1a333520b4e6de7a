# Messages that cannot be copied (a cyclic list, a structure nested deeper
# than the stack allows) fail in the sender; a huge one arrives whole.
SIZE = 2000 if SMALL else 20000
DEPTH = 1000  # deeper than copying can go on the C stack of any target here


async def echo():
    sender, message = await runtime.receive()
    runtime.send(sender, len(message))


async def try_send(message):
    pid = runtime.spawn(echo)
    try:
        runtime.send(pid, (runtime.self_pid(), message))
    except Exception as e:
        runtime.exit(pid, "kill")
        return kind(e)
    return await runtime.receive(timeout=5000)


def deep():
    term = [0]
    for _ in range(DEPTH):
        term = [term]
    return term


async def main():
    return (await try_send(cyclic_list()), await try_send(deep()),
            await try_send(list(range(SIZE))) == SIZE)


probe("hostile_messages", main)
