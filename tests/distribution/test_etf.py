"""runtime/dist/etf.py in this CPython: the mapping, the choices of
encoding, errors with their offsets and paths, the limits, and OTP 25 (erl)
as the oracle both ways; plus random mutations that must raise DecodeError
and nothing else."""
import math
import random
from collections import namedtuple

import pytest

from runtime.dist import etf
from runtime.dist.etf import (BitString, DecodeError, ExternalPid, ExternalRef, Fun, PairMap,
                              ImproperList, Port, decode, decode_term, encode, encode_into)

EXPORT_SELF = Fun(bytes([etf.EXPORT_EXT, 119, 6]) + b"erlang" + bytes([119, 4]) + b"self"
                  + bytes([etf.SMALL_INTEGER_EXT, 0]))

# Python values that survive encode-then-decode unchanged, one or more per
# mapping and per choice of encoding.
VALUES = [
    0, 255, 256, -1, 2 ** 31 - 1, -2 ** 31, 2 ** 31, -2 ** 31 - 1, 2 ** 64, -2 ** 64,
    2 ** 2040 - 1, 2 ** 2040, -2 ** 3000 + 1,
    0.0, 1.5, -2.5e-10, 1e300, 5e-324,
    "abc", "", "héllo", "日本語", "😀", "a" * 255, "é" * 255,
    True, False, None,
    (), (1,), ("ok", [1, 2], b"x"), tuple(range(300)),
    [], [1, 2, 3], list(range(256)), [1, "a"], [256], [-1], [True], [[]], [0] * 70000,
    b"", b"abc", bytes(range(256)),
    {}, {"a": 1}, {"a": 1, 2: [3], b"k": (None,), (1, 2): {}},
    ImproperList([1], 2), ImproperList(["a", "b"], {}), ImproperList([[]], b"t"),
    BitString(b"\xa0", 3), BitString(b"\x01\x02\x30", 20), BitString(b"\x00", 1),
    ExternalPid("a@b", 1, 2, 3), ExternalPid("", 0, 0, 0xFFFFFFFF),
    ExternalRef("a@b", 7, (1, 2, 3)), ExternalRef("a@b", 7, ()),
    ExternalRef("n", 1, (1, 2, 3, 4, 5)),
    Port("a@b", 5, 1), Port("a@b", 2 ** 40, 1), EXPORT_SELF,
    PairMap([("k", [1]), ({"a": 1}, "map key"), ([1], "list key")]),  # in OTP's key order
    {"nested": [(ExternalPid("a@b", 1, 2, 3), ImproperList([1], "t"), {b"": [{}]})]},
]


def same(a, b):
    """Equality that also requires equal types at every level (Python's ==
    lets 1, 1.0 and True pass for each other)."""
    if type(a) is not type(b):
        return False
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return len(a) == len(b) and all(k in b and same(v, b[k]) for k, v in a.items())
    if type(a) is float:
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b


def has_wide_map(term):
    """Whether term holds a map of two keys or more, whose order OTP and
    Python may choose differently."""
    if type(term) is dict:
        return len(term) > 1 or any(has_wide_map(v) for v in term.values())
    if type(term) in (list, tuple):
        return any(has_wide_map(x) for x in term)
    return False


def nested_list(depth):
    """["x"] inside `depth` lists: that many containers open at once."""
    term = "x"
    for _ in range(depth):
        term = [term]
    return term


# ------------------------------------------------------------ round trips

@pytest.mark.parametrize("value", VALUES, ids=lambda v: repr(v)[:40])
def test_values_survive_a_round_trip(value):
    data = encode(value)
    assert data[0] == 131
    assert same(decode(data), value)
    assert encode(decode(data)) == data


def test_encodings_are_the_ones_otp_chooses():
    assert encode(1) == bytes([131, 97, 1])
    assert encode(256) == bytes([131, 98, 0, 0, 1, 0])
    assert encode(-1) == bytes([131, 98, 255, 255, 255, 255])
    assert encode(2 ** 31) == bytes([131, 110, 4, 0, 0, 0, 0, 128])
    assert encode(-2 ** 64) == bytes([131, 110, 9, 1] + [0] * 8 + [1])
    assert encode(2 ** 2040)[:8] == bytes([131, 111, 0, 0, 1, 0, 0, 0])
    assert encode("abc") == b"\x83\x77\x03abc"
    assert encode("é" * 200)[:4] == bytes([131, 118, 1, 144])
    assert encode(1.5) == bytes([131, 70, 63, 248, 0, 0, 0, 0, 0, 0])
    assert encode([1, 2, 3]) == bytes([131, 107, 0, 3, 1, 2, 3])
    assert encode([1, 256])[1] == etf.LIST_EXT
    assert encode([True])[1] == etf.LIST_EXT
    assert encode([7] * 65535)[1] == etf.STRING_EXT
    assert encode([7] * 65536)[1] == etf.LIST_EXT
    assert encode(tuple(range(255)))[1] == etf.SMALL_TUPLE_EXT
    assert encode(tuple(range(256)))[1] == etf.LARGE_TUPLE_EXT
    assert encode(Port("a", 2 ** 32 - 1, 0))[1] == etf.NEW_PORT_EXT
    assert encode(Port("a", 2 ** 32, 0))[1] == etf.V4_PORT_EXT
    assert encode(BitString(b"\xa0", 3)) == bytes([131, 77, 0, 0, 0, 1, 3, 160])
    assert encode(ImproperList([1, 2], 3)) == bytes([131, 108, 0, 0, 0, 2, 97, 1, 97, 2, 97, 3])


def test_mapping_of_special_atoms_bytearray_and_strings():
    assert decode(encode(True)) is True and decode(encode(False)) is False
    assert decode(encode(None)) is None
    assert decode(encode("true")) is True      # str "true" is the atom true too
    assert encode(bytearray(b"xy")) == encode(b"xy")
    assert type(decode(encode(bytearray(b"xy")))) is bytes
    assert decode(b"\x83\x6b\x00\x02hi") == [104, 105]


def test_subclasses_encode_as_their_base_type():
    Point = namedtuple("Point", "x y")
    assert encode(Point(1, 2)) == encode((1, 2))

    class Name(str):
        pass
    assert encode([Name("a")]) == encode(["a"])


def test_bitstrings_clear_unused_bits_and_reject_whole_bytes():
    assert BitString(b"\xff", 3) == BitString(b"\xe0", 3)
    with pytest.raises(ValueError):
        BitString(b"\xff", 8)
    with pytest.raises(ValueError):
        BitString(b"\xff\xff", 3)
    with pytest.raises(ValueError):
        ImproperList([1], [2])


def test_decode_term_reads_terms_back_to_back():
    control = (6, ExternalPid("a@b", 1, 0, 1), "", "net_kernel")
    alias = ImproperList(["alias"], ExternalRef("a@b", 1, (1, 2, 3)))
    payload = ("$gen_call", (ExternalPid("a@b", 1, 0, 1), alias), ("is_auth", "z@y"))
    packet = b"\x70" + encode(control) + encode(payload)
    first, at = decode_term(packet, 1, versioned=True)
    second, end = decode_term(packet, at, versioned=True)
    assert (first, second, end) == (control, payload, len(packet))
    bare = encode(payload)[1:]
    assert decode_term(bare) == (payload, len(bare))
    assert decode_term(b"junk" + bare, 4) == (payload, 4 + len(bare))


def test_an_adapter_builds_and_reads_pids_and_refs():
    class Local:
        def __init__(self, fields):
            self.fields = fields

    class Adapter:
        def pid(self, node, id, serial, creation):
            return Local(("pid", node, id, serial, creation))

        def ref(self, node, creation, ids):
            return Local(("ref", node, creation, ids))

        def pid_fields(self, obj):
            return obj.fields[1:] if isinstance(obj, Local) and obj.fields[0] == "pid" else None

        def ref_fields(self, obj):
            return obj.fields[1:] if isinstance(obj, Local) and obj.fields[0] == "ref" else None

    data = encode([ExternalPid("a@b", 1, 2, 3), ExternalRef("a@b", 4, (5, 6))])
    pid, ref = decode(data, Adapter())
    assert pid.fields == ("pid", "a@b", 1, 2, 3)
    assert ref.fields == ("ref", "a@b", 4, (5, 6))
    assert encode([pid, ref], Adapter()) == data
    with pytest.raises(TypeError):
        encode(ExternalPid("a@b", 1, 2, 3), Adapter())


# ------------------------------------------------------------------ errors

@pytest.mark.parametrize("value, kind, words", [
    (object(), TypeError, ["object", "at term"]),
    ({"k": [1, {2: {3}}]}, TypeError, ["set", "at term['k'][1][2]"]),
    ({frozenset(): 1}, TypeError, ["frozenset", "at term key frozenset()"]),
    ((1, float("nan")), ValueError, ["nan", "at term[1]"]),
    ([float("inf")], ValueError, ["inf", "at term[0]"]),
    ("x" * 256, ValueError, ["256 characters"]),
    (("a", "\ud800"), ValueError, ["at term[1]"]),
    (ExternalPid("a", -1, 0, 0), ValueError, ["-1"]),
    (ExternalPid("a", 2 ** 32, 0, 0), ValueError, ["4294967296"]),
    (ExternalPid(5, 1, 0, 0), ValueError, ["node name 5"]),
    (ExternalRef("a", 0, (1,) * 6), ValueError, ["6 ID words"]),
    (Port("a", 2 ** 64, 0), ValueError, ["port id"]),
])
def test_encoding_errors_name_the_value_and_its_path(value, kind, words):
    with pytest.raises(kind) as caught:
        encode(value)
    for word in words:
        assert word in str(caught.value)


def test_encoding_a_cycle_or_too_deep_a_term_raises_and_leaves_out_untouched():
    cycle = []
    cycle.append(cycle)
    out = bytearray(b"head")
    with pytest.raises(ValueError, match="max_depth"):
        encode_into(out, cycle)
    assert out == b"head"
    encode(nested_list(100))
    with pytest.raises(ValueError, match="max_depth"):
        encode(nested_list(101))
    assert decode(encode(nested_list(150), max_depth=150), max_depth=150) == nested_list(150)


def _hex(text):
    return bytes.fromhex(text.replace(" ", ""))


# (input, a words of the message, the offset it names)
MALFORMED = [
    ("", "truncated", 0),
    ("83", "truncated", 1),
    ("84 61 01", "version byte 0x84", 0),
    ("83 01", "unknown tag 0x01", 1),
    ("83 50 00000001 78", "unknown tag 0x50", 1),
    ("83 61", "truncated", 1),
    ("83 61 01 00", "1 trailing bytes", 3),
    ("83 68 02 61 01", "truncated", 5),
    ("83 68 05", "length 5 too large", 1),
    ("83 6c ffffffff", "length 4294967296 too large", 1),
    ("83 69 ffffffff 6a", "length 4294967295 too large", 1),
    ("83 74 80000000 6a", "length 4294967296 too large", 1),
    ("83 6d ffffffff 00", "truncated: 4294967295 bytes needed", 6),
    ("83 6b ffff 00", "truncated: 65535 bytes needed", 4),
    ("83 6d 00000005 6162", "truncated", 6),
    ("83 6f ffffffff 00", "bignum of 4294967295 bytes", 1),
    ("83 6e 01 02 05", "sign byte 2", 3),
    ("83 77 02 c0 80", "invalid UTF-8", 3),
    ("83 77 03 ed a0 80", "invalid UTF-8", 3),
    ("83 77 04 f4 90 80 80", "invalid UTF-8", 3),
    ("83 77 01 ff", "invalid UTF-8", 3),
    ("83 76 0100" + "61" * 256, "atom of 256 characters", 1),
    ("83 46 7ff0000000000000", "infinite, NaN", 1),
    ("83 46 fff8000000000000", "infinite, NaN", 1),
    ("83 63" + b"inf".hex() + "00" * 28, "infinite, NaN", 1),
    ("83 63" + b"x1.5".hex() + "00" * 27, "no number", 1),
    ("83 74 00000002 6101 6101 6101 6102", "duplicate map keys", 1),
    ("83 74 00000002 6101 6101 463ff00000 00000000 6102", "keys Python deems equal", 1),
    ("83 58 61 01 00000001 00000000 00000000", "where an atom must be", 2),
    ("83 5a 0006 7701 61 00000000" + "00000001" * 6, "6 ID words", 1),
    ("83 4d 00000000 08", "0 bytes with 8 bits", 1),
    ("83 4d 00000001 00 ff", "1 bytes with 0 bits", 1),
    ("83 4d 00000001 09 ff", "1 bytes with 9 bits", 1),
    ("83 70 00000004", "too short", 1),
    ("83 70 ffffffff" + "00" * 40, "truncated", 1),
    ("83 71 7701 61 7701 62 7701 63", "not SMALL_INTEGER_EXT", 8),
]


@pytest.mark.parametrize("text, words, offset", MALFORMED, ids=[m[0][:30] for m in MALFORMED])
def test_malformed_input_raises_decode_error_naming_offset_and_problem(text, words, offset):
    with pytest.raises(DecodeError) as caught:
        decode(_hex(text))
    assert words in caught.value.problem
    assert caught.value.offset == offset
    assert str(caught.value).startswith("byte %d: " % offset)
    assert isinstance(caught.value, ValueError)


def test_limits():
    assert decode(encode(nested_list(100))) == nested_list(100)
    with pytest.raises(DecodeError, match="max_depth"):
        decode(encode(nested_list(101), max_depth=101))
    assert decode(encode(nested_list(101), max_depth=101), max_depth=101) == nested_list(101)

    ten_atoms = encode(["a"] * 10)              # the list, 10 atoms, the tail: 12 terms
    assert decode(ten_atoms, max_items=12) == ["a"] * 10
    with pytest.raises(DecodeError, match="max_items"):
        decode(ten_atoms, max_items=11)
    string = encode([1] * 100)                  # the string and its 100 elements
    assert decode(string, max_items=101) == [1] * 100
    with pytest.raises(DecodeError, match="max_items"):
        decode(string, max_items=100)
    with pytest.raises(DecodeError, match="max_items"):
        decode(encode(tuple(range(1000))), max_items=500)

    big = encode(2 ** 2400)                     # 301 bytes of digits
    assert decode(big, max_big_digits=301) == 2 ** 2400
    with pytest.raises(DecodeError, match="max_big_digits"):
        decode(big, max_big_digits=300)

    term = encode((1, 2, 3))
    assert decode(term, max_bytes=len(term)) == (1, 2, 3)
    with pytest.raises(DecodeError, match="longer than max_bytes"):
        decode(term, max_bytes=len(term) - 1)


def test_defaults_accept_what_otp_sends_at_the_sizes_we_test():
    assert decode(encode(list(range(70000)))) == list(range(70000))
    assert decode(encode(bytes(500000))) == bytes(500000)


def test_odd_but_valid_encodings_decode_as_erlang_reads_them():
    assert decode(_hex("83 6c 00000001 6101 6c 00000001 6102 6a")) == [1, 2]
    assert decode(_hex("83 6c 00000001 6101 6b 0002 0203")) == [1, 2, 3]
    assert decode(_hex("83 6c 00000001 6101 6c 00000001 6102 6103")) == ImproperList([1, 2], 3)
    assert decode(_hex("83 6c 00000000 6101")) == 1
    assert decode(_hex("83 4d 00000001 08 ff")) == b"\xff"
    assert decode(_hex("83 4d 00000000 00")) == b""
    assert decode(_hex("83 4d 00000001 03 ff")) == BitString(b"\xe0", 3)
    assert decode(_hex("83 64 0005 68e96c6c6f")) == "héllo"
    assert decode(_hex("83 73 04 74727565")) is True
    assert decode(_hex("83 67 7701 61 00000001 00000002 03")) == ExternalPid("a", 1, 2, 3)
    assert decode(_hex("83 66 7701 61 00000001 03")) == Port("a", 1, 3)
    assert decode(_hex("83 72 0002 7701 61 03 00000001 00000002")) == ExternalRef("a", 3, (1, 2))
    assert decode(_hex("83 63") + b"1.50000000000000000000e+00" + bytes(5)) == 1.5
    assert decode(_hex("83 6e 00 00")) == 0
    assert decode(_hex("83 6e 00 01")) == 0


# ------------------------------------------------------------- erl oracle

# Tags OTP 25 sends over distribution: the corpus holds each at its top.
OTP_TAGS = {etf.SMALL_INTEGER_EXT, etf.INTEGER_EXT, etf.SMALL_BIG_EXT, etf.LARGE_BIG_EXT,
            etf.NEW_FLOAT_EXT, etf.ATOM_UTF8_EXT, etf.SMALL_ATOM_UTF8_EXT, etf.SMALL_TUPLE_EXT,
            etf.LARGE_TUPLE_EXT, etf.NIL_EXT, etf.STRING_EXT, etf.LIST_EXT, etf.BINARY_EXT,
            etf.BIT_BINARY_EXT, etf.MAP_EXT, etf.NEW_PID_EXT, etf.NEWER_REFERENCE_EXT,
            etf.NEW_PORT_EXT, etf.V4_PORT_EXT, etf.NEW_FUN_EXT, etf.EXPORT_EXT}


def test_erl_corpus_covers_every_tag_and_round_trips_byte_for_byte(erl):
    corpus = erl.corpus()
    assert OTP_TAGS <= {data[1] for _, data in corpus}
    for name, data in corpus:
        assert encode(decode(data)) == data, name


def test_erl_corpus_decodes_to_the_mapped_values(erl):
    terms = {name: decode(data) for name, data in erl.corpus()}
    other = "other@host"
    expected = {
        "int_min": -2 ** 31, "big_neg_2_31_1": -2 ** 31 - 1, "large_big_neg": -2 ** 3000 + 12345,
        "float_pi": math.pi, "float_neg_zero": -0.0, "float_subnormal": 5e-324,
        "atom_empty": "", "atom_true": True, "atom_false": False, "atom_undefined": None,
        "atom_latin1": "héllo", "atom_cjk": "日本語", "atom_emoji": "😀",
        "atom_255_wide": "é" * 255,
        "tuple_empty": (), "large_tuple_256": tuple(range(1, 257)), "nil": [],
        "string_abc": [97, 98, 99], "string_0_255": list(range(256)),
        "list_wide_chars": [104, 26085, 128512], "list_70000_ints": list(range(1, 70001)),
        "improper_atom": ImproperList(["a"], "b"), "improper_ints": ImproperList([1, 2], 3),
        "improper_map_tail": ImproperList([1], {}),
        "improper_string_head": ImproperList([97, 98], "c"),
        "binary_empty": b"", "binary_70000": b"\x07" * 70000,
        "bits_3": BitString(b"\xa0", 3), "bits_20": BitString(b"\x01\x02\x30", 20),
        "bits_15": BitString(b"\x00\x02", 15),
        "map_mixed": {"a": 1, "b": [1, 2], 1: 2.5, b"k": ("x",)},
        "map_40": {n: n * n for n in range(1, 41)}, "map_nested": {"k": {"k2": {}}},
        "pid_other_node": ExternalPid(other, 0x7FFF, 0x1FFF, 0xABCDEF01),
        "ref_other_node_5_words": ExternalRef(other, 0xABCDEF01, (1, 2, 3, 4, 0xFFFFFFFF)),
        "port_v4": Port(other, 2 ** 40 + 7, 3), "export_self": EXPORT_SELF,
    }
    for name, value in expected.items():
        assert same(terms[name], value), name
    assert type(terms["pid_self"]) is ExternalPid and terms["pid_self"].node == "nonode@nohost"
    assert type(terms["ref_make"]) is ExternalRef and len(terms["ref_make"].ids) == 3
    assert type(terms["port_local"]) is Port and type(terms["fun_closure"]) is Fun
    call, (sender, tag), request = terms["gen_call"]
    assert call == "$gen_call" and request == ("is_auth", "a@b") and type(sender) is ExternalPid
    assert tag.items == ["alias"] and type(tag.tail) is ExternalRef
    assert terms["reg_send_control"][2] == ""
    deep = terms["deep_tuple_99"]
    for _ in range(99):
        deep = deep[0]
    assert deep == "ok"


# Encodings OTP reads but never writes (the old tags, needless width, a
# list as a tail): OTP's re-encoding of what it decodes must be ours.
ODD = [
    "83 64 0003 616263", "83 73 03 616263", "83 64 0005 68e96c6c6f", "83 64 0004 74727565",
    "83 76 0003 616263", "83 67 7701 61 00000001 00000002 03", "83 66 7701 61 00000001 03",
    "83 72 0002 7701 61 03 00000001 00000002", "83 5a 0000 7701 61 00000003",
    "83 78 7701 61 0000000000000005 00000003",
    "83 63" + b"1.50000000000000000000e+00".hex() + "00" * 5,
    "83 63" + b"3.14159265358979311600e+00".hex() + "00" * 5,
    "83 6c 00000001 6101 6c 00000001 6102 6a", "83 6c 00000001 6101 6b 0002 0203",
    "83 6c 00000000 6101", "83 6c 00000003 6101 6102 6103 6a", "83 6b 0000",
    "83 6e 00 00", "83 6e 01 01 05", "83 6f 00000002 01 0500", "83 62 00000005",
    "83 4d 00000001 08 ff", "83 4d 00000000 00", "83 4d 00000001 03 ff",
    "83 69 00000002 6101 6102",
]


# What OTP reads but Python cannot hold, or we refuse as sloppy.
PYTHON_ONLY_REFUSALS = ("keys Python deems equal", "sign byte 2",
                        "1 trailing bytes")


@pytest.fixture(scope="module")
def otp_reads(erl):
    """{input: OTP's re-encoding of the term it decodes, or None if it
    refuses} for ODD, MALFORMED and our encodings of VALUES: one erl run."""
    inputs = [_hex(text) for text in ODD] + [_hex(text) for text, _, _ in MALFORMED if text]
    inputs += [encode(value) for value in VALUES]
    return dict(zip(inputs, erl.normalize(inputs)))


def test_erl_normalizes_odd_encodings_as_we_do(otp_reads):
    for text in ODD:
        data = _hex(text)
        assert otp_reads[data] is not None, text
        assert encode(decode(data)) == otp_reads[data], text


def test_we_refuse_what_erl_refuses_and_what_python_cannot_hold(otp_reads):
    for text, words, _ in MALFORMED:
        if text:
            data = _hex(text)
            with pytest.raises(DecodeError):
                decode(data)
            assert (otp_reads[data] is None) == (words not in PYTHON_ONLY_REFUSALS), text


def test_erl_reads_our_encodings_as_we_meant_them(otp_reads):
    for value in VALUES:
        ours = encode(value)
        theirs = otp_reads[ours]
        if has_wide_map(value):
            assert same(decode(theirs), value), value     # OTP orders map keys its own way
        else:
            assert theirs == ours, value


# -------------------------------------------------------------------- fuzz

WIDE_LENGTHS = [b"\xff\xff\xff\xff", b"\x7f\xff\xff\xff", b"\x00\x01\x00\x00"]

def mutations(data, rng, count):
    """`count` damaged copies of data: a byte changed, a length field
    widened, a byte inserted or dropped, or the tail cut."""
    for _ in range(count):
        damaged = bytearray(data)
        how = rng.randrange(5)
        at = rng.randrange(len(damaged))
        if how == 0:
            damaged[at] = rng.randrange(256)
        elif how == 1:
            damaged[at:at + 4] = rng.choice(WIDE_LENGTHS)
        elif how == 2:
            damaged.insert(at, rng.randrange(256))
        elif how == 3:
            del damaged[at]
        else:
            damaged = damaged[:at]
        yield bytes(damaged)


def test_damaged_input_raises_decode_error_and_nothing_else(erl):
    rng = random.Random(1321)
    seeds = [data for _, data in erl.corpus() if len(data) <= 600]
    seeds += [encode(value) for value in VALUES if len(encode(value)) <= 600]
    tried = 0
    for seed in seeds:
        cases = [seed[:cut] for cut in range(len(seed))] + list(mutations(seed, rng, 300))
        for data in cases:
            tried += 1
            try:
                decode(data, max_items=5000, max_depth=50)
            except DecodeError:
                pass        # any other exception fails the test
    assert tried > 50000
