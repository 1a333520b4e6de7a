"""The process table: every live process, by the number of its Pid.

Invariant: a record is in the table exactly while its status is not DEAD.

A Pid reaches its own record directly (Pid._proc); the table is for what
needs them all: counting them (the process limit), listing them in spawn
order (processes(), the run-queue rebuild) and ending them (run()'s end).
So it is kept in buckets of BUCKET consecutive numbers, each a list with a
slot per number and a last slot that counts the records in it, under a
dict by bucket number. On MicroPython:
- one dict of thousands of processes is one block of tens of KB, which a
  heap that many processes have cut up may not have when it must grow;
- a list bucket is made once, at its size, where a dict bucket grew by
  rehashing a dozen times on the way to 64 entries (an allocation and a
  free each, which also send the allocator back over the heap), and it
  is smaller: an idle process went from 251 to 245 bytes on posix with it
  (`make bench`, idle_bytes);
- a bucket's slots are already in spawn order, so only the bucket numbers
  are sorted: sorting the int keys of one dict of every process, which come
  out nearly in order, made MicroPython's quicksort quadratic (155 ms for
  3,000 processes on mps2-an385, longer than a slice);
- Pid numbers only grow, so buckets empty out for good and go; the dict of
  buckets is copied once its deletions outnumber its live entries, since
  a deleted key leaves a tombstone that lookups of other keys must walk.
"""

BUCKET_BITS = 4
BUCKET = 1 << BUCKET_BITS  # consecutive Pid numbers per bucket
SLOT = BUCKET - 1          # n & SLOT: n's slot in its bucket; bucket[BUCKET]: its count


class ProcessTable:
    def __init__(self):
        self.buckets = {}   # n >> BUCKET_BITS -> [record or None] * BUCKET + [count]
        self.count = 0      # records in all buckets
        self.deletions = 0  # buckets deleted since `buckets` was last copied

    def __len__(self):
        return self.count

    def add(self, p):
        n = p.pid.n
        bucket = self.buckets.get(n >> BUCKET_BITS)
        if bucket is None:
            bucket = [None] * (BUCKET + 1)
            bucket[BUCKET] = 0
            self.buckets[n >> BUCKET_BITS] = bucket
        bucket[n & SLOT] = p
        bucket[BUCKET] += 1
        self.count += 1

    def remove(self, p):
        """Take `p` out (allocating nothing: the heap may be full)."""
        n = p.pid.n
        key = n >> BUCKET_BITS
        bucket = self.buckets[key]
        bucket[n & SLOT] = None
        bucket[BUCKET] -= 1
        self.count -= 1
        if not bucket[BUCKET]:
            del self.buckets[key]
            self.deletions += 1
            if self.deletions > len(self.buckets) + 16:
                self.deletions = 0
                try:
                    self.buckets = dict(self.buckets)
                except MemoryError:
                    pass  # slower lookups, nothing lost; try again later

    def get(self, n):
        bucket = self.buckets.get(n >> BUCKET_BITS)
        return None if bucket is None else bucket[n & SLOT]

    def records(self):
        """Every record, in spawn order (the table must not change meanwhile)."""
        buckets = self.buckets
        for key in sorted(buckets):
            yield from _held(buckets[key])

    def unordered(self):
        """Every record, in no order, with less memory than records()."""
        for bucket in self.buckets.values():
            yield from _held(bucket)

    def clear(self):
        self.buckets = {}
        self.count = 0
        self.deletions = 0


def _held(bucket):
    """The records in `bucket`'s slots."""
    for i in range(BUCKET):
        p = bucket[i]
        if p is not None:
            yield p
