"""Receive patterns: what check() refuses, what matches() accepts."""
import pytest

from runtime.patterns import check, first_match, matches
from runtime.terms import ANY


class Unhashable:
    __hash__ = None


@pytest.mark.parametrize("pattern", [[1], {"a": 1}, {1}, bytearray(b"x"), ("ok", [1]),
                                     ("deep", ("er", {})), Unhashable()])
def test_malformed_patterns_are_refused(pattern):
    with pytest.raises(TypeError):
        check((pattern,))


@pytest.mark.parametrize("pattern", [ANY, 1, "s", b"b", None, 1.5, True, int, ValueError,
                                     ("EXIT", ANY, str), lambda m: True, frozenset([1])])
def test_wellformed_patterns_pass(pattern):
    check((pattern,))


@pytest.mark.parametrize("pattern, message, expected", [
    (ANY, object, True),
    (1, 1, True),
    (1, 1.0, False),
    (1, True, False),
    ("a", "a", True),
    (("a", int), ("a", 3), True),
    (("a", int), ("a", "3"), False),
    (("a", int), ("a", 3, 4), False),
    (("a", int), ["a", 3], False),
    (int, True, True),
    (str, b"x", False),
    (lambda m: m > 2, 3, True),
    (lambda m: m > 2, 2, False),
    (("nested", ("x", ANY)), ("nested", ("x", [1])), True),
    # Literal items, decided inside the tuple's own loop: by type as well.
    (("n", 1), ("n", 1), True),
    (("n", 1), ("n", 1.0), False),
    (("n", 1), ("n", True), False),
    ((ANY, None), ("x", None), True),
    ((ANY, None), ("x", 0), False),
    (("n", lambda m: m > 2), ("n", 3), True),
    (("n", lambda m: m > 2), ("n", 2), False),
])
def test_matching(pattern, message, expected):
    assert matches(pattern, message) is expected


def test_first_match_tries_every_pattern():
    assert first_match(("a", "b"), "b")
    assert not first_match(("a", "b"), "c")
