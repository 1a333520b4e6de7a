"""Receive patterns: checked when receive is called, matched against messages.

A pattern is one of:
- `ANY`: matches anything;
- a tuple: matches a tuple of the same length whose items match item by item;
- a class: matches its instances;
- a callable that is not a class: a predicate, matches when it returns true;
- any other hashable value: a literal, matching an equal message of the same
  type (as Erlang's matching: 1 does not match 1.0 or True).
Mutable containers (list, dict, set, bytearray) are refused: a pattern that can
change between the call and the match is a bug waiting to happen.

On our firmware first_match is _runtime's (firmware/record.c): the same
matching in C, so that a selective receive passes over a message without a
Python call (a predicate is still called).
"""
from runtime.isolation import SHARED
from runtime.terms import ANY

_MUTABLE = (list, dict, set, bytearray)


def check(patterns):
    """Raise TypeError naming the first malformed pattern in `patterns`."""
    for pattern in patterns:
        _check(pattern)


def _check(pattern):
    kind = type(pattern)
    if pattern is ANY or kind in SHARED:
        return
    if kind is tuple:
        for item in pattern:
            _check(item)
        return
    if isinstance(pattern, type) or callable(pattern):
        return
    if kind in _MUTABLE:
        raise TypeError("receive pattern %r is a mutable %s; use a tuple, a class, "
                        "ANY or a predicate" % (pattern, kind.__name__))
    try:
        hash(pattern)
    except TypeError:
        raise TypeError("receive pattern %r (a %s) is unhashable, so it cannot be a "
                        "literal" % (pattern, kind.__name__))


def matches(pattern, message):
    """True if `message` matches `pattern` (which check() accepted)."""
    kind = type(pattern)
    if kind is tuple:
        if not isinstance(message, tuple) or len(message) != len(pattern):
            return False
        # Items that are ANY or literals, the common case, are decided here:
        # a call per item would cost more than the comparison (selective
        # receive runs this once per message it passes over).
        i = 0
        for item in pattern:
            if item is not ANY:
                value = message[i]
                kind = type(item)
                if kind in SHARED:
                    if type(value) is not kind or item != value:
                        return False
                elif not matches(item, value):
                    return False
            i += 1
        return True
    if pattern is ANY:
        return True
    if kind in SHARED:
        return type(message) is kind and pattern == message
    if isinstance(pattern, type):
        return isinstance(message, pattern)
    if callable(pattern):
        return bool(pattern(message))
    return pattern == message


def first_match(patterns, message):
    """True if `message` matches one of `patterns`."""
    for pattern in patterns:
        if matches(pattern, message):
            return True
    return False


try:
    from _runtime import configure_patterns, first_match  # noqa: F811 (the twin above is CPython's)
    configure_patterns(ANY, SHARED)
except ImportError:
    pass
