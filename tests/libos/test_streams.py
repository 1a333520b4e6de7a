"""The libos stream service (TCP over the host's sockets), alike on the hosts:
CPython, the posix board, and the posix board under the sanitizers. The
boards have no streams at all.

Each program waits as the runtime would: it calls, and when the call had
nothing for it, waits in libos.idle() for a ('stream', id) event. A lost
wake-up therefore ends in 'no event for streams ...', not in a slow pass.
"""
import socket
import threading
import time

import pytest

HOSTS = ["cpython", "posix", "posix-sanitize"]
on_hosts = pytest.mark.parametrize("board", HOSTS, indirect=True)

# Waiting for events as the runtime does; pair() makes a connected pair.
PRELUDE = """\
import libos
libos.claim('stream')
seen = []

def wait_for(*ids, ms=10000):
    start = libos.ticks_ms()
    while True:
        seen.extend(v for s, v in libos.events() if s == 'stream')
        hit = [v for v in seen if v in ids]
        if hit:
            for v in hit:
                seen.remove(v)
            return hit
        if libos.ticks_diff(libos.ticks_ms(), start) > ms:
            raise RuntimeError('no event for streams %r' % (ids,))
        libos.idle(50000)

def until(id, check, ms=10000):
    while True:
        result = check()
        if result is not None and result is not False and result != b'':
            return result
        wait_for(id, ms=ms)

def count_events(id, ms):
    start = libos.ticks_ms()
    count = 0
    while libos.ticks_diff(libos.ticks_ms(), start) < ms:
        libos.idle(10000)
        count += sum(1 for s, v in libos.events() if s == 'stream' and v == id)
    return count

def pair():
    l = libos.stream_listen(0)
    c = libos.stream_connect('127.0.0.1', libos.stream_port(l))
    a = until(l, lambda: libos.stream_accept(l))
    until(c, lambda: libos.stream_status(c) != 'connecting')
    count_events(c, 50)  # what the making posted is no news to the test
    seen.clear()
    return l, c, a

def read_exactly(id, n):
    data = b''
    while len(data) < n:
        data += until(id, lambda: libos.stream_read(id, n - len(data)))
    return data

def read_some(id):
    data = libos.stream_read(id, 4096)
    return 'end' if data is None else data
"""


@on_hosts
def test_a_program_connects_to_itself_and_talks_both_ways(board):
    output = board.run(PRELUDE + """
l = libos.stream_listen(0)
port = libos.stream_port(l)
c = libos.stream_connect('localhost', port)
a = until(l, lambda: libos.stream_accept(l))
until(c, lambda: libos.stream_status(c) != 'connecting')
print(libos.stream_status(l), libos.stream_status(c), libos.stream_status(a))
print(0 < port < 65536, libos.stream_port(a) == port, libos.stream_port(c) not in (0, port))
print(libos.stream_accept(l), libos.stream_read(a, 100))
print(libos.stream_write(c, b'ping'), read_exactly(a, 4))
print(libos.stream_write(a, b'pong!'), read_exactly(c, 5))
""")
    assert output == ("listening open open\n"
                      "True True True\n"
                      "None b''\n"
                      "4 b'ping'\n"
                      "5 b'pong!'\n")


@on_hosts
def test_megabytes_go_through_short_writes_and_room_to_write_wakes_the_writer(board):
    # 16 MiB: this host's TCP buffers take 4 MiB before a write comes up
    # short. Neither end holds more than a chunk (the posix heap is 2 MiB).
    # Period 251 (prime) against 64 KiB chunks: a lost, doubled or
    # misplaced chunk shows.
    output = board.run(PRELUDE + """
l, c, a = pair()
pattern = bytes(range(251)) * 300
total = 16 << 20
sent = got = shorts = writer_events = 0
intact = True

def drain():
    global got, intact
    while True:
        chunk = libos.stream_read(a, 65536)
        if not chunk:
            return
        intact = intact and chunk == pattern[got % 251:got % 251 + len(chunk)]
        got += len(chunk)

while sent < total:
    n = min(65536, total - sent)
    took = libos.stream_write(c, pattern[sent % 251:sent % 251 + n])
    sent += took
    if took < n:
        # The writer waits for room; the reader reads what arrives meanwhile.
        shorts += 1
        while True:
            drain()
            if c in wait_for(a, c):
                writer_events += 1
                break
while got < total:
    drain()
    if got < total:
        wait_for(a)
print(sent, got, intact, shorts > 0, writer_events == shorts, libos.dropped())
""", timeout=300)
    assert output == "16777216 16777216 True True True 0\n"


@on_hosts
def test_a_peer_that_closes_ends_the_stream_for_reads_and_writes(board):
    output = board.run(PRELUDE + """
l, c, a = pair()
libos.stream_write(c, b'last words')
libos.stream_close(c)
print(read_exactly(a, 10))
print(until(a, lambda: libos.stream_read(a, 100) is None), libos.stream_status(a), libos.stream_read(a, 5))
libos.stream_close(a)

l2, c2, a2 = pair()
libos.stream_close(c2)
wait_for(a2)
# The first write is taken (the peer answers it with a reset); a later one
# finds the reset, takes nothing and ends the stream, with an event.
writes = []
while libos.stream_status(a2) == 'open' and len(writes) < 20:
    writes.append(libos.stream_write(a2, b'x'))
    if libos.stream_status(a2) == 'open':
        wait_for(a2)
print(writes[0], writes[-1], libos.stream_status(a2), wait_for(a2) == [a2], libos.stream_read(a2, 5))
print(libos.stream_write(a2, b'z'), libos.stream_port(a2) == libos.stream_port(l2))
""")
    assert output == ("b'last words'\n"
                      "True closed None\n"
                      "1 0 closed True None\n"
                      "0 True\n")


@on_hosts
def test_a_refused_connect_ends_closed(board):
    output = board.run(PRELUDE + """
l = libos.stream_listen(0)
port = libos.stream_port(l)
libos.stream_close(l)
c = libos.stream_connect('127.0.0.1', port)
until(c, lambda: libos.stream_status(c) != 'connecting')
print(libos.stream_status(c), libos.stream_read(c, 10), libos.stream_write(c, b'lost'))
""")
    assert output == "closed None 0\n"


@on_hosts
def test_unread_data_posts_one_event_and_each_call_rearms_once(board):
    output = board.run(PRELUDE + """
l, c, a = pair()
count_events(a, 100)
libos.stream_write(c, b'abc')
print(count_events(a, 300))    # one event, however long the data waits
libos.stream_write(c, b'def')
print(count_events(a, 200))    # more data for a stream nobody looked at: none
print(libos.stream_read(a, 1), count_events(a, 200))    # re-armed with data left: one
print(libos.stream_read(a, 100), libos.stream_read(a, 100), count_events(a, 200))
""")
    assert output == "1\n0\nb'a' 1\nb'bcdef' b'' 0\n"


@on_hosts
def test_a_busy_program_sees_stream_events_between_steps(board):
    # No idle: events() between steps is all a busy runtime calls.
    output = board.run(PRELUDE + """
l, c, a = pair()
def busy_events(id, ms):
    start = libos.ticks_ms()
    count = 0
    while libos.ticks_diff(libos.ticks_ms(), start) < ms:
        for i in range(100):
            pass
        count += sum(1 for s, v in libos.events() if s == 'stream' and v == id)
    return count
libos.stream_write(c, b'while busy')
print(busy_events(a, 300))
print(libos.stream_read(a, 5), busy_events(a, 300))
print(libos.stream_read(a, 100), busy_events(a, 300))
""")
    assert output == "1\nb'while' 1\nb' busy' 0\n"


@on_hosts
def test_unclaimed_streams_post_nothing_until_claimed(board):
    output = board.run(PRELUDE + """
l, c, a = pair()
count_events(a, 100)
libos.release('stream')
libos.stream_write(c, b'while nobody listens')
libos.idle(100000)
print(libos.events())
libos.claim('stream')
print(wait_for(a) == [a], libos.stream_read(a, 100))
""")
    assert output == "()\nTrue b'while nobody listens'\n"


@on_hosts
def test_a_wake_up_that_finds_the_ring_full_comes_later(board):
    output = board.run(PRELUDE + """
l, c, a = pair()
count_events(a, 100)
libos.claim('timer0')
before = libos.dropped()
libos.timer(0, 1000)
start = libos.ticks_ms()
while libos.ticks_diff(libos.ticks_ms(), start) < 200:
    pass
libos.stream_write(c, b'into a full ring')
start = libos.ticks_ms()
while libos.ticks_diff(libos.ticks_ms(), start) < 100:
    pass
libos.timer(0, 0)
libos.release('timer0')
print(libos.dropped() > before)
# Busy, as a runtime with work to do: only events() between steps.
start = libos.ticks_ms()
got = False
while not got and libos.ticks_diff(libos.ticks_ms(), start) < 2000:
    got = ('stream', a) in libos.events()
print(got, libos.stream_read(a, 100))
""")
    assert output == "True\nTrue b'into a full ring'\n"


@on_hosts
def test_ids_are_small_reused_after_close_and_the_table_has_a_limit(board):
    output = board.run(PRELUDE + """
ids = [libos.stream_listen(0) for i in range(4)]
libos.stream_close(ids[1])
print(ids, libos.stream_listen(0))
more = []
try:
    while len(more) < 100:
        more.append(libos.stream_listen(0))
except OSError as error:
    print(len(ids) + len(more), 'stream table is full' in str(error))
libos.stream_close(more[-1])
print(libos.stream_listen(0) == more[-1])
""")
    assert output == "[0, 1, 2, 3] 1\n32 True\nTrue\n"


@on_hosts
def test_bad_arguments_get_clear_errors(board):
    output = board.run(PRELUDE + """
l, c, a = pair()
def check(call, kind, words):
    try:
        call()
        print('no error for', words)
    except Exception as error:
        print(type(error).__name__ == kind and words in str(error) or (kind, words, error))
check(lambda: libos.stream_read(99, 10), 'ValueError', '99')
check(lambda: libos.stream_status(-1), 'ValueError', '-1')
check(lambda: libos.stream_port(32), 'ValueError', '32')
check(lambda: libos.stream_listen(-1), 'ValueError', '-1')
check(lambda: libos.stream_listen(65536), 'ValueError', '65536')
check(lambda: libos.stream_connect('127.0.0.1', 0), 'ValueError', 'port')
check(lambda: libos.stream_connect('example.com', 80), 'ValueError', 'example.com')
check(lambda: libos.stream_connect('1.2.3', 80), 'ValueError', '1.2.3')
check(lambda: libos.stream_listen(0, host='::1'), 'ValueError', '::1')
check(lambda: libos.stream_connect(127, 80), 'TypeError', 'host')
check(lambda: libos.stream_read(c, 0), 'ValueError', 'max_bytes')
check(lambda: libos.stream_read(c, -5), 'ValueError', '-5')
check(lambda: libos.stream_accept(c), 'ValueError', 'not listening')
check(lambda: libos.stream_read(l, 10), 'ValueError', 'listening')
check(lambda: libos.stream_write(l, b'x'), 'ValueError', 'listening')
check(lambda: libos.stream_write(c, 'text'), 'TypeError', '')
check(lambda: libos.stream_listen(libos.stream_port(l)), 'OSError', 'stream_listen')
try:
    libos.stream_listen(libos.stream_port(l))
except OSError as error:
    print(error.errno)
libos.stream_close(c)
check(lambda: libos.stream_close(c), 'ValueError', str(c))
print(libos.stream_status(a) in ('open', 'closed'), libos.stream_status(l))
""")
    assert output == "True\n" * 17 + "98\n" + "True\n" + "True listening\n"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_in_background(board, code):
    result = {}

    def run():
        try:
            result["output"] = board.run(code, timeout=60)
        except BaseException as error:  # reported by the test's thread
            result["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def _finished(thread, result):
    thread.join(90)
    assert not thread.is_alive(), "the target did not finish"
    if "error" in result:
        raise result["error"]
    return result["output"]


@on_hosts
def test_an_outside_peer_talks_to_a_listening_target(board):
    port = _free_port()
    # The target echoes each message upper-cased until the peer closes.
    thread, result = _run_in_background(board, PRELUDE + """
l = libos.stream_listen(%d, host='127.0.0.1')
a = until(l, lambda: libos.stream_accept(l), ms=30000)
received = 0
while True:
    data = until(a, lambda: read_some(a), ms=30000)
    if data == 'end':
        break
    received += len(data)
    data = data.upper()
    while data:
        took = libos.stream_write(a, data)
        data = data[took:]
        if data:
            wait_for(a)
print('echoed', received, libos.stream_status(a))
""" % port)
    deadline = time.monotonic() + 30
    while True:
        try:
            peer = socket.create_connection(("127.0.0.1", port), timeout=10)
            break
        except ConnectionRefusedError:
            assert time.monotonic() < deadline, "the target never listened"
            time.sleep(0.05)
    with peer:
        answers = []
        for message in (b"hello", b"from outside", b"x" * 3000):
            peer.sendall(message)
            answer = b""
            while len(answer) < len(message):
                answer += peer.recv(65536)
            answers.append(answer)
    assert answers == [b"HELLO", b"FROM OUTSIDE", b"X" * 3000]
    assert _finished(thread, result) == "echoed 3017 closed\n"


@on_hosts
def test_a_target_connects_to_an_outside_listener(board):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(30)
        port = listener.getsockname()[1]
        thread, result = _run_in_background(board, PRELUDE + """
c = libos.stream_connect('127.0.0.1', %d)
until(c, lambda: libos.stream_status(c) != 'connecting')
print(libos.stream_status(c), libos.stream_write(c, b'hello, outside'))
print(read_exactly(c, 13))
print(until(c, lambda: libos.stream_read(c, 100) is None), libos.stream_status(c))
""" % port)
        peer, _ = listener.accept()
        with peer:
            peer.settimeout(30)
            assert peer.recv(100) == b"hello, outside"
            peer.sendall(b"hello, target")
    assert _finished(thread, result) == "open 14\nb'hello, target'\nTrue closed\n"


@pytest.mark.parametrize("board", ["mps2-an385", "netduinoplus2"], indirect=True)
def test_boards_have_no_streams(board):
    output = board.run("import libos\n"
                       "print(hasattr(libos, 'stream_listen'), 'stream' in libos.sources())\n")
    assert output == "False False\n"
