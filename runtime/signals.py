"""Signals: the one path by which a process affects another.

Every message, exit, link, unlink, monitor, demonitor and DOWN passes through
`deliver_message` or `signal` here, as a typed entry (kind, sender, argument).
Delivery is synchronous: the sender applies the entry to the receiver's record
before its call returns, so signals and messages from one process to another
arrive in the order they were sent, and a signal to a process that has already
exited gets Erlang's answer at once (a link: an exit with `noproc`; a monitor:
a DOWN with `noproc`; anything else: dropped).

A fatal exit signal does not run the receiver: it records the reason in the
receiver's `exit_reason` and makes it EXITING; the scheduler ends it the next
time it would run (see scheduler.py). When the receiver is the process that
sent the signal, the API call raises ProcessExit itself, right away.

Every function takes the scheduler `s` (its run queues, timers and clock).
"""
from runtime.isolation import copy_term
from runtime.process import DEAD, EXITING, RECEIVING, RUNNABLE, SELECTING, SLEEPING

EXIT = "exit"                # exit(pid, reason); untrappable when reason is 'kill'
EXIT_LINKED = "exit_linked"  # a linked process exited; argument: its reason
LINK = "link"
UNLINK = "unlink"
MONITOR = "monitor"          # argument: the monitor's Ref
DEMONITOR = "demonitor"      # argument: the monitor's Ref

RESCAN = object()  # result of a receive woken to look at new messages


def deliver_message(s, p, message):
    """Put `message` (already isolated) in live process `p`'s mailbox, or
    straight into the receive it is waiting in."""
    status = p.status
    if status is RECEIVING:
        # Waiting for any message means the mailbox is empty: hand it over.
        # The order of these stores matters if a slice budget cuts the sender
        # short (see Scheduler.resync).
        p.result = message
        timer = p.timer
        if timer is not None:
            s.timers.drop(timer)
            p.timer = None
        p.status = RUNNABLE
        s.runq[p.priority].append(p)
        return
    mailbox = p.mailbox
    if mailbox is None:
        p.mailbox = [message]
    else:
        mailbox.append(message)
    if status is SELECTING:
        # Patterns may be predicates: they run in the receiver, not here.
        p.result = RESCAN
        p.status = RUNNABLE
        s.runq[p.priority].append(p)


def signal(s, target, kind, sender, arg=None):
    """Deliver signal `kind` from `sender` (a Pid, or None outside any
    process) to the process `target` names."""
    p = target._proc
    if p is None or p.status is DEAD:
        _to_dead(s, target, kind, sender, arg)
    elif kind is EXIT or kind is EXIT_LINKED:
        _exit(s, p, kind, sender, arg)
    elif kind is LINK:
        links = p.links
        if links is None:
            p.links = [sender]
        elif sender not in links:
            links.append(sender)
    elif kind is UNLINK:
        if p.links is not None and sender in p.links:
            p.links.remove(sender)
    elif kind is MONITOR:
        arg.target = p
        if p.watchers is None:
            p.watchers = [arg]
        else:
            p.watchers.append(arg)
    elif kind is DEMONITOR:
        if p.watchers is not None and arg in p.watchers:
            p.watchers.remove(arg)
    else:
        raise ValueError("unknown signal kind %r" % (kind,))


def _to_dead(s, target, kind, sender, arg):
    if kind is LINK:
        signal(s, sender, EXIT_LINKED, target, "noproc")
    elif kind is MONITOR:
        watcher = arg.watcher
        if watcher is not None:
            end_monitor(arg)
            deliver_message(s, watcher, ("DOWN", arg, "process", target, "noproc"))


def _exit(s, p, kind, sender, reason):
    if p.status is EXITING:
        return  # already on its way out; the first reason stands
    if kind is EXIT_LINKED:
        if p.links is not None and sender in p.links:
            p.links.remove(sender)
    elif reason == "kill":
        _kill(s, p, "killed")  # exit(pid, 'kill') cannot be trapped
        return
    if p.trap_exit:
        deliver_message(s, p, ("EXIT", sender, copy_term(reason)))
    elif reason != "normal":
        _kill(s, p, reason)
    elif sender is p.pid:
        _kill(s, p, "normal")  # exit(self_pid(), 'normal') ends the caller


def _kill(s, p, reason):
    was = p.status
    p.exit_reason = reason
    p.status = EXITING
    if was is not RUNNABLE:  # it was waiting: queue it to be ended
        s.runq[p.priority].append(p)


def end_monitor(ref):
    """Forget monitor `ref` on both sides; its DOWN, if any, is the caller's."""
    watcher = ref.watcher
    if watcher is not None:
        ref.watcher = None
        if watcher.monitoring is not None and ref in watcher.monitoring:
            watcher.monitoring.remove(ref)


def process_exited(s, p, reason):
    """Tell everyone linked to or monitoring `p` (now dead) that it exited,
    and drop the monitors `p` held."""
    pid = p.pid
    links = p.links
    if links is not None:
        p.links = None
        for other in links:
            signal(s, other, EXIT_LINKED, pid, reason)
    watchers = p.watchers
    if watchers is not None:
        p.watchers = None
        for ref in watchers:
            watcher = ref.watcher
            ref.target = None
            if watcher is not None and watcher.status is not DEAD:
                end_monitor(ref)
                deliver_message(s, watcher, ("DOWN", ref, "process", pid, copy_term(reason)))
    monitoring = p.monitoring
    if monitoring is not None:
        p.monitoring = None
        for ref in monitoring:
            ref.watcher = None
            target = ref.target
            ref.target = None
            if target is not None:
                signal(s, target.pid, DEMONITOR, pid, ref)
