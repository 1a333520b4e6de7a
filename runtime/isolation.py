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
