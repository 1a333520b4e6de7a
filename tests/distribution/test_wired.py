"""Two boards in QEMU wired UART to UART (UART2 of b connected to UART2 of
a, as a cable joins two real boards), with no host between: a reaches b's
processes by name, calls its server, monitors it, and gives b up within
the tick time when b is frozen (QMP stop)."""
import os

from cluster import COOKIE, REPO, TICKTIME, Board

# make node's image of the counter (its app left to the script, as node_main does)
APP = [os.path.join(REPO, "examples", "counter"), os.path.join(REPO, "tools", "node_image")]
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wired_script.py")
BOOT_S = 180


def test_two_boards_wired_together_form_a_cluster():
    a = Board("mps2-an385", APP)
    b = Board("mps2-an385", APP, wired={2: a.qemu.uart_port(2)})
    names = ["wa@127.0.0.1", "wb@127.0.0.1"]
    try:
        b.run(SCRIPT, ["b", names[1], names[0], COOKIE, str(TICKTIME)])
        b.output.wait_for(lambda l: l.startswith("node "), BOOT_S)
        a.run(SCRIPT, ["a", names[0], names[1], COOKIE, str(TICKTIME)])
        a.output.wait_for(lambda l: l == "ready", BOOT_S)
        seen = a.output.text().splitlines()
        for expected in ["ping pong", "call 1", "echo over the wire",
                         "down ('RuntimeError', b'asked to crash')", "nodes ['%s']" % names[1]]:
            assert expected in seen, a.output.text()
        b.freeze()
        down = a.output.wait_for(lambda l: l.startswith("nodedown"), 3 * TICKTIME)
        print("a: %s (tick time %d s)" % (down, TICKTIME))
    finally:
        a.stop()
        b.stop()
