"""The logger's console output: compact at every level but 'debug', which
adds a crash report's traceback; reports are kept in the ring at any level."""
import pytest

import runtime
from runtime import logger


@pytest.fixture(autouse=True)
def clean():
    previous = logger.set_level("notice")
    logger.clear()
    yield
    logger.set_level(previous)
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
