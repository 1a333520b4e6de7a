"""A child that turns its slice budget off and never yields: the scheduler
stops turning, nothing feeds the watchdog, and the hardware resets the
board."""
import libos
import runtime
from runtime import supervisor

WATCHDOG_MS = 400


async def wedge():
    await runtime.sleep(10)
    libos.budget(0)
    while True:
        pass


async def start():
    return await supervisor.start_link([{"id": "wedge", "start": (runtime.spawn_link, (wedge,))}])
