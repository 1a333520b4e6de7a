"""Signals: the one path by which a process affects another.

Every exit, link, unlink, monitor and demonitor passes through `signal`
here as a typed entry (kind, sender, argument), and every message through
receive.deliver. Delivery is synchronous: the sender applies the entry to
the receiver's record before its call returns, so signals and messages
from one process to another arrive in the order they were sent, and a
signal to a process that has already exited gets Erlang's answer at once
(a link: an exit with `noproc`; a monitor: a DOWN with `noproc`; anything
else: dropped).

The relations have their own modules, which own their fields of the
record: links.py, monitors.py, registry.py. This module owns exits.

A fatal exit signal does not run the receiver: it records the reason in
the receiver's `result` and makes it EXITING (`kill`); the scheduler ends
it the next time it would run. When the receiver is the process that sent
the signal, the API call raises ProcessExit itself, right away.

Every function takes the scheduler `s`.
"""
from runtime import links, monitors
from runtime.isolation import copy_term
from runtime.process import DEAD, EXITING
from runtime.receive import deliver
from runtime.terms import Pid, Ref

EXIT = "exit"                # exit(pid, reason); untrappable when reason is 'kill'
EXIT_LINKED = "exit_linked"  # a linked process exited; argument: its reason
LINK = "link"
UNLINK = "unlink"
MONITOR = "monitor"          # argument: the monitor's Ref
DEMONITOR = "demonitor"      # argument: the monitor's Ref


def is_atom(reason, text):
    """reason == text, for a reason of any type: a reason can be any object,
    and comparing one whose __eq__ misbehaves must not run its code."""
    return type(reason) is str and reason == text


def signal(s, target, kind, sender, arg=None):
    """Deliver signal `kind` from `sender` (a Pid, or None outside any
    process) to the process `target` names."""
    p = target._proc
    if p is None and target._node is not None:
        s.remote.signal(s, target, kind, sender, arg)
    elif p is None or p.status is DEAD:
        _to_dead(s, target, kind, sender, arg)
    elif kind is EXIT or kind is EXIT_LINKED:
        _exit(s, p, kind, sender, arg)
    elif kind is LINK:
        links.add(p, sender)
    elif kind is UNLINK:
        links.remove(p, sender)
    elif kind is MONITOR:
        monitors.watched(p, arg)
    elif kind is DEMONITOR:
        monitors.unwatched(p, arg)
    else:
        raise ValueError("unknown signal kind %r" % (kind,))


def _to_dead(s, target, kind, sender, arg):
    if kind is LINK:
        signal(s, sender, EXIT_LINKED, target, "noproc")
    elif kind is MONITOR:
        monitors.down_at_once(s, arg, target, "noproc")


def _exit(s, p, kind, sender, reason):
    if p.status is EXITING:
        return  # already on its way out; the first reason stands
    if kind is EXIT_LINKED:
        links.remove(p, sender)
    elif is_atom(reason, "kill"):
        kill(s, p, "killed")  # exit(pid, 'kill') cannot be trapped
        return
    if p.trap_exit:
        deliver(s, p, ("EXIT", sender, copy_term(reason)))
    elif not is_atom(reason, "normal"):
        kill(s, p, reason)
    elif sender is p.pid:
        kill(s, p, "normal")  # exit(self_pid(), 'normal') ends the caller


class Unreachable:
    """Where signals to other nodes go while this node is not distributed
    (runtime.node replaces it): as to a node that cannot be reached, a link
    gets an exit `noconnection`, a monitor a DOWN `noconnection`, and the
    rest is dropped."""

    def send(self, s, target, message):
        pass

    def send_name(self, s, sender, name, node, message):
        pass

    def signal(self, s, target, kind, sender, arg):
        if kind is LINK:
            signal(s, sender, EXIT_LINKED, target, "noconnection")
        elif kind is MONITOR:
            self.monitor(s, sender, target, arg)

    def monitor(self, s, sender, target, ref):
        monitors.down_at_once(s, ref, target, "noconnection")

    def demonitor(self, s, sender, ref):
        ref.away = None


UNREACHABLE = Unreachable()


def kill(s, p, reason):
    """Make live process `p` EXITING with `reason`: it is ended when next
    picked. Its mailbox goes at once, the memory it held with it."""
    s.runq.make_exiting(p, reason)
    if p.mailbox is not None:
        p.mailbox = None
        if p.head:
            p.head = 0


def _exit_linked_again(s, target, pid, reason):
    """EXIT_LINKED from `pid` to `target` met a full heap, which changed
    nothing (runq.py): try again while the memory policy makes room."""
    while s.memory.relieve(s):
        try:
            signal(s, target, EXIT_LINKED, pid, reason)
            return
        except MemoryError:
            pass
    s.memory.drop()


def _down(s, ref, pid, reason):
    """Monitor `ref` ends: its target `pid` exited with `reason`; a live
    watcher gets its DOWN, tried again while the memory policy makes room."""
    ref.target = None
    watcher = ref.watcher
    if watcher is None or watcher.status is DEAD:
        return
    while True:
        try:
            deliver(s, watcher, ("DOWN", ref, "process", ref.named or pid, copy_term(reason)))
            break
        except MemoryError:
            if not s.memory.relieve(s):
                s.memory.drop()
                break
    monitors.end(ref)


def process_exited(s, p, reason):
    """Tell everyone linked to or monitoring `p` (now dead) that it exited
    with `reason` (settled, see lifecycle.py), and drop the monitors `p`
    held. A notice that meets a full heap is tried again once the memory
    policy has made room (memory.py), and dropped only when there is none."""
    pid = p.pid
    others = links.take(p)
    if type(others) is Pid:  # one link, inline: the restart path's case
        try:
            signal(s, others, EXIT_LINKED, pid, reason)
        except MemoryError:
            _exit_linked_again(s, others, pid, reason)
    elif others is not None:
        for other in others:
            try:
                signal(s, other, EXIT_LINKED, pid, reason)
            except MemoryError:
                _exit_linked_again(s, other, pid, reason)
    watchers = monitors.take_watchers(p)
    if type(watchers) is Ref:
        _down(s, watchers, pid, reason)
    elif watchers is not None:
        for ref in watchers:
            _down(s, ref, pid, reason)
    held = monitors.take_held(p)
    if held is not None:
        for ref in held:  # (their targets drop them later: monitors.py)
            ref.watcher = None
            ref.target = None
