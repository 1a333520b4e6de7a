"""Message isolation: what a receiver got never changes when the sender
mutates what it sent.

Erlang copies every message into the receiver's heap. Here immutable terms are
shared (copying them could not be observed) and only mutable containers are
copied, deeply, at send time: list, dict, set and bytearray, also when nested
in tuples. Objects of other classes (user classes, arrays, functions) are
passed by reference, as the sender's own responsibility; exceptions are shared
because they serve as exit reasons.
"""
import builtins

from runtime.terms import Pid, Ref

SHARED = {type(None), bool, int, float, str, bytes, Pid, Ref}
if hasattr(builtins, "frozenset"):  # optional in MicroPython builds
    SHARED.add(builtins.frozenset)


def copy_term(term):
    """`term`, or a deep copy of it wherever it holds a mutable container."""
    kind = type(term)
    if kind in SHARED:
        return term
    if kind is list:
        return [copy_term(item) for item in term]
    if kind is dict:
        return {copy_term(key): copy_term(value) for key, value in term.items()}
    if kind is set:
        return {copy_term(item) for item in term}
    if kind is bytearray:
        return bytearray(term)
    if isinstance(term, tuple):
        for item in term:
            if type(item) not in SHARED:
                break
        else:
            return term
        # Rebuilt only when something inside was copied.
        items = [copy_term(item) for item in term]
        for i in range(len(items)):
            if items[i] is not term[i]:
                return tuple(items) if kind is tuple else kind(*items)
    return term


# Exit reasons -----------------------------------------------------------
#
# An exit reason reaches everyone linked to or monitoring the process that
# exited, each with a copy made by the scheduler outside any process. So the
# scheduler settles it once, under the slice budget (lifecycle.py): a copy
# bounded in depth and size, whose containers hold nothing whose copying runs
# user code (dict and set keys of the SHARED types; tuple subclasses only
# when nothing inside them needs copying). Copying it again for each
# recipient then runs no user code and costs a bounded amount.

SETTLE_DEPTH = 32    # nesting of containers in an exit reason
SETTLE_ITEMS = 1000  # items in all its containers together


class Unsettled(Exception):
    """An exit reason the exit path cannot carry; args[0] says why."""


def settle(term):
    """A copy of exit reason `term` that copy_term can copy again without
    running user code, or Unsettled."""
    count = [0]
    return _settle(term, SETTLE_DEPTH, count)


def _settle(term, depth, count):
    kind = type(term)
    if kind in SHARED:
        return term
    if depth == 0:
        raise Unsettled("too_deep")
    if kind is list or kind is tuple or kind is set or kind is dict:
        count[0] += len(term)
        if count[0] > SETTLE_ITEMS:
            raise Unsettled("too_large")
    depth -= 1
    if kind is list:
        return [_settle(item, depth, count) for item in term]
    if kind is tuple:
        return tuple([_settle(item, depth, count) for item in term])
    if kind is dict:
        copy = {}
        for key in term:
            copy[_key(key)] = _settle(term[key], depth, count)
        return copy
    if kind is set:
        return {_key(item) for item in term}
    if kind is bytearray:
        return bytearray(term)
    if isinstance(term, tuple) and copy_term(term) is not term:
        raise Unsettled("mutable_in_tuple_subclass")
    return term  # shared: exceptions, functions, objects of user classes


def _key(key):
    if type(key) not in SHARED:
        raise Unsettled("unhashable_key")
    return key
