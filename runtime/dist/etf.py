"""Erlang's External Term Format (term_to_binary), both ways.

Contract:
- encode(term) -> bytes: version byte 131, then the term.
  encode_into(out, term) appends the same to the bytearray `out` (and
  appends nothing if it raises).
- decode(data) -> term: `data` holds exactly one term after byte 131.
  decode_term(data, offset, versioned=False) -> (term, next_offset): one
  term at `offset`, bare (versioned=True: preceded by 131), with bytes
  allowed after it, as in a distribution packet's control and payload.
- Decoding is total and bounded: any input, however hostile or truncated,
  either decodes or raises DecodeError (a ValueError) whose message names
  the byte offset and the problem; never any other exception. Limits are
  keyword arguments (defaults below): max_depth (containers open at once),
  max_items (terms decoded, each element of a string counting one),
  max_big_digits (bytes of one bignum), max_bytes (bytes one term may span).
  Every declared length is checked against the bytes left before anything
  is allocated, and both directions iterate with an explicit stack, so a
  deep term never deepens the C stack (MicroPython's is small on boards).
  (A term within the limits may still not fit a small heap: that
  MemoryError is the runtime's to handle, as any allocation's.)
- Encoding a value with no Erlang mapping raises TypeError; a value that
  Erlang cannot hold (a non-finite float, an atom over 255 characters, a
  pid field out of range, nesting deeper than max_depth, i.e. a cycle)
  raises ValueError. Either message names the value's path in the term,
  e.g. `term[2]['key']`.

Mapping (DESIGN.md, "Terms"): atom <-> str, true/false <-> True/False,
undefined <-> None, integer <-> int, float <-> float, binary <-> bytes
(bytearray also encodes as a binary), tuple <-> tuple, proper list <->
list, map <-> dict. Subclasses (a namedtuple, an IntEnum) encode as their
base type. Values Python has no type for get small types of their own that
compare by value and re-encode to the bytes they came from: ImproperList,
BitString, Port, Fun (funs and exports, kept opaque), PairMap (a map with
a key Python cannot hash: a list or a map). Pids and references
are built and read by an adapter (its contract is in etf_types.py), so
this module does not depend on the runtime's own Pid and Ref.

Choices, so that decode-then-encode of what OTP 25 sends gives back its
bytes:
- A proper list of 1..65535 ints in 0..255 encodes as STRING_EXT, as
  term_to_binary does; STRING_EXT decodes to a list of ints.
- Integers take the smallest of SMALL_INTEGER_EXT, INTEGER_EXT,
  SMALL_BIG_EXT, LARGE_BIG_EXT; atoms SMALL_ATOM_UTF8_EXT unless their
  UTF-8 needs more than 255 bytes; floats NEW_FLOAT_EXT; pids NEW_PID_EXT;
  references NEWER_REFERENCE_EXT; ports NEW_PORT_EXT, or V4_PORT_EXT for
  an id above 32 bits. The old tags (ATOM_EXT, SMALL_ATOM_EXT, PID_EXT,
  PORT_EXT, NEW_REFERENCE_EXT, FLOAT_EXT) are decoded only.
- Maps re-encode in the dict's iteration order: the order they arrived in
  on CPython; MicroPython's dict is unordered, so there only the value
  survives a round trip, not the bytes (OTP accepts any order).
- What Erlang itself refuses is refused: non-finite floats, invalid or
  overlong UTF-8 in atoms, atoms over 255 characters, duplicate map keys.
  Some things OTP reads raise DecodeError here too: a map key Python
  map keys Python deems equal (1, 1.0 and true), a bignum sign byte other than 0 or 1, and (in decode) bytes
  after the term.
- LIST_EXT with a list as its tail is the concatenation, as in Erlang.

Floats: on the boards (and the posix firmware) MicroPython's floats are
single precision, so a double from OTP decodes to the nearest single (a
tiny one to 0.0; one beyond the single range raises DecodeError rather
than become inf) and does not re-encode to the same bytes; on CPython it
round-trips exactly.
"""
import struct

try:
    from micropython import const
except ImportError:     # CPython; MicroPython's compiler inlines each const() name
    def const(value):
        return value

from runtime.dist.etf_types import (DEFAULT_ADAPTER, BitString, ExternalAdapter,  # noqa: F401
                                    ExternalPid, ExternalRef, Fun, ImproperList, PairMap, Port)

# ---------------------------------------------------------------- limits

MAX_DEPTH = const(100)      # containers open at once: deeper than any OTP protocol message
MAX_ITEMS = const(100000)   # terms per decode: at 4-16 bytes each, a few fill a board's heap
MAX_BIG_DIGITS = const(1024)    # bytes of a bignum (8192 bits): past any use, cheap to convert
MAX_BYTES = const(1 << 20)  # bytes of one term: more than any packet a board accepts

# ------------------------------------------------------------------ tags

VERSION = const(131)
NEW_FLOAT_EXT = const(70)
BIT_BINARY_EXT = const(77)
NEW_PID_EXT = const(88)
NEW_PORT_EXT = const(89)
NEWER_REFERENCE_EXT = const(90)
SMALL_INTEGER_EXT = const(97)
INTEGER_EXT = const(98)
FLOAT_EXT = const(99)
ATOM_EXT = const(100)
PORT_EXT = const(102)
PID_EXT = const(103)
SMALL_TUPLE_EXT = const(104)
LARGE_TUPLE_EXT = const(105)
NIL_EXT = const(106)
STRING_EXT = const(107)
LIST_EXT = const(108)
BINARY_EXT = const(109)
SMALL_BIG_EXT = const(110)
LARGE_BIG_EXT = const(111)
NEW_FUN_EXT = const(112)
EXPORT_EXT = const(113)
NEW_REFERENCE_EXT = const(114)
SMALL_ATOM_EXT = const(115)
MAP_EXT = const(116)
ATOM_UTF8_EXT = const(118)
SMALL_ATOM_UTF8_EXT = const(119)
V4_PORT_EXT = const(120)

_SPECIAL_ATOMS = {"true": True, "false": False, "undefined": None}
_MAX_ATOM_CHARS = 255      # Erlang's limit, in characters
_MAX_REF_IDS = 5           # the most ID words OTP 25 accepts in a reference
_FUN_FIXED_BYTES = 29      # NEW_FUN_EXT's Size, Arity, Uniq, Index, NumFree
_U32 = 0xFFFFFFFF


# --------------------------------------------------------------- decoding

class DecodeError(ValueError):
    """Input that is not a term within the limits; `offset` is where in the
    input the problem was found, `problem` what it is."""

    def __init__(self, offset, problem):
        super().__init__("byte %d: %s" % (offset, problem))
        self.offset = offset
        self.problem = problem


def decode(data, adapter=None, max_depth=MAX_DEPTH, max_items=MAX_ITEMS,
           max_big_digits=MAX_BIG_DIGITS, max_bytes=MAX_BYTES):
    """The term that `data` (bytes-like) holds: 131, one term, nothing after."""
    term, end = decode_term(data, 0, adapter, True, max_depth, max_items, max_big_digits, max_bytes)
    if end != len(data):
        raise DecodeError(end, "%d trailing bytes after the term" % (len(data) - end))
    return term


def decode_term(data, offset=0, adapter=None, versioned=False, max_depth=MAX_DEPTH,
                max_items=MAX_ITEMS, max_big_digits=MAX_BIG_DIGITS, max_bytes=MAX_BYTES):
    """(term, offset just past it) for the term at `offset` in `data`."""
    adapter = adapter or DEFAULT_ADAPTER
    end = min(len(data), offset + max_bytes)
    pos = offset
    if versioned:
        if pos >= end:
            raise _short(data, pos, 1, end)
        if data[pos] != VERSION:
            raise DecodeError(pos, "version byte 0x%02x, not 0x83" % data[pos])
        pos += 1
    items_left = max_items
    # The innermost open container lives in locals (the hot path on
    # MicroPython, where locals are far cheaper than list items): its tag,
    # its elements so far, how many are still to come, the offset of its
    # tag. The enclosing ones wait on `outer`; elements is None at the top.
    kind, elements, remaining, opened_at = 0, None, 0, 0
    outer = []
    while True:
        if pos >= end:
            raise _short(data, pos, 1, end)
        start = pos
        tag = data[pos]
        items_left -= 1
        if items_left < 0:
            raise DecodeError(pos, "more than max_items (%d) terms" % max_items)
        if tag == SMALL_ATOM_UTF8_EXT or tag == ATOM_UTF8_EXT or tag == ATOM_EXT \
                or tag == SMALL_ATOM_EXT:
            value, pos = _atom(data, pos, end)
            value = _SPECIAL_ATOMS.get(value, value)
        elif tag == SMALL_INTEGER_EXT:
            if pos + 2 > end:
                raise _short(data, pos, 2, end)
            value = data[pos + 1]
            pos += 2
        elif tag == SMALL_TUPLE_EXT or tag == LARGE_TUPLE_EXT or tag == LIST_EXT \
                or tag == MAP_EXT:
            if tag == SMALL_TUPLE_EXT:
                if pos + 2 > end:
                    raise _short(data, pos, 2, end)
                count = data[pos + 1]
                pos += 2
            else:
                if pos + 5 > end:
                    raise _short(data, pos, 5, end)
                count = struct.unpack_from(">I", data, pos + 1)[0]
                pos += 5
            if tag == LIST_EXT:
                count += 1                  # the tail is one more element
            elif tag == MAP_EXT:
                count *= 2
            if count == 0:
                value = {} if tag == MAP_EXT else ()
            else:
                if count > end - pos:       # each element takes a byte at least
                    raise DecodeError(start, "length %d too large for the %d bytes left"
                                      % (count, end - pos))
                if count > items_left:
                    raise DecodeError(start, "more than max_items (%d) terms" % max_items)
                if len(outer) >= max_depth:
                    raise DecodeError(start, "nested deeper than max_depth (%d)" % max_depth)
                outer.append((kind, elements, remaining, opened_at))
                kind, elements, remaining, opened_at = tag, [], count, start
                continue
        elif tag == NIL_EXT:
            value = []
            pos += 1
        elif tag == STRING_EXT:
            if pos + 3 > end:
                raise _short(data, pos, 3, end)
            count = (data[pos + 1] << 8) | data[pos + 2]
            pos += 3
            if pos + count > end:
                raise _short(data, pos, count, end)
            items_left -= count
            if items_left < 0:
                raise DecodeError(start, "more than max_items (%d) terms" % max_items)
            value = list(data[pos:pos + count])
            pos += count
        else:
            value, pos = _leaf(data, pos, end, tag, adapter, max_big_digits)
        # Hand the value to the innermost open container; each one it fills
        # closes and is handed up in turn.
        while True:
            if elements is None:
                return value, pos
            elements.append(value)
            remaining -= 1
            if remaining:
                break
            value = _close(kind, elements, opened_at)
            kind, elements, remaining, opened_at = outer.pop()


def _close(kind, elements, opened_at):
    """The term a filled container makes."""
    if kind == LIST_EXT:
        tail = elements.pop()
        if not elements:
            return tail
        if type(tail) is list:
            elements.extend(tail)
            return elements
        if type(tail) is ImproperList:
            elements.extend(tail.items)
            tail = tail.tail
        return ImproperList(elements, tail)
    if kind != MAP_EXT:
        return tuple(elements)
    result = {}
    try:
        for i in range(0, len(elements), 2):
            result[elements[i]] = elements[i + 1]
    except TypeError:  # a key that is a list or a map
        return PairMap([(elements[i], elements[i + 1]) for i in range(0, len(elements), 2)])
    if len(result) * 2 != len(elements):
        raise DecodeError(opened_at, "duplicate map keys (or keys Python deems equal, "
                                     "as 1 and 1.0)")
    return result


def _leaf(data, pos, end, tag, adapter, max_big_digits):
    """(value, next offset) for the tags that hold no nested terms, besides
    the few common ones decode_term handles itself."""
    if tag == BINARY_EXT:
        count = _u32(data, pos + 1, end)
        pos += 5
        if pos + count > end:
            raise _short(data, pos, count, end)
        return bytes(data[pos:pos + count]), pos + count
    if tag == INTEGER_EXT:
        _need(data, pos, 5, end)
        return struct.unpack_from(">i", data, pos + 1)[0], pos + 5
    if tag == NEW_PID_EXT or tag == PID_EXT:
        node, at = _atom(data, pos + 1, end)
        if tag == NEW_PID_EXT:
            _need(data, at, 12, end)
            id, serial, creation = struct.unpack_from(">III", data, at)
            return adapter.pid(node, id, serial, creation), at + 12
        _need(data, at, 9, end)
        id, serial, creation = struct.unpack_from(">IIB", data, at)
        return adapter.pid(node, id, serial, creation), at + 9
    if tag == NEWER_REFERENCE_EXT or tag == NEW_REFERENCE_EXT:
        _need(data, pos, 3, end)
        count = (data[pos + 1] << 8) | data[pos + 2]
        if count > _MAX_REF_IDS:
            raise DecodeError(pos, "reference with %d ID words (at most %d)"
                              % (count, _MAX_REF_IDS))
        node, at = _atom(data, pos + 3, end)
        if tag == NEWER_REFERENCE_EXT:
            _need(data, at, 4 + 4 * count, end)
            creation = struct.unpack_from(">I", data, at)[0]
            at += 4
        else:
            _need(data, at, 1 + 4 * count, end)
            creation = data[at]
            at += 1
        ids = struct.unpack_from(">%dI" % count, data, at)
        return adapter.ref(node, creation, ids), at + 4 * count
    if tag == SMALL_BIG_EXT or tag == LARGE_BIG_EXT:
        if tag == SMALL_BIG_EXT:
            _need(data, pos, 3, end)
            count = data[pos + 1]
            at = pos + 2
        else:
            count = _u32(data, pos + 1, end)
            at = pos + 5
            _need(data, at, 1, end)
        if count > max_big_digits:
            raise DecodeError(pos, "bignum of %d bytes (max_big_digits is %d)"
                              % (count, max_big_digits))
        sign = data[at]
        if sign > 1:
            raise DecodeError(at, "bignum sign byte %d (0 or 1)" % sign)
        at += 1
        if at + count > end:
            raise _short(data, at, count, end)
        value = int.from_bytes(data[at:at + count], "little")
        return (-value if sign else value), at + count
    if tag == NEW_FLOAT_EXT:
        _need(data, pos, 9, end)
        return _finite(struct.unpack_from(">d", data, pos + 1)[0], pos), pos + 9
    if tag == BIT_BINARY_EXT:
        _need(data, pos, 6, end)
        count = struct.unpack_from(">I", data, pos + 1)[0]
        used = data[pos + 5]
        at = pos + 6
        if at + count > end:
            raise _short(data, at, count, end)
        if count == 0 and used == 0:
            return b"", at
        if count == 0 or not 1 <= used <= 8:
            raise DecodeError(pos, "bitstring of %d bytes with %d bits used in the last"
                              % (count, used))
        raw = data[at:at + count]
        if used == 8:
            return bytes(raw), at + count
        return BitString(raw, 8 * (count - 1) + used), at + count
    if tag == NEW_PORT_EXT or tag == V4_PORT_EXT or tag == PORT_EXT:
        node, at = _atom(data, pos + 1, end)
        layout = ">II" if tag == NEW_PORT_EXT else ">QI" if tag == V4_PORT_EXT else ">IB"
        size = struct.calcsize(layout)
        _need(data, at, size, end)
        id, creation = struct.unpack_from(layout, data, at)
        return Port(node, id, creation), at + size
    if tag == NEW_FUN_EXT:
        size = _u32(data, pos + 1, end)
        if size < _FUN_FIXED_BYTES:
            raise DecodeError(pos, "fun of %d bytes, too short for its fields" % size)
        if pos + 1 + size > end:
            raise _short(data, pos, 1 + size, end)
        return Fun(data[pos:pos + 1 + size]), pos + 1 + size
    if tag == EXPORT_EXT:
        _, at = _atom(data, pos + 1, end)
        _, at = _atom(data, at, end)
        _need(data, at, 2, end)
        if data[at] != SMALL_INTEGER_EXT:
            raise DecodeError(at, "export's arity has tag 0x%02x, not SMALL_INTEGER_EXT" % data[at])
        return Fun(data[pos:at + 2]), at + 2
    if tag == FLOAT_EXT:
        _need(data, pos, 32, end)
        text = bytes(data[pos + 1:pos + 32]).split(b"\0")[0]
        try:
            value = float(str(text, "utf-8"))
        except (UnicodeError, ValueError):
            raise DecodeError(pos, "float text %r is no number" % text) from None
        return _finite(value, pos), pos + 32
    raise DecodeError(pos, "unknown tag 0x%02x" % tag)


def _finite(value, pos):
    """value, unless infinite or NaN: Erlang has neither, and a double past
    a single-precision platform's range arrives here as inf."""
    if value - value != 0:          # inf - inf and NaN - NaN are NaN
        raise DecodeError(pos, "float %r: infinite, NaN or beyond this platform's floats" % value)
    return value


def _atom(data, pos, end):
    """(text, next offset) for the atom at `pos`, without mapping true,
    false and undefined: a pid's node name is read through here too."""
    if pos + 2 > end:
        raise _short(data, pos, 2, end)
    tag = data[pos]
    if tag == SMALL_ATOM_UTF8_EXT or tag == SMALL_ATOM_EXT:
        count = data[pos + 1]
        at = pos + 2
    elif tag == ATOM_UTF8_EXT or tag == ATOM_EXT:
        if pos + 3 > end:
            raise _short(data, pos, 3, end)
        count = (data[pos + 1] << 8) | data[pos + 2]
        at = pos + 3
    else:
        raise DecodeError(pos, "tag 0x%02x where an atom must be" % tag)
    if at + count > end:
        raise _short(data, at, count, end)
    raw = data[at:at + count]
    try:
        text = str(raw, "utf-8")
        is_ascii = len(text) == count
    except UnicodeError:
        text, is_ascii = None, False
    if not is_ascii:
        if tag == ATOM_EXT or tag == SMALL_ATOM_EXT:
            text = "".join([chr(b) for b in raw])       # Latin-1
        elif text is None or not _strict_utf8(raw):
            raise DecodeError(at, "invalid UTF-8 in an atom")
        if len(text) > _MAX_ATOM_CHARS:
            raise DecodeError(pos, "atom of %d characters (at most %d)"
                              % (len(text), _MAX_ATOM_CHARS))
    elif count > _MAX_ATOM_CHARS:
        raise DecodeError(pos, "atom of %d characters (at most %d)" % (count, _MAX_ATOM_CHARS))
    return text, at + count


def _strict_utf8(raw):
    """Whether raw is well-formed UTF-8 (Unicode's table 3-7). CPython's
    decoder checks this already; MicroPython's lets overlong forms,
    surrogates and code points past U+10FFFF through, which Erlang refuses."""
    i = 0
    n = len(raw)
    while i < n:
        b = raw[i]
        if b < 0x80:
            i += 1
            continue
        lo, hi = 0x80, 0xBF
        if 0xC2 <= b <= 0xDF:
            follow = 1
        elif 0xE0 <= b <= 0xEF:
            follow = 2
            if b == 0xE0:
                lo = 0xA0
            elif b == 0xED:
                hi = 0x9F
        elif 0xF0 <= b <= 0xF4:
            follow = 3
            if b == 0xF0:
                lo = 0x90
            elif b == 0xF4:
                hi = 0x8F
        else:
            return False
        if i + follow >= n or not lo <= raw[i + 1] <= hi:
            return False
        for k in range(i + 2, i + 1 + follow):
            if not 0x80 <= raw[k] <= 0xBF:
                return False
        i += 1 + follow
    return True


def _u32(data, pos, end):
    _need(data, pos, 4, end)
    return struct.unpack_from(">I", data, pos)[0]


def _need(data, pos, count, end):
    if pos + count > end:
        raise _short(data, pos, count, end)


def _short(data, pos, count, end):
    """The error for `count` bytes at `pos` that are not within `end`."""
    if pos + count <= len(data):
        return DecodeError(pos, "term longer than max_bytes")
    return DecodeError(pos, "truncated: %d bytes needed, %d left"
                       % (count, max(0, len(data) - pos)))


# --------------------------------------------------------------- encoding

_TRUE = bytes((SMALL_ATOM_UTF8_EXT, 4)) + b"true"
_FALSE = bytes((SMALL_ATOM_UTF8_EXT, 5)) + b"false"
_UNDEFINED = bytes((SMALL_ATOM_UTF8_EXT, 9)) + b"undefined"
_BASE_TYPES = (tuple, list, dict, str, int, float, bytes, bytearray)


def encode(term, adapter=None, max_depth=MAX_DEPTH):
    """term_to_binary(term): 131 and the term, as bytes."""
    out = bytearray()
    encode_into(out, term, adapter, max_depth)
    return bytes(out)


def encode_into(out, term, adapter=None, max_depth=MAX_DEPTH):
    """Appends 131 and `term` to the bytearray `out`."""
    adapter = adapter or DEFAULT_ADAPTER
    start = len(out)
    out.append(VERSION)
    value = term
    try:
        open_ = []      # one iterator per container being written: its elements to come
        children = _put(out, value, adapter)
        if children is not None:
            open_.append(children)
        while open_:
            for value in open_[-1]:
                children = _put(out, value, adapter)
                if children is not None:
                    if len(open_) >= max_depth:
                        raise ValueError("nested deeper than max_depth (%d): a cycle?" % max_depth)
                    open_.append(children)
                    break
            else:
                open_.pop()
    except (TypeError, ValueError) as e:
        out[start:] = b""
        kind = TypeError if isinstance(e, TypeError) else ValueError
        raise kind("%s at %s" % (e, _path(term, value, max_depth))) from None


def _put(out, value, adapter):
    """Writes `value`, or for a container its header; returns an iterator
    over the elements still to write, or None."""
    t = type(value)
    if t is tuple:
        count = len(value)
        if count < 256:
            out.append(SMALL_TUPLE_EXT)
            out.append(count)
        else:
            out.append(LARGE_TUPLE_EXT)
            out += struct.pack(">I", count)
        return iter(value) if count else None
    if t is str:
        _put_atom(out, value)
    elif t is int:
        _put_int(out, value)
    elif t is list:
        count = len(value)
        if count == 0:
            out.append(NIL_EXT)
        elif count <= 0xFFFF and _is_byte_list(value):
            out.append(STRING_EXT)
            out += struct.pack(">H", count)
            out += bytes(value)
        else:
            out.append(LIST_EXT)
            out += struct.pack(">I", count)
            return _then(value, [])
    elif t is bytes or t is bytearray:
        out.append(BINARY_EXT)
        out += struct.pack(">I", len(value))
        out += value
    elif t is bool:
        out += _TRUE if value else _FALSE
    elif value is None:
        out += _UNDEFINED
    elif t is dict:
        out.append(MAP_EXT)
        out += struct.pack(">I", len(value))
        return _pairs(value) if value else None
    elif t is float:
        if value - value != 0:      # inf - inf and NaN - NaN are NaN
            raise ValueError("Erlang has no float %r" % value)
        out.append(NEW_FLOAT_EXT)
        out += struct.pack(">d", value)
    else:
        return _put_other(out, value, adapter)
    return None


def _put_other(out, value, adapter):
    """_put for the rest: pids and references (asking the adapter), our own
    term types, then subclasses of the built-in types."""
    fields = adapter.pid_fields(value)
    if fields is not None:
        node, id, serial, creation = fields
        out.append(NEW_PID_EXT)
        _put_node(out, node)
        out += struct.pack(">III", _u32_field(id), _u32_field(serial), _u32_field(creation))
        return None
    fields = adapter.ref_fields(value)
    if fields is not None:
        node, creation, ids = fields
        if len(ids) > _MAX_REF_IDS:
            raise ValueError("reference with %d ID words (at most %d)" % (len(ids), _MAX_REF_IDS))
        out.append(NEWER_REFERENCE_EXT)
        out += struct.pack(">H", len(ids))
        _put_node(out, node)
        out += struct.pack(">I", _u32_field(creation))
        for word in ids:
            out += struct.pack(">I", _u32_field(word))
        return None
    t = type(value)
    if t is PairMap:
        out.append(MAP_EXT)
        out += struct.pack(">I", len(value.pairs))
        return iter([item for pair in value.pairs for item in pair])
    if t is ImproperList:
        out.append(LIST_EXT)
        out += struct.pack(">I", len(value.items))
        return _then(value.items, value.tail)
    if t is BitString:
        out.append(BIT_BINARY_EXT)
        out += struct.pack(">IB", len(value.data), value.bits - 8 * (len(value.data) - 1))
        out += value.data
    elif t is Fun:
        out += value.ext
    elif t is Port:
        wide = not 0 <= value.id <= _U32
        out.append(V4_PORT_EXT if wide else NEW_PORT_EXT)
        _put_node(out, value.node)
        if wide and not 0 <= value.id < 1 << 64:
            raise ValueError("port id %r out of range" % value.id)
        out += struct.pack(">QI" if wide else ">II", value.id, _u32_field(value.creation))
    else:
        for base in _BASE_TYPES:
            if isinstance(value, base):
                return _put(out, base(value), adapter)
        raise TypeError("no Erlang term for a Python %s" % t.__name__)
    return None


def _put_atom(out, text):
    raw = text.encode("utf-8")
    if len(raw) < 256:
        out.append(SMALL_ATOM_UTF8_EXT)
        out.append(len(raw))
    elif len(text) > _MAX_ATOM_CHARS:
        raise ValueError("atom of %d characters (at most %d)" % (len(text), _MAX_ATOM_CHARS))
    else:
        out.append(ATOM_UTF8_EXT)
        out += struct.pack(">H", len(raw))
    out += raw


def _put_node(out, node):
    if type(node) is not str:
        raise ValueError("node name %r is not a str" % (node,))
    _put_atom(out, node)


def _put_int(out, value):
    if 0 <= value <= 255:
        out.append(SMALL_INTEGER_EXT)
        out.append(value)
    elif -0x80000000 <= value <= 0x7FFFFFFF:
        out.append(INTEGER_EXT)
        out += struct.pack(">i", value)
    else:
        magnitude = -value if value < 0 else value
        count = (len("%x" % magnitude) + 1) // 2   # MicroPython's int has no bit_length
        if count < 256:
            out.append(SMALL_BIG_EXT)
            out.append(count)
        else:
            out.append(LARGE_BIG_EXT)
            out += struct.pack(">I", count)
        out.append(1 if value < 0 else 0)
        out += magnitude.to_bytes(count, "little")


def _u32_field(value):
    if type(value) is not int or not 0 <= value <= _U32:
        raise ValueError("pid, port or reference field %r is not a 32-bit unsigned int" % (value,))
    return value


def _is_byte_list(items):
    for x in items:
        if type(x) is not int or not 0 <= x <= 255:
            return False
    return True


def _then(items, last):
    """The elements of a list, then its tail ([] writes NIL_EXT)."""
    for x in items:
        yield x
    yield last


def _pairs(mapping):
    for key, value in mapping.items():
        yield key
        yield value


def _path(term, target, max_depth):
    """Where `target` first occurs in `term`, in the order the encoder walks
    it, as `term[i][key]...`: searched for only when an error needs it, so
    that encoding keeps no path of its own."""
    stack = [("term", 0, term)]
    while stack:
        where, depth, value = stack.pop()
        if value is target:
            return where
        if depth > max_depth:
            continue
        if isinstance(value, (tuple, list)):
            children = [("%s[%d]" % (where, i), x) for i, x in enumerate(value)]
        elif type(value) is ImproperList:
            children = [("%s[%d]" % (where, i), x) for i, x in enumerate(value.items)]
            children.append((where + ".tail", value.tail))
        elif isinstance(value, dict):
            children = []
            for key, x in value.items():
                children.append(("%s key %r" % (where, key), key))
                children.append(("%s[%r]" % (where, key), x))
        else:
            continue
        for where, x in reversed(children):
            stack.append((where, depth + 1, x))
    return "term"
