"""Monitors: the relation, one-way, from a watcher to the process it watches.

A monitor is its Ref, which holds both ends (`watcher` and `target`
records; terms.py); the watcher lists it in `monitoring`, the target in
`watchers` (the Ref itself while it is the only one: a process spawned
with a monitor would otherwise make a list of one, two allocations).

When a watcher exits, its monitors end by clearing their Refs only:
removing each from its target's list would cost that list's length per
monitor (a process holding thousands of monitors on one target would take
quadratic time to exit). The target's list drops such dead entries when it
next grows past a power of two, and when the target exits. When the target
exits, or at once if it does not exist, the watcher gets ('DOWN', ref,
'process', who, reason) and the monitor ends: who is the target's Pid, or
(name, node) for a monitor by registered name (the Ref's `named`), as
OTP's DOWN names it. Demonitoring ends it from the watcher's side; a DOWN
already queued stays unless flushed.
"""
from runtime.receive import deliver
from runtime.terms import Ref

_COMPACT_AT = 16  # a watchers list this long is cleaned as it doubles


def start(watcher, ref):
    """`watcher` holds monitor `ref` (its target is set by `watched`)."""
    ref.watcher = watcher
    if watcher.monitoring is None:
        watcher.monitoring = [ref]
    else:
        watcher.monitoring.append(ref)


def watched(target, ref):
    """The MONITOR signal arrived: `target` is watched through `ref`."""
    ref.target = target
    watchers = target.watchers
    if watchers is None:
        target.watchers = ref
        return
    if type(watchers) is Ref:
        target.watchers = [watchers, ref]
        return
    n = len(watchers)
    if n >= _COMPACT_AT and n & (n - 1) == 0:
        watchers[:] = [w for w in watchers if w.watcher is not None]
    watchers.append(ref)


def unwatched(target, ref):
    """The DEMONITOR signal arrived: `ref` no longer watches `target`."""
    watchers = target.watchers
    if watchers is ref:
        target.watchers = None
    elif type(watchers) is list and ref in watchers:
        watchers.remove(ref)


def watcher_pids(p):
    """The Pids of the processes monitoring `p` (the list may hold the
    ended monitors of thousands of watchers: it is not copied)."""
    watchers = p.watchers
    if type(watchers) is Ref:
        watchers = (watchers,)
    return [ref.watcher.pid for ref in watchers or () if ref.watcher is not None]


def end(ref):
    """Forget monitor `ref` on the watcher's side; its DOWN, if any, is
    the caller's to send."""
    watcher = ref.watcher
    if watcher is not None:
        ref.watcher = None
        if watcher.monitoring is not None and ref in watcher.monitoring:
            watcher.monitoring.remove(ref)


def undo_last(watcher, ref):
    """Forget monitor `ref` just started by `watcher` (a spawn that failed)."""
    items = watcher.monitoring
    if items and items[-1] is ref:
        items.pop()
    ref.watcher = None


def down_at_once(s, ref, target, reason):
    """End monitor `ref`, whose target (a Pid or a name) does not exist,
    with a DOWN now."""
    watcher = ref.watcher
    if watcher is not None:
        end(ref)
        deliver(s, watcher, ("DOWN", ref, "process", ref.named or target, reason))


def take_watchers(p):
    """The monitors watching `p`, forgotten on its side (it exited): None,
    a Ref or a list of them."""
    watchers = p.watchers
    if watchers is not None:
        p.watchers = None
    return watchers


def take_held(p):
    """The monitors `p` holds, forgotten on its side (it exited)."""
    held = p.monitoring
    if held is not None:
        p.monitoring = None
    return held
