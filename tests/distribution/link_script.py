# Two UART links (runtime/dist/uart_link.py) over uart1 and uart2, which
# the target wires to each other: channels opened from both sides, more
# data than a channel's window both ways, garbage on the wire between
# frames, a channel closed by its peer; then what a damaged wire does: a
# frame held behind a header whose length was garbled, the peer's credit
# lost for the link and for a channel (as if its CREDIT frames never came),
# and a DATA frame lost. Prints what it saw.
import libos
import runtime
from runtime import receive, spawn
from runtime.dist import frames, uart_link
from runtime.dist.carrier import Closed

READ_MS = 5000
HELD_MS = 3000  # well past STALE_MS; ticks alone would take several seconds to fill
                # the garbled length


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
    try:
        while True:
            data = await channel.read_exactly(1, READ_MS)
            if data is runtime.TIMEOUT:
                return
            channel.write(data + channel.take(len(channel.inbox)))
    except Closed:
        return


async def echoed(channel, data, timeout=READ_MS):
    channel.write(data)
    return await channel.read_exactly(len(data), timeout)


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
    second = channels[1]
    print("after a close", await echoed(second, b"still"))

    # A header claiming a whole payload: the frame behind it waits until
    # the far end gives that partial frame up.
    libos.uart(1).write(b"\xf7\x5a\x03\x02\x00\x01\x00")
    print("behind a garbled length", await echoed(second, b"held", HELD_MS))

    # The peer's credit as if its CREDIT frames of a whole window were lost:
    # its next TICK (and the channel's count after it) says it again.
    writer = one.writer
    writer.peer_taken = (writer.sent - uart_link.LINK_WINDOW) % frames.COUNT
    print("the link's credit lost", await echoed(second, b"link"))
    second.peer_taken = (second.sent - uart_link.WINDOW) % frames.COUNT
    print("the channel's credit lost", await echoed(second, b"channel"))

    # A DATA frame lost: the next one's seq shows the gap, and the far end
    # closes the channel; the link goes on.
    await runtime.sleep(50)
    gap = (second.sent_frames + 1) & 255
    libos.uart(1).write(frames.encode(second.number, frames.DATA, b"after a gap", gap))
    try:
        await second.read_exactly(1, READ_MS)
        print("a lost frame: channel", second.number, "still open")
    except Closed:
        print("a lost frame: channel", second.number, "closed")
    third = one.open(b"third")
    print("a new channel", await echoed(third, b"goes on"))
