"""The boards in board/ and what their board.mk says, for the host tools."""
import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOARD_ROOT = os.path.join(REPO, "board")
DEFAULT_BOARD = "mps2-an385"


def known_boards():
    return sorted(name for name in os.listdir(BOARD_ROOT)
                  if os.path.isfile(os.path.join(BOARD_ROOT, name, "board.mk")))


class UnknownBoard(ValueError):
    def __init__(self, name):
        super().__init__("unknown board %r; known boards: %s" % (name, ", ".join(known_boards())))


def board_config(name):
    """The VAR = value lines of board/<name>/board.mk, as a dict."""
    path = os.path.join(BOARD_ROOT, name, "board.mk")
    if name not in known_boards():
        raise UnknownBoard(name)
    config = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, _, value = line.partition("=")
                config[key.strip()] = value.strip()
    return config


def build_dir(name):
    return os.path.join(REPO, "build", name)


def firmware_path(board, variant=None):
    """The firmware file built for a board, in build/<board> or in the build
    folder of one of its variants (see build.py)."""
    executable = "firmware" if board_config(board)["BOARD_ARCH"] == "posix" else "firmware.elf"
    return os.path.join(build_dir(variant or board), executable)


def is_emulated(name):
    return bool(board_config(name).get("BOARD_QEMU_MACHINE"))


def emulated_boards():
    """The boards QEMU runs."""
    return [name for name in known_boards() if is_emulated(name)]
