"""Unit tests of the runtime run in this CPython, on the Python libos."""
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path[:0] = [REPO, os.path.join(REPO, "libos", "cpython")]
