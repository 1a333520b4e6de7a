"""The qstr pool cap (tools/patches/micropython-qstr-pool-cap.patch, set
to 64 entries in firmware/mpconfigport.h): names made at run time go into
pools of at most 64 entries, one heap block each, where doubling pools
made one block of 640 or 1,280 entries, mostly unused."""
import os
import re

import pytest

from targets import run_script

CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "qstr_pool_check.py")


@pytest.mark.parametrize("board", ["posix", "mps2-an385"])
def test_a_thousand_new_names_fill_pools_of_64(board):
    outcome = run_script(board, CHECK)
    assert outcome.status == 0, outcome.output
    infos = re.findall(r"n_pool=(\d+), n_qstr=(\d+)", outcome.output)
    assert len(infos) == 2, outcome.output
    (pools_before, names_before), (pools_after, names_after) = [tuple(map(int, i)) for i in infos]
    assert names_after - names_before >= 1000
    # 1,000 names fill at least 15 new pools of 64 (the pool already open
    # takes up to 63 of them); doubled pools took one or two.
    assert pools_after - pools_before >= 1000 // 64
