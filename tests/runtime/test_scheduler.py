"""Scheduler corners the scenarios cannot provoke on demand: a slice cut in
the middle of a wake-up, foreign awaits, re-entry, escapes."""
import libos
import pytest

import runtime
from runtime import api, logger
from runtime.process import RUNNABLE
from runtime.scheduler import SCHEDULER


@pytest.fixture(autouse=True)
def quiet():
    previous = logger.set_level("none")
    yield
    logger.set_level(previous)
    assert runtime.processes() == []  # every run leaves the runtime clean


def test_a_cut_between_the_stores_of_a_wake_up_is_repaired(monkeypatch):
    # The sender's slice is cut after the receiver was marked runnable but
    # before it was queued: without resync the receiver would wait forever.
    def cut_short(s, p, message):
        p.result = message
        p.status = RUNNABLE
        raise libos.SliceExpired()

    async def receiver(out):
        runtime.send(out, ("got", await runtime.receive()))

    async def sender(dest):
        runtime.send(dest, "hello")

    async def main():
        me = runtime.self_pid()
        r = runtime.spawn(receiver, me)
        await runtime.sleep(1)
        monkeypatch.setattr(api, "deliver", cut_short)
        s, ref = runtime.spawn_monitor(sender, r)
        down = await runtime.receive(("DOWN", ref, "process", s, runtime.ANY))
        monkeypatch.undo()
        return down[4], await runtime.receive(("got", runtime.ANY), timeout=1000)

    result = []

    async def outer():
        result.append(await main())

    runtime.run(outer)
    assert result == [(("slice_exceeded", 100), ("got", "hello"))]


def test_awaiting_something_that_is_not_a_trap_raises_typeerror_in_the_process():
    class Foreign:
        def __await__(self):
            yield "not a trap"

    async def catches():
        try:
            await Foreign()
        except TypeError as e:
            return "not a runtime trap" in str(e) or str(e)

    async def main():
        pid, ref = runtime.spawn_monitor(catches)
        await runtime.receive(("DOWN", ref, runtime.ANY, runtime.ANY, runtime.ANY))
        await Foreign()

    reason = runtime.run(main)
    assert isinstance(reason, TypeError) and "only the runtime's traps" in str(reason)


def test_unknown_trap_names_list_the_known_ones():
    with pytest.raises(TypeError) as info:
        SCHEDULER.trap("nap")
    assert "receive" in str(info.value) and "sleep" in str(info.value)


def test_run_and_step_cannot_be_entered_from_a_process():
    async def main():
        errors = []
        for call in (runtime.step, lambda: runtime.run(main)):
            try:
                call()
            except RuntimeError as e:
                errors.append(str(e))
        return errors

    result = []

    async def outer():
        result.extend(await main())

    runtime.run(outer)
    assert len(result) == 2 and "re-entrant" in result[0]


def test_keyboard_interrupt_in_a_process_escapes_run_and_leaves_it_clean():
    async def bystander():
        await runtime.receive()

    async def main():
        runtime.spawn(bystander)
        await runtime.sleep(1)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        runtime.run(main)
    assert runtime.run(bystander_free) == "normal"


async def bystander_free():
    pass


def test_a_runaway_that_swallows_the_exit_in_finally_still_ends():
    async def runaway():
        try:
            while True:
                pass
        finally:
            try:
                await runtime.sleep(1)
            except runtime.ProcessExit:
                pass

    async def main():
        pid, ref = runtime.spawn_monitor(runaway)
        return (await runtime.receive(("DOWN", ref, runtime.ANY, runtime.ANY, runtime.ANY)))[4]

    result = []

    async def outer():
        result.append(await main())

    runtime.run(outer, slice_ms=20)
    assert result == [("slice_exceeded", 20)]


def test_a_spawn_that_runs_out_of_memory_half_way_leaves_no_process(monkeypatch):
    # The heap can run out at any store of a spawn; the last one is the
    # monitor. The caller gets the MemoryError; no half-made process stays
    # behind (run() would otherwise wait forever to shut it down).
    from runtime import monitors

    def out_of_memory_at_monitor(target, ref):
        raise MemoryError("memory allocation failed")

    async def child():
        await runtime.receive()

    seen = []

    async def main():
        before = runtime.processes()
        monkeypatch.setattr(monitors, "watched", out_of_memory_at_monitor)
        try:
            runtime.spawn_opt(child, link=True, monitor=True, name="half")
        except MemoryError:
            seen.append("MemoryError")
        monkeypatch.undo()
        info = runtime.process_info(runtime.self_pid())
        seen.append((runtime.processes() == before, info["links"], info["monitors"],
                     runtime.whereis("half")))
        # The name is free again and spawning still works.
        pid = runtime.spawn_opt(child, name="half")
        seen.append(runtime.whereis("half") == pid)
        runtime.exit(pid, "kill")

    runtime.run(main)
    assert seen == ["MemoryError", (True, [], [], None), True]
