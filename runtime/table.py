"""The process table: every live process, by the number of its Pid.

Invariant: a record is in the table exactly while its status is not DEAD.

A Pid reaches its own record directly (Pid._proc); the table is for what
needs them all: counting them (the process limit), listing them in spawn
order (processes(), the run-queue rebuild) and ending them (run()'s end).
So it is kept in buckets of BUCKET consecutive numbers, a dict of small
dicts, rather than one dict, because on MicroPython:
- one dict of thousands of processes is one block of tens of KB, which a
  heap that many processes have cut up may not have when it must grow;
- sorting a dict's int keys, which come out nearly in order, is quadratic
  (its quicksort's worst case): 155 ms for 3,000 processes on mps2-an385,
  longer than a slice. Sorting the bucket numbers, then each bucket, is
  linear in effect;
- deleting from a dict leaves a tombstone that lookups of other keys must
  walk past. Pid numbers only grow, so buckets empty out for good and go,
  tombstones and all; the dict of buckets itself is copied once its
  deletions outnumber its live entries.
"""

BUCKET_BITS = 6
BUCKET = 1 << BUCKET_BITS  # consecutive Pid numbers per bucket


class ProcessTable:
    def __init__(self):
        self.buckets = {}   # n >> BUCKET_BITS -> {n: record}
        self.count = 0      # records in all buckets
        self.deletions = 0  # buckets deleted since `buckets` was last copied

    def __len__(self):
        return self.count

    def add(self, p):
        n = p.pid.n
        bucket = self.buckets.get(n >> BUCKET_BITS)
        if bucket is None:
            bucket = self.buckets[n >> BUCKET_BITS] = {}
        bucket[n] = p
        self.count += 1

    def remove(self, p):
        """Take `p` out (allocating nothing: the heap may be full)."""
        n = p.pid.n
        key = n >> BUCKET_BITS
        bucket = self.buckets[key]
        del bucket[n]
        self.count -= 1
        if not bucket:
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
        return None if bucket is None else bucket.get(n)

    def records(self):
        """Every record, in spawn order (the table must not change meanwhile)."""
        buckets = self.buckets
        for key in sorted(buckets):
            bucket = buckets[key]
            for n in sorted(bucket):
                yield bucket[n]

    def unordered(self):
        """Every record, in no order, with less memory than records()."""
        for bucket in self.buckets.values():
            for p in bucket.values():
                yield p

    def clear(self):
        self.buckets = {}
        self.count = 0
        self.deletions = 0
