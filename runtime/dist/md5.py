"""MD5 (RFC 1321): md5(data) -> the 16-byte digest of a bytes-like `data`.

The distribution handshake needs it (digest = MD5(cookie ++ the decimal
text of the peer's 32-bit challenge)) and MicroPython here has no hashlib.
MD5 is broken as a cryptographic hash; Erlang's handshake uses it anyway,
and so must we to talk to OTP.

The 64 additive constants are written out rather than computed from sin():
the boards' floats are single precision. On a 32-bit board an int above
2**30 lives on the heap, so each step allocates; that is slow only next to
C, and a handshake hashes one 64-byte block.
"""
import struct

# K[i] = floor(abs(sin(i + 1)) * 2**32), as RFC 1321 tabulates it.
_K = (
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
)

# Per step: the left rotation, and which of the block's 16 words it adds.
_SHIFT = (7, 12, 17, 22) * 4 + (5, 9, 14, 20) * 4 + (4, 11, 16, 23) * 4 + (6, 10, 15, 21) * 4
_WORD = tuple(range(16)) + tuple((5 * i + 1) % 16 for i in range(16)) \
    + tuple((3 * i + 5) % 16 for i in range(16)) + tuple((7 * i) % 16 for i in range(16))

_MASK = 0xFFFFFFFF


def md5(data):
    """The MD5 digest of `data` (bytes, bytearray or memoryview), 16 bytes."""
    state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]
    whole = len(data) - len(data) % 64
    for offset in range(0, whole, 64):
        _block(state, struct.unpack_from("<16I", data, offset))
    # The tail: the last partial block, a 1 bit, zeros up to 56 bytes mod
    # 64, then the message length in bits, 64-bit little-endian.
    tail = bytes(data[whole:]) + b"\x80"
    tail += b"\0" * ((56 - len(tail)) % 64) + struct.pack("<Q", 8 * len(data))
    for offset in range(0, len(tail), 64):
        _block(state, struct.unpack_from("<16I", tail, offset))
    return struct.pack("<4I", *state)


def _block(state, words):
    """Folds one 64-byte block (as 16 little-endian words) into state."""
    a, b, c, d = state
    for i in range(64):
        if i < 16:
            f = d ^ (b & (c ^ d))
        elif i < 32:
            f = c ^ (d & (b ^ c))
        elif i < 48:
            f = b ^ c ^ d
        else:
            f = c ^ (b | (d ^ _MASK))
        f = (f + a + _K[i] + words[_WORD[i]]) & _MASK
        shift = _SHIFT[i]
        a, d, c = d, c, b
        b = (b + (((f << shift) & _MASK) | (f >> (32 - shift)))) & _MASK
    state[0] = (state[0] + a) & _MASK
    state[1] = (state[1] + b) & _MASK
    state[2] = (state[2] + c) & _MASK
    state[3] = (state[3] + d) & _MASK
