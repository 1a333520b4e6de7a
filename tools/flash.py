"""`make flash BOARD=<real board>`: write the firmware to a real board with
an established tool. Boards say how in board.mk (BOARD_FLASH):
  stlink   st-flash over an ST-Link probe (Debian package stlink-tools)
Boards that only exist in QEMU, and the posix board, have nothing to flash."""
import argparse
import shutil
import subprocess
import sys

from boards import UnknownBoard, board_config, build_dir, known_boards
from build import BuildFailed, build_firmware


def flashable_boards():
    return [b for b in known_boards() if board_config(b).get("BOARD_FLASH")]


def stlink_command(board):
    """The command that writes the board's image."""
    image = build_dir(board) + "/firmware.bin"
    address = board_config(board)["BOARD_FLASH_ADDRESS"]
    return ["st-flash", "--reset", "write", image, address]


def stlink_probe_attached():
    result = subprocess.run(["st-info", "--probe"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, timeout=30)
    text = result.stdout.decode(errors="replace")
    return "Found 0 stlink programmers" not in text and result.returncode == 0


def flash(board):
    config = board_config(board)
    method = config.get("BOARD_FLASH")
    if not method:
        raise SystemExit("make flash: %s is not a board you can flash (it runs in QEMU or on "
                         "this host); boards that flash: %s"
                         % (board, ", ".join(flashable_boards())))
    command = stlink_command(board)
    if shutil.which("st-flash") is None or shutil.which("st-info") is None:
        raise SystemExit("make flash: st-flash is missing; install the Debian package "
                         "stlink-tools (make setup does). It would run: %s" % " ".join(command))
    build_firmware(board)
    if not stlink_probe_attached():
        raise SystemExit(
            "make flash: no ST-Link probe found. Connect the %s to this machine through an "
            "ST-Link (SWD pins SWDIO, SWCLK, GND, and power the board), then run make flash "
            "BOARD=%s again. It would run: %s" % (board, board, " ".join(command)))
    print(" ".join(command))
    sys.exit(subprocess.call(command))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--board", required=True)
    args = parser.parse_args()
    try:
        flash(args.board)
    except (UnknownBoard, BuildFailed) as error:
        sys.exit("make flash: %s" % error)


if __name__ == "__main__":
    main()
