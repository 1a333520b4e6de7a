"""The timer heap: order, cancelling, compaction, and a clock that wraps and
is rebased."""
import random

from runtime import timers
from runtime.timers import DEADLINE, KIND, RECEIVE, SEND, Timers

PERIOD = 1 << 30


class FakeClock:
    """Wrapping ticks, as libos gives them, moved by hand."""

    def __init__(self, start=0):
        self.t = start

    def ticks_us(self):
        return self.t % PERIOD

    @staticmethod
    def ticks_diff(a, b):
        return ((a - b + PERIOD // 2) % PERIOD) - PERIOD // 2

    def advance(self, us):
        self.t += us


def make(start=0):
    clock = FakeClock(start)
    return clock, Timers(clock.ticks_us, clock.ticks_diff)


def drain(t, now):
    fired = []
    entry = t.pop_due(now)
    while entry is not None:
        fired.append(entry)
        entry = t.pop_due(now)
    return fired


def test_entries_fire_by_deadline_then_in_the_order_they_were_set():
    clock, t = make()
    rng = random.Random(4)
    delays = [rng.randrange(50) * 10 for _ in range(300)]
    for i, delay in enumerate(delays):
        t.add(delay, SEND, "dest", i)
    now = t.merge()
    clock.advance(1000)
    fired = drain(t, t.merge())
    got = [e[4] for e in fired]
    assert got == sorted(range(len(delays)), key=lambda i: (delays[i], i))
    assert now == 0 and not t.heap


def test_only_due_entries_fire():
    clock, t = make()
    t.add(100, SEND, "a", 1)
    t.add(300, SEND, "b", 2)
    clock.advance(150)
    assert [e[4] for e in drain(t, t.merge())] == [1]
    assert t.next_deadline() == 300


def test_cancel_returns_the_time_left_once_and_skips_the_entry():
    clock, t = make()
    e = t.add(1000, RECEIVE, "p")
    t.merge()
    clock.advance(400)
    assert t.cancel(e) == 600
    assert t.cancel(e) is None
    clock.advance(1000)
    assert drain(t, t.merge()) == []
    assert t.cancelled == 0  # counted out as it left the heap


def test_cancelled_entries_are_compacted_away_when_they_fill_half_the_heap():
    clock, t = make()
    entries = [t.add(1000 + i, SEND, "d", i) for i in range(40)]
    t.merge()
    for e in entries[:30]:
        t.drop(e)
    t.merge()
    assert len(t.heap) == 10 and t.cancelled == 0
    clock.advance(5000)
    assert [e[4] for e in drain(t, t.merge())] == list(range(30, 40))


def test_entries_cancelled_before_the_merge_never_enter_the_heap():
    clock, t = make()
    e = t.add(10, SEND, "d", 1)
    t.drop(e)
    t.merge()
    assert t.heap == [] and t.cancelled == 0


def test_time_keeps_growing_across_a_wrap_of_the_ticks():
    clock, t = make(start=PERIOD - 500)
    e = t.add(2000, SEND, "d", 1)
    t.merge()
    clock.advance(1000)  # the ticks wrap here
    assert t.now() == 1000
    assert drain(t, t.merge()) == []
    clock.advance(1000)
    assert drain(t, t.merge()) == [e]


def test_the_base_moves_before_time_leaves_small_ints():
    clock, t = make()
    far = t.add(timers.REBASE_AT + 5000, SEND, "d", "far")
    near = t.add(timers.REBASE_AT + 10, SEND, "d", "near")
    t.merge()
    clock.advance(timers.REBASE_AT)
    now = t.merge()
    assert now == 0 and t.elapsed == 0
    assert near[DEADLINE] == 10 and far[DEADLINE] == 5000
    clock.advance(10)
    assert [e[4] for e in drain(t, t.merge())] == ["near"]
    left = t.cancel(far)
    assert left == 4990 and far[KIND] is None
