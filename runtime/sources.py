"""Interrupt sources: which process owns which libos event source, and the
events that become its messages.

An interrupt handler never runs Python: libos posts (source, value) into a
ring, the scheduler drains it between steps (phase 1) and each event
becomes the message ('event', source, value) to the process that claimed
the source. A claim ends when its process exits.

Streams (the libos stream service on hosts: TCP connections) post events of
the one source "stream" whose value is the stream's id: each goes to the
process that owns that stream as ('stream', id), and a stream is closed when
its owner exits, as an Erlang port closes with its owner.
"""
import libos

from runtime import logger
from runtime.receive import deliver


class Sources:
    def __init__(self):
        self.owners = {}   # source -> record of the process that claimed it
        self.dropped = 0   # libos.dropped() when last looked at
        self.streams = {}  # stream id -> record of the process that owns it

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

    def own_stream(self, p, stream):
        """Make process `p` the owner of libos stream `stream` (an id), in
        place of its owner until now, if any."""
        streams = self.streams
        if not streams:
            libos.claim("stream")
        previous = streams.get(stream)
        if previous is not None and previous.claims is not None and stream in previous.claims:
            previous.claims.remove(stream)
        streams[stream] = p
        if p.claims is None:
            p.claims = [stream]
        else:
            p.claims.append(stream)

    def close_stream(self, p, stream):
        """Close `stream`, which process `p` owns."""
        if self.streams.get(stream) is not p:
            raise ValueError("stream %r is not owned by the calling process" % (stream,))
        p.claims.remove(stream)
        self._forget_stream(stream)

    def _forget_stream(self, stream):
        del self.streams[stream]
        libos.stream_close(stream)
        if not self.streams:
            libos.release("stream")

    def exited(self, p):
        """Release what `p` claimed and close the streams it owned (it exited)."""
        claims = p.claims
        if claims is not None:
            p.claims = None
            for source in claims:
                if type(source) is int:
                    if self.streams.get(source) is p:
                        self._forget_stream(source)
                elif self.owners.get(source) is p:
                    del self.owners[source]
                    libos.release(source)

    def deliver_events(self, s, events):
        """Phase 1 of a step: each event to its owner, as a message."""
        owners = self.owners
        for source, value in events:
            if source == "stream":
                p = self.streams.get(value)
                if p is not None:
                    deliver(s, p, ("stream", value))
                continue
            p = owners.get(source)
            if p is not None:
                deliver(s, p, ("event", source, value))
        dropped = libos.dropped()
        if dropped != self.dropped:
            logger.log("warning", "libos dropped %d interrupt events (event ring full)"
                       % (dropped - self.dropped))
            self.dropped = dropped
