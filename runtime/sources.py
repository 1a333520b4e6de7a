"""Interrupt sources: which process owns which libos event source, and the
events that become its messages.

An interrupt handler never runs Python: libos posts (source, value) into a
ring, the scheduler drains it between steps (phase 1) and each event
becomes the message ('event', source, value) to the process that claimed
the source. A claim ends when its process exits.
"""
import libos

from runtime import logger
from runtime.receive import deliver


class Sources:
    def __init__(self):
        self.owners = {}   # source -> record of the process that claimed it
        self.dropped = 0   # libos.dropped() when last looked at

    def claim(self, p, source):
        """Make process `p` the owner of interrupt source `source`."""
        if type(source) is not str:
            raise TypeError("claim: a source is a str (one of libos.sources()), got %r"
                            % (source,))
        owner = self.owners.get(source)
        if owner is p:
            return
        if owner is not None:
            raise ValueError("source %r is already claimed by %r" % (source, owner.pid))
        libos.claim(source)
        if p.claims is None:
            p.claims = [source]
        else:
            p.claims.append(source)
        self.owners[source] = p

    def release(self, p, source):
        """Give up `source`, which process `p` owns."""
        if self.owners.get(source) is not p:
            raise ValueError("source %r is not claimed by the calling process" % (source,))
        del self.owners[source]
        p.claims.remove(source)
        libos.release(source)

    def exited(self, p):
        """Release what `p` claimed (it exited)."""
        claims = p.claims
        if claims is not None:
            p.claims = None
            for source in claims:
                if self.owners.get(source) is p:
                    del self.owners[source]
                    libos.release(source)

    def deliver_events(self, s, events):
        """Phase 1 of a step: each event to its owner, as a message."""
        owners = self.owners
        for source, value in events:
            p = owners.get(source)
            if p is not None:
                deliver(s, p, ("event", source, value))
        dropped = libos.dropped()
        if dropped != self.dropped:
            logger.log("warning", "libos dropped %d interrupt events (event ring full)"
                       % (dropped - self.dropped))
            self.dropped = dropped
