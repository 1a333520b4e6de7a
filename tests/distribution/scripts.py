"""The scripts of this folder that run on a target (frames_script.py,
link_script.py, ...): one, or several joined (a later one's definitions
win), with the call that starts it, written out and run there."""
import os

from targets import run_script

HERE = os.path.dirname(os.path.abspath(__file__))


def run_on(target, tmp_path, names, call, timeout):
    """run_script's outcome for the scripts `names` followed by `call`."""
    text = ""
    for name in names:
        with open(os.path.join(HERE, name)) as f:
            text += f.read() + "\n"
    path = tmp_path / (names[-1][:-len(".py")] + "_check.py")
    path.write_text(text + call + "\n")
    return run_script(target, str(path), timeout)
