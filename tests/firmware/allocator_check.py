# Freed runs of blocks are found again (tools/patches/micropython-gc-run-hints.patch).
# With collection off and the heap full, runs of n blocks are freed by shrinking
# lists (the allocator's realloc path) and then taken again by growing other
# lists by exactly n blocks: an allocation that skipped a free run would find
# no room and raise MemoryError. Sizes 2..12 blocks cover every hinted length
# and beyond. Prints one line per size; the test compares them.
import gc
import sys

WORD = 4 if sys.maxsize < (1 << 32) else 8
BLOCK_WORDS = 4  # a block is four words
RUNS = 24        # runs freed and taken again per size


def fill():
    """Allocate single blocks until the heap is full; returns them, as a
    chain of pairs (a growing list would make long allocations itself)."""
    filler = None
    try:
        while True:
            filler = (filler, None)  # 1 block
    except MemoryError:
        pass
    return filler


def check(n):
    gc.collect()
    growers = [[] for _ in range(RUNS)]          # grown later: items arrays of n blocks
    # extend() makes room for its items and four more words: n blocks.
    source = [None] * ((n - 1) * BLOCK_WORDS)
    shrinkers = []
    for _ in range(RUNS):
        shrinkers.append([None] * ((n + 1) * BLOCK_WORDS))  # items: n + 1 blocks
        shrinkers.append(bytearray(0))           # a used block between the runs
    # The latest long allocation is one of n blocks, after the shrinkers:
    # runs longer than the hinted lengths share one hint, and it must come
    # back down when their runs are freed.
    primer = [None] * (n * BLOCK_WORDS)
    gc.disable()
    try:
        filler = fill()
        for lst in shrinkers:
            if type(lst) is list:
                lst.clear()                      # keeps 1 block, frees a run of n
        grown = 0
        try:
            for g in growers:
                # Each grower's items move to a fresh run of exactly n blocks
                # (its old single block is freed, too small to matter).
                g.extend(source)
                grown += 1
        except MemoryError:
            pass
    finally:
        gc.enable()
    del filler, primer
    return grown


for n in range(2, 13):
    print(n, check(n))
