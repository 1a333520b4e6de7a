"""The logger's console output: compact at every level but 'debug', which
adds a crash report's traceback; reports are kept in the ring at any level."""
import pytest

import runtime
from runtime import logger


@pytest.fixture(autouse=True)
def clean():
    previous = logger.set_level("notice")
    primary = logger.set_primary_level("debug")
    logger.clear()
    yield
    logger.set_level(previous)
    logger.set_primary_level(primary)
    logger.clear()


async def crasher():
    raise ValueError("boom")


@pytest.mark.parametrize("level, traceback", [("notice", False), ("debug", True)])
def test_a_crash_report_prints_its_traceback_only_at_debug(capsys, level, traceback):
    logger.set_level(level)

    async def main():
        pid, ref = runtime.spawn_monitor(crasher)
        await runtime.receive(("DOWN", ref, runtime.ANY, runtime.ANY, runtime.ANY))

    runtime.run(main)
    printed = capsys.readouterr().out
    assert printed.startswith("=CRASH REPORT==== process <0.")
    assert "reason: ValueError: boom" in printed
    assert ("Traceback" in printed) is traceback
    assert "in crasher" in logger.recent()[-1][1]


def test_supervisor_reports_name_the_event_the_child_and_the_reason():
    logger.supervisor_report("error", "<sup>", "top", "child_terminated", ("w", "<pid>"),
                             ("shutdown", ValueError("x")))
    logger.supervisor_report("error", "<sup>", None, "shutdown", None, "reached_max_restart_intensity")
    assert [text for level, text in logger.recent()] == [
        "=SUPERVISOR REPORT==== '<sup>' (top) child_terminated: id 'w', pid '<pid>', "
        "reason ('shutdown', ValueError: x)",
        "=SUPERVISOR REPORT==== '<sup>' shutdown: reason 'reached_max_restart_intensity'"]


def test_handlers_get_the_facts_of_crash_and_supervisor_reports():
    seen = []
    handler = lambda level, text, facts: seen.append((level, facts))  # noqa: E731
    logger.add_handler(handler)
    try:
        async def main():
            pid, ref = runtime.spawn_monitor(crasher)
            await runtime.receive(("DOWN", ref, runtime.ANY, runtime.ANY, runtime.ANY))
            logger.supervisor_report("notice", "<sup>", "top", "child_restarted", ("w", "<pid>"), "r")
            logger.log("info", "plain")

        runtime.run(main)
    finally:
        logger.remove_handler(handler)
    crash, restart, plain = seen
    assert crash[0] == "error" and crash[1]["kind"] == "crash"
    assert type(crash[1]["reason"]) is ValueError
    assert restart == ("notice", {"kind": "supervisor", "supervisor": "<sup>", "name": "top",
                                  "event": "child_restarted", "id": "w", "pid": "<pid>",
                                  "reason": "r"})
    assert plain == ("info", None)


def test_a_handler_that_raises_is_removed_and_reported(capsys):
    def broken(level, text, facts):
        raise KeyError("oops")

    logger.add_handler(broken)
    logger.log("notice", "first")
    logger.log("notice", "second")
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "first"
    assert printed[1].startswith("logger handler ") and printed[1].endswith("removed; it raised KeyError: 'oops'")
    assert printed[2] == "second"


class Loud(Exception):
    """An exit reason that counts how often it is described."""
    described = 0

    def __str__(self):
        Loud.described += 1
        return "loud"


async def loud_crasher():
    raise Loud()


def test_with_the_primary_level_none_no_report_is_made(capsys):
    seen = []
    handler = lambda level, text, facts: seen.append(level)  # noqa: E731
    logger.add_handler(handler)
    assert logger.set_primary_level("none") == "debug"
    Loud.described = 0
    try:
        async def main():
            pid, ref = runtime.spawn_monitor(loud_crasher)
            down = await runtime.receive(("DOWN", ref, runtime.ANY, runtime.ANY, runtime.ANY))
            assert type(down[4]) is Loud  # the exit itself is as before
            logger.supervisor_report("critical", "<sup>", None, "shutdown", None, Loud())
            logger.log("critical", "plain")

        runtime.run(main)
    finally:
        logger.remove_handler(handler)
    assert logger.recent() == []
    assert seen == []
    assert capsys.readouterr().out == ""
    assert Loud.described == 0  # not even formatted
    assert not logger.prints("critical")


def test_the_primary_level_drops_only_the_reports_below_it():
    logger.set_level("none")
    assert logger.set_primary_level("error") == "debug"
    logger.supervisor_report("notice", "<sup>", None, "child_restarted", ("w", "<pid>"))
    logger.supervisor_report("error", "<sup>", None, "child_terminated", ("w", "<pid>"), "r")
    logger.log("warning", "dropped")
    logger.log("critical", "kept")
    assert [level for level, text in logger.recent()] == ["error", "critical"]
    assert logger.records("error") and not logger.records("warning")


def test_an_unknown_primary_level_is_refused():
    with pytest.raises(ValueError, match="unknown log level 'loud'; levels: debug, info"):
        logger.set_primary_level("loud")
    assert logger.records("debug")  # unchanged
