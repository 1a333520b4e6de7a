"""The exchange's sizes and times, in one place (milliseconds)."""

LINES = tuple(str(1001 + i) for i in range(8))  # the subscribers' numbers
CALL_INTERVAL = 30        # between two call attempts of the traffic generator
ANALYSIS_TIMEOUT = 300    # a call gives up on number analysis after this
RING_TIMEOUT = 200        # no answer within this: the call ends unanswered
TALK_MIN, TALK_MAX = 20, 80  # how long a connected call lasts
LOST_AFTER = 1000         # an attempt with no outcome by then counts as lost
