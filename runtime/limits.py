"""Limits, as OTP has them: how many processes may live at once (the BEAM's
+P: spawn beyond it raises SystemLimit), and how many messages a mailbox
may hold (spawn_opt's max_queue, and a default: a process whose mailbox
would grow past it is killed with ('max_queue', limit), as max_heap_size
kills a process whose heap grows past it).

The defaults are chosen per board from the heap the runtime finds free
when it starts (libos.mem()), so that on the default board neither a fork
bomb nor one flood of small messages can fill the heap: the process limit
is one process per PROCESS_WORDS words of it, so that at the limit idle
processes (about 40 words each) hold half of it, and the other half leaves
the runtime's tables of that many processes room to grow in a heap that
many processes have cut up; one mailbox of small messages may hold a
MAX_QUEUE_SHARE. On CPython, whose
heap is the host's, they are the BEAM's default process limit and a queue
limit that only a runaway reaches. The emergency reserve (memory.py), how
often the heap is collected, and the logger's ring are sized from the heap
the same way.
"""
import libos

from runtime.compat import WORD
from runtime.process import default_max_queue, set_default_max_queue

PROCESS_WORDS = 80       # twice what an idle process takes (api.py _FIXED_WORDS)
MESSAGE_WORDS = 10       # a small message: a mailbox slot and a 3-tuple of small terms
MAX_QUEUE_SHARE = 4      # one mailbox of small messages may fill 1/4 of the heap
RESERVE_SHARE = 64       # the emergency reserve: 1/64 of the heap ...
RESERVE_MIN = 1024       # ... but at least 1 KiB
GC_SHARE = 4             # the heap is collected each time 1/4 of it was allocated (memory.py);
                         # every 1/8 made a ring hop on mps2-an385 cost 32.4k instructions, not 25.1k
HOST_MAX_PROCESSES = 262144   # the BEAM's default +P
HOST_MAX_QUEUE = 1 << 20
HOST_RESERVE = 65536


def _defaults():
    board = libos.board()
    if board["target"] == "cpython":
        return HOST_MAX_PROCESSES, HOST_MAX_QUEUE, HOST_RESERVE, 0
    free = libos.mem()["heap_free"]
    return (free // (PROCESS_WORDS * WORD),
            free // (MESSAGE_WORDS * WORD * MAX_QUEUE_SHARE),
            max(board["heap_bytes"] // RESERVE_SHARE, RESERVE_MIN),
            board["heap_bytes"] // GC_SHARE)


MAX_PROCESSES, MAX_QUEUE, RESERVE_BYTES, GC_EVERY = _defaults()

process_limit = MAX_PROCESSES  # in force (set_limits); read as a variable by spawn, for speed
set_default_max_queue(MAX_QUEUE)  # spawn_opt(max_queue=) sets a process's own


def limits():
    """{'max_processes': n, 'max_queue': n}: the limits in force."""
    return {"max_processes": process_limit, "max_queue": default_max_queue()}


def set_limits(max_processes=None, max_queue=None):
    """Change the process limit and the default mailbox limit (processes
    spawned with their own max_queue keep it); return the previous limits.
    Raises ValueError naming a limit that is not a positive int."""
    global process_limit
    previous = limits()
    if max_processes is not None:
        process_limit = check("max_processes", max_processes)
    if max_queue is not None:
        set_default_max_queue(check("max_queue", max_queue))
    return previous


def check(name, value):
    """`value` if it is an int > 0, else ValueError naming `name`."""
    if type(value) is not int or value <= 0:
        raise ValueError("%s must be an int > 0, got %r" % (name, value))
    return value
