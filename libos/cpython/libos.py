"""The libos contract on CPython: the hardware the runtime expects, made of
host facilities, for development and host nodes. What each operation means
here:

board()        {'name': 'cpython', 'cpu': the host machine, 'clock_hz': 0
               (unknown), 'heap_bytes': physical memory, 'target': 'cpython'}
ticks_*        time.monotonic_ns since import, in MicroPython's period (2**30)
               and started FIRST_WRAP_MS before the first wrap, as on the
               boards; ticks_diff is signed modular.
alarm(t_us)    a clock thread posts ('alarm', t_us) at tick t_us (at once if
               that is not in the future); re-arming replaces, None cancels.
timer(n, us)   starts 'timer0'/'timer1' posting (source, periods since start)
               every `us` (0 stops it); a late clock thread posts every period
               it missed, so the count has no gaps.
idle(t_us)     waits on a threading.Event that posting an event sets; None
               waits until an event. The runtime is woken, never polled.
events()       drains a fixed ring of RING_SIZE events, oldest first, as a
               tuple; when the ring is full new events are counted in
               dropped(), not queued.
uart(1/2)      the two ends of a socketpair, as if the board's UART1 and UART2
               were wired together: bytes written to uart(1) are read from
               uart(2) and back. A reader thread per end fills an RX ring of
               UART_RX_RING bytes, taking from the socket no more than fits
               (the socket holds the rest back, as on the posix board), so
               overruns() stays 0; bytes arriving into an empty ring post
               (source, bytes waiting) while 'uart1'/'uart2' is claimed.
               read(n) returns up to n bytes, b'' when none are waiting.
stream_*       TCP streams over the host's sockets (IPv4), as on the posix
               board; a table of STREAMS ids, the lowest free one taken first.
               stream_listen(port, host='127.0.0.1') -> id (port 0: any free
               port; SO_REUSEADDR, backlog LISTEN_BACKLOG);
               stream_connect(host, port) -> id at once (the connect finishes
               later: an event, then stream_status says 'open' or 'closed');
               stream_accept(id) -> new open id, or None when none waits;
               stream_read(id, max_bytes) -> bytes (b'' when none are
               waiting; at most READ_MAX at once), None once ended (peer
               closed, reset, error; the status is then 'closed');
               stream_write(id, data) -> bytes the host took now (maybe fewer,
               maybe 0; a peer that went away closes the stream, with an
               event); stream_status(id) -> 'listening', 'connecting', 'open'
               or 'closed'; stream_port(id) -> the local port;
               stream_close(id) frees the id. host is a dotted IPv4 address or
               'localhost'. Events ('stream', id) while 'stream' is claimed,
               posted by a watcher thread: something changed (data or an end
               to read, a connection to accept, a connect finished, room to
               write after a short write). A stream posts at most once until
               stream_read, stream_accept or stream_write re-arms it; if its
               change still holds then, it posts again once the next events()
               or idle() has looked, as does an event the ring had no room
               for. A full table raises OSError; the host's refusals raise
               OSError(errno, text).
mem()          heap_total: physical memory; heap_used: this process's resident
               set (/proc/self/statm, else peak RSS); heap_free: total - used;
               largest_free: heap_free (no fragmentation view on a host);
               stack_peak: 0 and stack_size: the main thread's stack limit
               (RLIMIT_STACK; 0 if unlimited).
budget(us)     raises SliceExpired in the main thread once `us` of process
               CPU time (not of time passing: a busy host does not cut
               slices) are used without budget(0), counted in SIGPROF ticks
               (setitimer(ITIMER_PROF)); while the budget stays armed after
               that it is raised again every REPEAT_US, so code that swallows
               it cannot run on. With spare_caller=True it is raised only in
               the code the caller runs, never in the caller's own frame nor
               in budget itself, so the caller can disarm without being cut
               (the runtime's slice runner on CPython arms it so).
               Works in the main thread only (RuntimeError elsewhere).
               budget(0) disarms, also cancels an expiry whose handler has
               not run yet, and returns True if the budget ran out since it
               was armed (else False).
wdt_*          a timer thread; if not fed within the timeout it records the
               cause 'watchdog' and ends the process with WATCHDOG_STATUS.
reset(reason)  records ('software', reason) in the reset record, then ends the
               process with RESET_STATUS (stdout and stderr flushed).
reset_cause()  reads and clears the record: ('software', reason),
               ('watchdog', None), ('fault', text) when the previous run ended
               with an uncaught exception (sys.excepthook records it), else
               ('power', None). The record is the file named by the
               environment variable LIBOS_RESET_RECORD (default: a file in the
               system temp directory, per user).

Bad input (an unknown source, a UART the board lacks, a negative timeout, a
reset reason over 120 bytes, an unknown stream, a bad port or host) raises
ValueError naming the value.
"""
import atexit
import collections
import errno
import os
import resource
import select
import signal
import socket
import sys
import tempfile
import threading
import time

TICKS_PERIOD = 1 << 30
FIRST_WRAP_MS = 5000   # the ticks start this long before their first wrap
RING_SIZE = 64
UART_RX_RING = 2048
REPEAT_US = 10000
RESET_STATUS = 82      # 'R': the process ended because reset() was called
WATCHDOG_STATUS = 87   # 'W': the watchdog expired
REASON_MAX = 120       # bytes of a reset reason, as the device's record holds

_MASK = TICKS_PERIOD - 1
_HALF = TICKS_PERIOD // 2
SOURCES = ("alarm", "timer0", "timer1", "uart1", "uart2", "stream")


class SliceExpired(BaseException):
    """Raised in the running code when its slice budget runs out."""


def board():
    return {"name": "cpython", "cpu": os.uname().machine, "clock_hz": 0,
            "heap_bytes": _physical_memory(), "target": "cpython"}


# Clock ----------------------------------------------------------------

_BOOT_NS = time.monotonic_ns()
_US_AT_BOOT = TICKS_PERIOD - FIRST_WRAP_MS * 1000
_MS_AT_BOOT = TICKS_PERIOD - FIRST_WRAP_MS


def ticks_us():
    return ((time.monotonic_ns() - _BOOT_NS) // 1000 + _US_AT_BOOT) & _MASK


def ticks_ms():
    return ((time.monotonic_ns() - _BOOT_NS) // 1000000 + _MS_AT_BOOT) & _MASK


def ticks_add(ticks, delta):
    return (ticks + delta) & _MASK


def ticks_diff(end, start):
    return ((end - start + _HALF) & _MASK) - _HALF


# Events ---------------------------------------------------------------

_lock = threading.Lock()
_ring = collections.deque()
_dropped = 0
_claimed = set()
_wake = threading.Event()


def _post(source, value):
    """Queue an event (any thread); drop it, counted, if the ring is full.
    Returns whether it was queued."""
    global _dropped
    with _lock:
        if source not in _claimed:
            return False
        if len(_ring) >= RING_SIZE:
            _dropped += 1
            return False
        _ring.append((source, value))
    _wake.set()
    return True


def events():
    if _look_due:
        _look_again()
    if not _ring:
        return ()
    with _lock:
        drained = tuple(_ring)
        _ring.clear()
    return drained


def dropped():
    return _dropped


def sources():
    return SOURCES


def _not_negative(value, what):
    if value < 0:
        raise ValueError("%s must not be negative, got %r" % (what, value))


def _source(source):
    if source not in SOURCES:
        raise ValueError("unknown event source %r; this board has: %s"
                         % (source, ", ".join(SOURCES)))


def claim(source):
    _source(source)
    with _lock:
        _claimed.add(source)
    if source.startswith("uart"):
        uart(int(source[4:]))  # start its reader
    elif source == "stream" and _look_due:
        _look_again()


def release(source):
    _source(source)
    with _lock:
        _claimed.discard(source)


def timer(n, period_us):
    if n not in (0, 1):
        raise ValueError("this board has no timer %r (it has 0 and 1)" % (n,))
    _not_negative(period_us, "timer period")
    _clock.set_periodic("timer%d" % n, period_us)


def idle(timeout_us):
    global _idle_ns
    if timeout_us is not None:
        _not_negative(timeout_us, "idle timeout")
    if _look_due:
        _look_again()
    with _lock:
        if _ring:
            return
        _wake.clear()
    start = time.monotonic_ns()
    _wake.wait(None if timeout_us is None else timeout_us / 1e6)
    _idle_ns += time.monotonic_ns() - start


_idle_ns = 0


def idle_us():
    """Microseconds spent in idle() so far, in ticks (as the C LibOS's)."""
    return (_idle_ns // 1000) & _MASK


class _Clock(threading.Thread):
    """Posts the alarm and the periodic timer events at their times."""

    def __init__(self):
        super().__init__(name="libos-clock", daemon=True)
        self._cond = threading.Condition()
        self._alarm = None   # (monotonic ns deadline, tick value) or None
        self._periodic = {}  # source -> [period ns, next monotonic ns, periods posted]
        self._running = False

    def _kick(self):
        if not self._running:
            self._running = True
            self.start()
        self._cond.notify()

    def set_alarm(self, deadline_ns, tick):
        with self._cond:
            self._alarm = None if deadline_ns is None else (deadline_ns, tick)
            self._kick()

    def set_periodic(self, source, period_us):
        with self._cond:
            if period_us:
                period = period_us * 1000
                self._periodic[source] = [period, time.monotonic_ns() + period, 0]
            else:
                self._periodic.pop(source, None)
            self._kick()

    def run(self):
        with self._cond:
            while True:
                now = time.monotonic_ns()
                due = []
                if self._alarm is not None and self._alarm[0] <= now:
                    due.append(("alarm", self._alarm[1]))
                    self._alarm = None
                for source, periodic in self._periodic.items():
                    while periodic[1] <= now:
                        periodic[2] += 1
                        due.append((source, periodic[2]))
                        periodic[1] += periodic[0]
                for source, value in due:
                    _post(source, value)
                deadlines = [t[1] for t in self._periodic.values()]
                if self._alarm is not None:
                    deadlines.append(self._alarm[0])
                wait = (min(deadlines) - now) / 1e9 if deadlines else None
                self._cond.wait(wait)


_clock = _Clock()


def alarm(t_us):
    if t_us is None:
        _clock.set_alarm(None, None)
        return
    if not 0 <= t_us < TICKS_PERIOD:
        raise ValueError("alarm tick must be in 0..%d, got %r" % (TICKS_PERIOD - 1, t_us))
    delta = ticks_diff(t_us, ticks_us())
    _clock.set_alarm(time.monotonic_ns() + max(delta, 0) * 1000, t_us)


# UARTs ----------------------------------------------------------------

class _Uart:
    """One end of the wire: non-blocking write, RX ring filled by a thread."""

    def __init__(self, n, sock):
        self._n = n
        self._sock = sock
        self._rx = bytearray()
        self._rx_lock = threading.Lock()
        self._room = threading.Event()  # set while the RX ring has room
        self._room.set()
        self._wake_lost = False  # the last burst's event was dropped
        self._reader = threading.Thread(target=self._read_loop, name="libos-uart%d" % n,
                                        daemon=True)
        self._reader.start()

    def __repr__(self):
        return "<uart %d>" % self._n

    def write(self, data):
        """Queue `data` for sending; return how many bytes were taken."""
        try:
            return self._sock.send(data)
        except BlockingIOError:
            return 0

    def read(self, n):
        """Up to `n` buffered bytes; b'' if none are waiting."""
        _not_negative(n, "read count")
        with self._rx_lock:
            data = bytes(self._rx[:n])
            del self._rx[:n]
            self._room.set()
        return data

    def any(self):
        """Bytes buffered."""
        return len(self._rx)

    def overruns(self):
        """Bytes lost because the RX ring was full: none here, the socket
        holds back what does not fit."""
        return 0

    def _read_loop(self):
        source = "uart%d" % self._n
        while True:
            self._room.wait()
            try:
                select.select([self._sock], [], [])
                with self._rx_lock:
                    room = UART_RX_RING - len(self._rx)
                    data = self._sock.recv(room) if room else b""
                    was_empty = not self._rx
                    self._rx += data
                    if len(self._rx) >= UART_RX_RING:
                        self._room.clear()
            except BlockingIOError:
                continue
            except OSError:
                return
            if room and not data:
                return  # the other end is closed
            if data and (was_empty or self._wake_lost):
                # As the device: a burst's event that met a full ring is
                # posted with the next data, not lost.
                self._wake_lost = not _post(source, len(data))


_uarts = {}
_uart_lock = threading.Lock()


def uart(n):
    if n not in (1, 2):
        raise ValueError("this board has no UART %r (it has 1 and 2)" % (n,))
    with _uart_lock:
        if not _uarts:
            one, two = socket.socketpair()
            one.setblocking(False)
            two.setblocking(False)
            _uarts[1] = _Uart(1, one)
            _uarts[2] = _Uart(2, two)
        return _uarts[n]


# Streams ----------------------------------------------------------------
# The table is shared by the caller's thread and the watcher thread, under
# _streams_lock. The watcher polls the armed streams (level-triggered) and
# posts. What changes the set it watches (a call that re-arms, a new or a
# closed stream, a short write) makes a look due: the watcher takes the new
# set when events(), idle() or claim('stream') asks, as the posix board looks
# at re-armed streams then, so that an owner reading in a loop gets one
# event after its loop, not one per read.

STREAMS = 32           # ids 0 .. STREAMS - 1, as the posix board's table
LISTEN_BACKLOG = 16    # connections the host queues before an accept
READ_MAX = 1 << 20     # bytes one stream_read takes at most (its buffer)

_streams = [None] * STREAMS
_streams_lock = threading.Lock()
_watcher = None
# The watcher's set is stale, or an armed stream has a change that could not
# be posted (ring full, source unclaimed): it watches nothing (it would spin)
# until events(), idle() or claim('stream') asks it to look again.
_look_due = False


class _Stream:
    __slots__ = ("sock", "state", "port", "armed", "news", "wants_room")

    def __init__(self, sock, state):
        self.sock = sock          # None once the stream has ended
        self.state = state        # 'listening', 'connecting', 'open' or 'closed'
        self.port = sock.getsockname()[1]
        self.armed = True         # may post
        self.news = False         # a change no poll shows (a connect done at once, an end a write found)
        self.wants_room = False   # a write was short: room to write is a change


def _stream(id, call=None):
    if type(id) is not int:
        raise TypeError("a stream id is an int, not %s" % type(id).__name__)
    s = _streams[id] if 0 <= id < STREAMS else None
    if s is None:
        raise ValueError("no stream %d: it was never opened, or it was closed" % id)
    if call is not None and s.state == "listening":
        raise ValueError("%s: stream %d is listening: accept its connections and use those"
                         % (call, id))
    return s


def _port(port, lowest):
    if type(port) is not int:
        raise TypeError("port must be an int, not %s" % type(port).__name__)
    if not lowest <= port <= 65535:
        raise ValueError("port must be between %d and 65535, not %d" % (lowest, port))
    return port


def _host(host):
    if not isinstance(host, str):
        raise TypeError("host must be a str such as '127.0.0.1', not %s" % type(host).__name__)
    address = "127.0.0.1" if host == "localhost" else host
    try:
        socket.inet_pton(socket.AF_INET, address)
    except OSError:
        raise ValueError("host must be an IPv4 address such as 127.0.0.1 (or localhost), not %r"
                         % host) from None
    return address


def _free_id(call):
    for id, s in enumerate(_streams):
        if s is None:
            return id
    raise OSError("%s: the stream table is full (%d streams open)" % (call, STREAMS))


def _take(id, sock, state):
    global _watcher, _look_due
    sock.setblocking(False)
    if state != "listening":
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s = _streams[id] = _Stream(sock, state)
    if _watcher is None:
        _watcher = _Watcher()
        _watcher.start()
    _look_due = True
    return s


def _end(s):
    s.sock.close()
    s.sock = None
    s.state = "closed"


def _finish_connect(s):
    if s.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
        _end(s)
    else:
        s.state = "open"


def _post_stream(id, s):
    global _look_due
    if _post("stream", id):
        s.armed = s.news = False
    else:
        _look_due = True


def _tell(id, s):
    """A change the socket cannot show later: posted now, or once possible."""
    s.news = True
    if s.armed:
        _post_stream(id, s)


def _rearm(s):
    global _look_due
    if not s.armed:
        s.armed = True
        _look_due = True


def _settle(id, s):
    """A connect that finished is seen by whichever call looks first."""
    if s.state == "connecting" and _ready(s.sock, select.POLLOUT):
        _finish_connect(s)
        _tell(id, s)


def _ready(sock, events):
    poller = select.poll()
    poller.register(sock, events)
    return bool(poller.poll(0))


def _interest(s):
    if s.state == "listening":
        return select.POLLIN
    if s.state == "connecting":
        return select.POLLOUT
    return select.POLLIN | (select.POLLOUT if s.wants_room else 0)


def _look_again():
    global _look_due
    if "stream" in _claimed:
        with _streams_lock:
            _look_due = False
            _watcher.wake()


class _Watcher(threading.Thread):
    """Polls the armed streams and posts ('stream', id) for those with a change."""

    def __init__(self):
        super().__init__(name="libos-streams", daemon=True)
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)

    def wake(self):
        try:
            self._wake_w.send(b"\0")
        except BlockingIOError:
            pass  # a wake-up is already waiting

    def run(self):
        while True:
            poller = select.poll()
            poller.register(self._wake_r, select.POLLIN)
            watched = {}
            with _streams_lock:
                for id, s in enumerate(_streams):
                    if _look_due or s is None or not s.armed:
                        continue
                    if s.news:
                        _post_stream(id, s)
                    elif s.sock is not None:
                        watched[s.sock.fileno()] = (id, s)
                        poller.register(s.sock, _interest(s))
            ready = poller.poll()
            self._drain()
            with _streams_lock:
                for fd, _ in ready:
                    id, s = watched.get(fd, (None, None))
                    # Closed, or re-made on the same descriptor, meanwhile.
                    if s is None or _streams[id] is not s or not s.armed or s.sock is None:
                        continue
                    if s.state == "connecting":
                        _finish_connect(s)
                    _post_stream(id, s)

    def _drain(self):
        try:
            while self._wake_r.recv(4096):
                pass
        except BlockingIOError:
            pass


def stream_listen(port, host="127.0.0.1"):
    _port(port, 0)
    address = _host(host)
    with _streams_lock:
        id = _free_id("stream_listen")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((address, port))
            sock.listen(LISTEN_BACKLOG)
        except OSError as error:
            sock.close()
            raise OSError(error.errno, "stream_listen: " + error.strerror) from None
        _take(id, sock, "listening")
        return id


def stream_connect(host, port):
    address = _host(host)
    _port(port, 1)
    with _streams_lock:
        id = _free_id("stream_connect")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        result = sock.connect_ex((address, port))
        s = _take(id, sock, "connecting")
        if result != errno.EINPROGRESS:
            if result:
                _end(s)
            else:
                s.state = "open"
            _tell(id, s)
        return id


def stream_accept(id):
    with _streams_lock:
        s = _stream(id)
        if s.state != "listening":
            raise ValueError("stream_accept: stream %d is %s, not listening" % (id, s.state))
        _rearm(s)
        if None not in _streams and not _ready(s.sock, select.POLLIN):
            return None
        new_id = _free_id("stream_accept")  # a waiting connection stays queued
        try:
            sock, _ = s.sock.accept()
        except (BlockingIOError, ConnectionAbortedError):
            return None  # a connection reset before we took it was never there
        _take(new_id, sock, "open")
        return new_id


def stream_read(id, max_bytes):
    if type(max_bytes) is not int:
        raise TypeError("max_bytes must be an int, not %s" % type(max_bytes).__name__)
    with _streams_lock:
        s = _stream(id, "stream_read")
        if max_bytes <= 0:
            raise ValueError("max_bytes must be positive, not %d" % max_bytes)
        _settle(id, s)
        _rearm(s)
        if s.state != "open":
            return None if s.state == "closed" else b""
        try:
            data = s.sock.recv(min(max_bytes, READ_MAX))
        except BlockingIOError:
            return b""
        except OSError:
            data = b""
        if not data:
            _end(s)  # the owner learns it from this call: no event
            return None
        return data


def stream_write(id, data):
    global _look_due
    size = memoryview(data).nbytes
    with _streams_lock:
        s = _stream(id, "stream_write")
        _settle(id, s)
        _rearm(s)
        took = 0
        if s.state == "open":
            try:
                took = s.sock.send(data, socket.MSG_NOSIGNAL)
            except BlockingIOError:
                pass
            except OSError:
                _end(s)
                _tell(id, s)  # an owner waiting for room would wait for ever
        wants_room = s.state != "closed" and took < size
        if wants_room != s.wants_room:
            s.wants_room = wants_room
            _look_due = True
        return took


def stream_status(id):
    with _streams_lock:
        s = _stream(id)
        _settle(id, s)
        return s.state


def stream_port(id):
    return _stream(id).port


def stream_close(id):
    global _look_due
    with _streams_lock:
        s = _stream(id)
        if s.sock is not None:
            s.sock.close()
        _streams[id] = None
        _look_due = True


# Memory ---------------------------------------------------------------

def _physical_memory():
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return 0


def mem():
    total = _physical_memory()
    try:
        with open("/proc/self/statm") as f:
            used = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        used = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    free = max(total - used, 0)
    stack = resource.getrlimit(resource.RLIMIT_STACK)[0]
    return {"heap_total": total, "heap_used": used, "heap_free": free,
            "largest_free": free, "stack_peak": 0,
            "stack_size": stack if stack != resource.RLIM_INFINITY else 0}


# Slice budget ---------------------------------------------------------
# The budget counts ticks of process CPU time (SIGPROF from ITIMER_PROF,
# every BUDGET_TICK_US of CPU used; none while the process sleeps), so that
# on a busy host a slice is not cut for the time it waited for a CPU.
# Arming is then two stores, no system call.

BUDGET_TICK_US = 2000
_MAIN_THREAD = threading.main_thread().ident
_get_ident = threading.get_ident
_cpu_ticks = 0        # ticks of CPU time since the first budget()
_due = None           # the tick at which the armed budget runs out; None: disarmed
_ran_out = False      # the armed budget ran out (budget(0) reports it)
_armed_in = None      # the frame that armed the budget sparing itself, or None
_ticking = False      # the CPU-time ticks are running (started by the first budget())


def budget(us, spare_caller=False):
    global _due, _ran_out, _armed_in
    _not_negative(us, "budget")
    if us == 0:
        _due = _armed_in = None
        ran_out = _ran_out
        _ran_out = False
        return ran_out
    if _get_ident() != _MAIN_THREAD:
        raise RuntimeError("budget works in the main thread only (it uses SIGPROF)")
    if not _ticking:
        _start_ticking()
    _ran_out = False
    _armed_in = sys._getframe(1) if spare_caller else None
    _due = _cpu_ticks + (us + BUDGET_TICK_US - 1) // BUDGET_TICK_US + 1
    return None


def _start_ticking():
    global _ticking
    signal.signal(signal.SIGPROF, _on_cpu_tick)
    tick = BUDGET_TICK_US / 1e6
    signal.setitimer(signal.ITIMER_PROF, tick, tick)
    # A tick after Python has dropped its handlers would end the process.
    atexit.register(signal.setitimer, signal.ITIMER_PROF, 0)
    _ticking = True


def _on_cpu_tick(signum, frame):
    global _cpu_ticks, _due, _ran_out
    _cpu_ticks += 1
    if _due is not None and _cpu_ticks >= _due and (
            _armed_in is None or frame is not _armed_in and frame.f_code is not _BUDGET_CODE):
        _due = _cpu_ticks + REPEAT_US // BUDGET_TICK_US
        _ran_out = True
        raise SliceExpired()


_BUDGET_CODE = budget.__code__


# Watchdog, reset --------------------------------------------------------

_wdt = None  # [timeout s, threading.Timer]


def wdt_start(timeout_ms):
    global _wdt
    if timeout_ms <= 0:
        raise ValueError("watchdog timeout must be positive, got %r" % (timeout_ms,))
    if _wdt is None:
        _wdt = [timeout_ms / 1000, None]
        wdt_feed()


def wdt_feed():
    if _wdt is None:
        return
    if _wdt[1] is not None:
        _wdt[1].cancel()
    timer = threading.Timer(_wdt[0], _watchdog_expired)
    timer.daemon = True
    _wdt[1] = timer
    timer.start()


def _watchdog_expired():
    _record("watchdog", "")
    _flush()
    os._exit(WATCHDOG_STATUS)


def _record_path():
    return os.environ.get("LIBOS_RESET_RECORD") or os.path.join(
        tempfile.gettempdir(), "libos-reset-%d.record" % os.getuid())


def _record(cause, reason):
    with open(_record_path(), "w") as f:
        f.write(cause + "\n" + reason)


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


def reset(reason):
    if not isinstance(reason, str):
        raise TypeError("reset reason must be a str, got %r" % (reason,))
    size = len(reason.encode())
    if size > REASON_MAX:
        raise ValueError("reset reason is %d bytes; at most %d fit the record" % (size, REASON_MAX))
    _record("software", reason)
    _flush()
    os._exit(RESET_STATUS)


def reset_cause():
    path = _record_path()
    try:
        with open(path) as f:
            cause, _, reason = f.read().partition("\n")
        os.remove(path)
    except OSError:
        return ("power", None)
    if cause in ("software", "fault"):
        return (cause, reason)
    if cause == "watchdog":
        return ("watchdog", None)
    return ("power", None)


def _record_fault(kind, value, tb):
    if issubclass(kind, KeyboardInterrupt):  # an operator's Ctrl-C is no fault
        return _previous_excepthook(kind, value, tb)
    try:
        text = "%s: %s" % (kind.__name__, value)
        _record("fault", text.encode()[:REASON_MAX].decode("utf-8", "ignore"))
    except OSError:
        pass
    _previous_excepthook(kind, value, tb)


_previous_excepthook = sys.excepthook
sys.excepthook = _record_fault
