"""Links: the relation, two-way, between linked processes.

Each link is in both processes' `links` lists (of Pids), made on first use.
A link is made and broken by signals (signals.py): the caller changes its
own list and sends LINK or UNLINK, which changes the other's. When a linked
process exits, the others get EXIT_LINKED with its reason (signals.py,
process_exited). This module only keeps the lists.
"""


def add(p, pid):
    """Add `pid` to `p`'s links; False if it was there already."""
    links = p.links
    if links is None:
        p.links = [pid]
    elif pid in links:
        return False
    else:
        links.append(pid)
    return True


def remove(p, pid):
    """Remove `pid` from `p`'s links; False if it was not there."""
    links = p.links
    if links is None or pid not in links:
        return False
    links.remove(pid)
    return True


def has(p, pid):
    return p.links is not None and pid in p.links


def take(p):
    """`p`'s links, forgotten (it exited); None if it had none."""
    links = p.links
    if links is not None:
        p.links = None
    return links


def undo_last(p, pid):
    """Forget the link to `pid` just added to `p` (a spawn that failed)."""
    links = p.links
    if links and links[-1] is pid:
        links.pop()
