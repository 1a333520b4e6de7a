# Two UART links (runtime/dist/uart_link.py) over uart1 and uart2, which
# the target wires to each other: channels opened from both sides, more
# data than a channel's window both ways, garbage on the wire between
# frames, a channel closed by its peer. Prints what it saw.
import libos
import runtime
from runtime import receive, spawn
from runtime.dist import uart_link


def pattern(n, seed):
    return bytes((i * 7 + seed) & 255 for i in range(n))


async def echo_side(link):
    link.listen()
    while True:
        message = await receive(("accepted", runtime.ANY))
        channel = message[1]
        print("accepted", channel.number, channel.purpose)
        channel.give(spawn(echo, channel))


async def echo(channel):
    while True:
        data = await channel.read_exactly(1, 5000)
        if data is runtime.TIMEOUT:
            return
        channel.write(data + channel.take(len(channel.inbox)))


async def main(size):
    one = uart_link.start(1, True)
    two = uart_link.start(2, False)
    spawn(echo_side, two)
    await runtime.sleep(10)
    channels = [one.open(b"first"), one.open(b"second")]
    for i, channel in enumerate(channels):
        channel.write(pattern(size, i))
    libos.uart(1).write(b"\xf7\x5a garbage \x00\xff")  # between frames: skipped by the far end
    for i, channel in enumerate(channels):
        back = b""
        while len(back) < size:  # a channel holds a window at most: in pieces
            piece = await channel.read_exactly(min(1000, size - len(back)), 10000)
            if piece is runtime.TIMEOUT:
                break
            back += piece
        print("channel", channel.number, "echoed", back == pattern(size, i))
    channels[0].close()
    await runtime.sleep(50)
    channels[1].write(b"still")
    print("after a close", await channels[1].read_exactly(5, 5000))

