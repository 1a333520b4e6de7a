"""An application that has the heap collected as it starts and then fills
the blocks set free with small tuples it keeps. While boot runs, the
firmware holds the text `import runtime.boot` in a heap buffer, a local of
libos_main, and frees it once boot returns: were that frame no GC root, the
collection would hand the buffer's blocks to HELD and the free after boot
would take one back from under it (test_boot.py)."""
import gc

from runtime import supervisor

# Made before the collection: each allocation after it is one block (a
# 3-tuple), so the buffer's first block becomes the start of one of them.
HELD = [None] * 256


async def start():
    gc.collect()
    for n in range(len(HELD)):
        HELD[n] = (n, n, n)
    return await supervisor.start_link([], name="root")
