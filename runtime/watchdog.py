"""The hardware watchdog, fed by a live scheduler: an activation of the
loop (scheduler.py, `activations`), not part of it.

Once per step, for as long as one chosen process lives (boot's root
supervisor), the watchdog is fed, and every wait is capped so that an idle
system is fed in time too. Once that process has exited nothing feeds it
again: a system whose loop stops turning, or whose root is gone, is reset
by the hardware.
"""
from runtime.process import DEAD


class Watchdog:
    def __init__(self, guard, feed, every_us):
        self.guard = guard        # record of the process whose life keeps it fed
        self.feed = feed          # the watchdog's feed function
        self.every_us = every_us  # longest wait between two feeds

    def after_step(self, s, wait):
        """Feed the watchdog if its guard lives; return `wait` capped so that
        the next feed comes in time. Removes itself once the guard is dead."""
        if self.guard.status is DEAD:
            s.activations.remove(self)  # for good: let the watchdog reset the board
            return wait
        self.feed()
        return self.every_us if wait is None or wait > self.every_us else wait
