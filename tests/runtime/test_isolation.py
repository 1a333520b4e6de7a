"""copy_term: shared when immutable, copied deeply where mutable."""
from collections import namedtuple

from runtime.isolation import copy_term
from runtime.terms import Pid

Point = namedtuple("Point", "x y")


def test_immutable_terms_are_shared():
    pid = Pid(1, None)
    for term in (None, 1, 2.5, "s", b"b", True, pid, ("a", (1, ("b", pid)), frozenset([1]))):
        assert copy_term(term) is term


def test_mutable_containers_are_copied_deeply():
    inner = [1, {"k": bytearray(b"x")}]
    term = ("t", inner, {1, 2})
    copy = copy_term(term)
    assert copy == term and copy is not term
    assert copy[1] is not inner and copy[1][1] is not inner[1]
    assert copy[1][1]["k"] is not inner[1]["k"]
    assert copy[2] is not term[2]


def test_a_namedtuple_is_rebuilt_only_around_a_mutable_part():
    p = Point(1, 2)
    assert copy_term(p) is p
    q = Point(1, [2])
    c = copy_term(q)
    assert type(c) is Point and c == q and c.y is not q.y


def test_other_objects_are_passed_by_reference():
    class Thing:
        pass

    thing = Thing()
    assert copy_term(thing) is thing
    error = ValueError("x")
    assert copy_term(("EXIT", error))[1] is error
