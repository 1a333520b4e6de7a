# The UART frames (runtime/dist/frames.py) on a target: frames of every
# size and channel through a wire that drops, inserts and garbles bytes
# (a pseudo-random walk of our own, the same on every target), then a
# frame held behind a header whose length was garbled upwards. Prints one
# summary line per wire and one for the held frame; the test computes the
# same lines on CPython.
from runtime.dist import frames


class Walk:
    """A small LCG: the same numbers on CPython and MicroPython."""

    def __init__(self, seed):
        self.state = seed

    def below(self, n):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.state >> 8) % n


def sent(walk, count):
    out = []
    for i in range(count):
        n = walk.below(frames.MAX_PAYLOAD + 1)
        payload = bytes((i + j) & 255 for j in range(n))
        out.append((walk.below(256), frames.KINDS[walk.below(len(frames.KINDS))],
                    walk.below(256), payload))
    return out


def wire(walk, data, damage):
    """data with `damage` bytes dropped, inserted or changed."""
    data = bytearray(data)
    for _ in range(damage):
        at = walk.below(len(data))
        how = walk.below(3)
        if how == 0:
            data[at:at + 1] = b""
        elif how == 1:
            data[at:at] = bytes((walk.below(256),))
        else:
            data[at] = walk.below(256)
    return data


def damaged(count, damage):
    walk = Walk(damage + 1)
    frames_sent = sent(walk, count)
    data = bytearray()
    for channel, kind, seq, payload in frames_sent:
        data += frames.encode(channel, kind, payload, seq)
    data = wire(walk, data, damage)
    decoder = frames.Decoder()
    got = []
    at = 0
    while at < len(data):  # in pieces, as a UART delivers them
        step = 1 + walk.below(97)
        decoder.feed(data[at:at + step])
        got += decoder.frames()
        at += step
    intact = sum(1 for frame in got if frame in frames_sent)
    print("damage %d: %d of %d frames, %d intact, %d bad, %d bytes skipped"
          % (damage, len(got), count, intact, decoder.bad, decoder.skipped))


def held():
    """A header claiming a whole payload, then a real frame: the decoder
    waits for the claimed bytes until the partial frame is given up."""
    decoder = frames.Decoder()
    behind = frames.encode(7, frames.DATA, b"behind", 3)
    decoder.feed(b"\xf7\x5a\x07\x02\x00\x01\x00" + behind)
    before = decoder.frames()
    waiting = decoder.waiting() is not None
    decoder.expire()
    after = decoder.frames()
    print("held: %d frames while it waits (%s), %r once given up, %d bad, %d left"
          % (len(before), "waiting" if waiting else "not waiting", after, decoder.bad,
             len(decoder.buffer)))


def run(count, damages):
    for damage in damages:
        damaged(count, damage)
    held()
