# The UART frames (runtime/dist/frames.py) on a target: frames of every
# size and channel through a wire that drops, inserts and garbles bytes
# (a pseudo-random walk of our own, the same on every target). Prints one
# summary line per wire; the test computes the same lines on CPython.
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
        out.append((walk.below(256), frames.KINDS[walk.below(len(frames.KINDS))], payload))
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


def run(count, damages):
    for damage in damages:
        walk = Walk(damage + 1)
        frames_sent = sent(walk, count)
        data = bytearray()
        for channel, kind, payload in frames_sent:
            data += frames.encode(channel, kind, payload)
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
