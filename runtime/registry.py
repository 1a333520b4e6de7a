"""Registered names: the relation between a name and a live process.

`s.names` maps a name to a record, and the record's `name` field holds its
name. Invariant: names[n].name == n. A name is freed when its process
exits (`exited`). Only this module changes either side.
"""


def check_name(s, name):
    """Raise unless `name` is a str nobody holds."""
    if type(name) is not str:
        raise TypeError("a registered name must be a str, got %r" % (name,))
    holder = s.names.get(name)
    if holder is not None:
        raise ValueError("name %r is already registered to %r" % (name, holder.pid))


def register(s, name, p):
    check_name(s, name)
    if p.name is not None:
        raise ValueError("register: %r is already registered as %r" % (p.pid, p.name))
    p.name = name  # before the table: see exited
    s.names[name] = p


def unregister(s, name):
    p = s.names.pop(name, None) if type(name) is str else None
    if p is None:
        raise ValueError("unregister: %r is not registered" % (name,))
    p.name = None


def lookup(s, name):
    """The record registered as `name`, or None."""
    return s.names.get(name) if type(name) is str else None


def registered(s):
    """The registered names, sorted."""
    return sorted(s.names)


def exited(s, p):
    """Free `p`'s name (it exited)."""
    name = p.name
    if name is not None and s.names.get(name) is p:
        del s.names[name]
