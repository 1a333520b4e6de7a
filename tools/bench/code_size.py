"""How many bytes of the frozen image a part of the runtime takes: its
modules as mpy-cross compiles them for the boards (tools/image.py), the
same bytecode on every board."""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))

from image import compile_mpy, python_files  # noqa: E402

DISTRIBUTION = ("runtime/dist/", "runtime/node.py", "runtime/distributed.py")


def bytecode_sizes():
    """{path in the image: bytes} for every module of runtime/."""
    with tempfile.TemporaryDirectory() as workdir:
        return {path: len(compile_mpy(source, path, workdir))
                for path, source in python_files(os.path.join(REPO, "runtime"), "runtime/")}


def distribution_share():
    """(bytes of the distribution stack, bytes of all of runtime/)."""
    sizes = bytecode_sizes()
    ours = sum(n for path, n in sizes.items()
               if path.startswith(DISTRIBUTION[0]) or path[:-4] + ".py" in DISTRIBUTION[1:])
    return ours, sum(sizes.values())


if __name__ == "__main__":
    print("distribution stack: %d bytes of bytecode, of %d for runtime/" % distribution_share())
