"""Links: the relation, two-way, between linked processes.

Each link is in both processes' `links` field, made on first use: the one
Pid of a process with a single link (a supervised worker's, to its
supervisor: a list would cost it 32 bytes), else a list of Pids. A link
is made and broken by signals (signals.py): the caller changes its own
field and sends LINK or UNLINK, which changes the other's. When a linked
process exits, the others get EXIT_LINKED with its reason (signals.py,
process_exited). This module only keeps the field.
"""
from runtime.terms import Pid


def add(p, pid):
    """Add `pid` to `p`'s links; False if it was there already."""
    links = p.links
    if links is None:
        p.links = pid
    elif type(links) is Pid:
        if links == pid:
            return False
        p.links = [links, pid]
    elif pid in links:
        return False
    else:
        links.append(pid)
    return True


def remove(p, pid):
    """Remove `pid` from `p`'s links; False if it was not there."""
    links = p.links
    if links is None:
        return False
    if type(links) is Pid:
        if links != pid:
            return False
        p.links = None
        return True
    if pid not in links:
        return False
    links.remove(pid)
    return True


def has(p, pid):
    links = p.links
    if type(links) is Pid:
        return links == pid
    return links is not None and pid in links


def pids(p):
    """`p`'s links as a sequence to read, not a copy (a process may have
    thousands)."""
    links = p.links
    if links is None:
        return ()
    return (links,) if type(links) is Pid else links


def take(p):
    """`p`'s links, forgotten (it exited): None, a Pid or a list of them."""
    links = p.links
    if links is not None:
        p.links = None
    return links


def undo_last(p, pid):
    """Forget the link to `pid` just added to `p` (a spawn that failed)."""
    links = p.links
    if links is pid:
        p.links = None
    elif type(links) is list and links and links[-1] is pid:
        links.pop()
