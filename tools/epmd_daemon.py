"""EPMD for the tools and tests that start nodes: started if it is not
running, and waited for, since `epmd -daemon` returns before it listens."""
import subprocess
import time

WAIT_S = 10


def ensure_epmd():
    """Start EPMD unless it runs; return once it answers (RuntimeError if
    it does not within WAIT_S)."""
    subprocess.run(["epmd", "-daemon"], check=True)
    deadline = time.monotonic() + WAIT_S
    while subprocess.run(["epmd", "-names"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL).returncode != 0:
        if time.monotonic() > deadline:
            raise RuntimeError("epmd -daemon started no EPMD that answers within %d s" % WAIT_S)
        time.sleep(0.05)
