"""The scheduler feeds the watchdog while its guard lives (watchdog.py, an
activation of the loop; boot.py starts it for the root supervisor)."""
import runtime
from runtime.scheduler import SCHEDULER
from runtime.watchdog import Watchdog


def watchdogs():
    return [a for a in SCHEDULER.activations if isinstance(a, Watchdog)]


async def guard():
    await runtime.receive()


async def ticker():
    await runtime.sleep(60000)


def test_fed_every_step_while_the_guard_lives_and_never_after():
    feeds = []
    pid = runtime.spawn(guard)
    SCHEDULER.watchdog(pid, lambda: feeds.append(1), 1000)
    try:
        assert runtime.step() == 1000  # nothing due: the wait is capped
        t = runtime.spawn(ticker)
        runtime.step()
        assert runtime.step() == 1000  # a timer a minute away: capped too
        assert len(feeds) == 3
        runtime.exit(pid, "kill")
        runtime.step()
        wait = runtime.step()
        assert wait > 1000 and len(feeds) == 3  # the guard is dead: not fed, not capped
        assert watchdogs() == []  # removed for good
        runtime.exit(t, "kill")
        runtime.step()
    finally:
        for w in watchdogs():
            SCHEDULER.activations.remove(w)
    assert runtime.processes() == []


def test_a_dead_guard_is_refused():
    async def short():
        pass

    pid = runtime.spawn(short)
    runtime.step()
    try:
        SCHEDULER.watchdog(pid, None, 1000)
    except ValueError as e:
        assert "not alive" in str(e)
    else:
        raise AssertionError("no error")
