"""runtime/dist/md5.py against RFC 1321's test suite and CPython's hashlib."""
import hashlib

from runtime.dist.md5 import md5

# RFC 1321, appendix A.5.
RFC_SUITE = [
    (b"", "d41d8cd98f00b204e9800998ecf8427e"),
    (b"a", "0cc175b9c0f1b6a831c399e269772661"),
    (b"abc", "900150983cd24fb0d6963f7d28e17f72"),
    (b"message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
    (b"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
    (b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
     "d174ab98d277d9f5a5611c2c9f419d9f"),
    (b"1234567890" * 8, "57edf4a22be3c955ac49da2e2107b67a"),
]


def pattern(n):
    return bytes((i * 7 + n) & 255 for i in range(n))


def test_rfc_1321_suite():
    for data, digest in RFC_SUITE:
        assert md5(data).hex() == digest, data


def test_every_length_up_to_200_and_a_few_large_ones():
    for n in list(range(201)) + [1000, 4096, 65537, 300000]:
        assert md5(pattern(n)) == hashlib.md5(pattern(n)).digest(), n


def test_any_bytes_like_input():
    data = pattern(150)
    expected = hashlib.md5(data).digest()
    assert md5(bytearray(data)) == expected
    assert md5(memoryview(data)) == expected
    assert md5(memoryview(b"xx" + data)[2:]) == expected


def test_the_handshake_digest():
    # OTP's dist_util: erlang:md5([Cookie, integer_to_list(Challenge)]).
    challenge = 0xDEADBEEF
    assert md5(b"secretcookie" + str(challenge).encode()) \
        == hashlib.md5(b"secretcookie3735928559").digest()
