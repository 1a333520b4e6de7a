"""The values of Erlang terms that Python has no type for, and the adapter
that turns pids and references into the runtime's objects and back; the
codec in etf.py makes and writes them.

Each compares and hashes by value and is immutable by convention.

The adapter, an object with four methods (ExternalAdapter is the default,
making ExternalPid and ExternalRef):
- pid(node, id, serial, creation) -> the object a decoded pid becomes
- ref(node, creation, ids) -> the object a decoded reference becomes
  (ids: a tuple of 0..5 ints)
- pid_fields(obj) -> (node, id, serial, creation), or None if obj is no pid
- ref_fields(obj) -> (node, creation, ids), or None if obj is no reference
node is a str; the ints fit in 32 bits unsigned. pid and ref must accept
any such fields without raising: decoding relies on it to stay total.
"""


class _Value:
    """Compares, hashes and prints by the tuple _key() returns."""

    def __eq__(self, other):
        return type(other) is type(self) and other._key() == self._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        return type(self).__name__ + repr(self._key())


class ExternalPid(_Value):
    """A pid as the wire carries it; the default adapter's pid."""

    def __init__(self, node, id, serial, creation):
        self.node = node
        self.id = id
        self.serial = serial
        self.creation = creation

    def _key(self):
        return (self.node, self.id, self.serial, self.creation)


class ExternalRef(_Value):
    """A reference as the wire carries it; the default adapter's ref."""

    def __init__(self, node, creation, ids):
        self.node = node
        self.creation = creation
        self.ids = tuple(ids)

    def _key(self):
        return (self.node, self.creation, self.ids)


class Port(_Value):
    """An Erlang port; only ever passed along, never opened here."""

    def __init__(self, node, id, creation):
        self.node = node
        self.id = id
        self.creation = creation

    def _key(self):
        return (self.node, self.id, self.creation)


class Fun(_Value):
    """A fun or an external fun (`fun m:f/a`), kept as its exact encoding
    (tag included): it only means something to the node that made it."""

    def __init__(self, ext):
        self.ext = bytes(ext)

    def _key(self):
        return (self.ext,)


class BitString(_Value):
    """A bitstring whose size is not a whole number of bytes: `bits` bits,
    the first ones of `data` (len(data) == ceil(bits / 8)). The unused low
    bits of the last byte are cleared, as Erlang does."""

    def __init__(self, data, bits):
        if bits <= 0 or bits % 8 == 0 or len(data) != (bits + 7) // 8:
            raise ValueError("BitString of %d bits cannot hold %d bytes "
                             "(a whole number of bytes is a binary)" % (bits, len(data)))
        mask = (0xFF << (8 - bits % 8)) & 0xFF
        self.data = bytes(data[:-1]) + bytes((data[-1] & mask,))
        self.bits = bits

    def _key(self):
        return (self.data, self.bits)


class ImproperList(_Value):
    """[items... | tail]: a list whose last tail is not [] (nor a list)."""

    def __init__(self, items, tail):
        if not items or isinstance(tail, (list, ImproperList)):
            raise ValueError("ImproperList needs items and a tail that is not a list")
        self.items = list(items)
        self.tail = tail

    def _key(self):
        return (tuple(self.items), self.tail)


class PairMap(_Value):
    """A map whose keys Python cannot hash (a list, a map): its pairs, in
    the order they came. Erlang's `#{"key" => 1}` ("key" is a list)."""

    def __init__(self, pairs):
        self.pairs = [tuple(pair) for pair in pairs]

    def _key(self):
        return tuple((_frozen(key), _frozen(value)) for key, value in self.pairs)


def _frozen(term):
    """A hashable stand-in for `term`, for PairMap's equality and hash."""
    if isinstance(term, list):
        return ("list", tuple(_frozen(item) for item in term))
    if isinstance(term, dict):
        return ("map", tuple(sorted(((_frozen(k), _frozen(v)) for k, v in term.items()), key=repr)))
    if isinstance(term, tuple):
        return tuple(_frozen(item) for item in term)
    return term


class ExternalAdapter:
    """The default adapter: pids and references as plain values."""

    def pid(self, node, id, serial, creation):
        return ExternalPid(node, id, serial, creation)

    def ref(self, node, creation, ids):
        return ExternalRef(node, creation, ids)

    def pid_fields(self, obj):
        return obj._key() if type(obj) is ExternalPid else None

    def ref_fields(self, obj):
        return obj._key() if type(obj) is ExternalRef else None


DEFAULT_ADAPTER = ExternalAdapter()
