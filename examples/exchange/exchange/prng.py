"""A small deterministic random number generator (the device has no
`random`): the same traffic on every target, run after run. The ZX81's
generator: its numbers stay small ints on a 32-bit board, so drawing one
allocates nothing."""


class Prng:
    def __init__(self, seed=2026):
        self.state = seed % 65537

    def below(self, n):
        """A number in range(n)."""
        self.state = (self.state * 75 + 74) % 65537
        return self.state % n

    def between(self, low, high):
        return low + self.below(high - low + 1)
