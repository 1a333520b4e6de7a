"""A root supervisor whose only child crashes at once: with intensity 1 it
gives up at the second crash, and boot resets the board."""
import runtime
from runtime import supervisor


async def crasher():
    raise RuntimeError("crash at once")


async def start():
    return await supervisor.start_link(
        [{"id": "crasher", "start": (runtime.spawn_link, (crasher,))}],
        intensity=1, period=5, name="root")
