"""Run one distribution workload between two nodes (`make bench`'s cluster
table): an echo node, then a pinger node that measures against it.

    python tools/bench/pair.py PINGER ECHO POSIX_FIRMWARE ERL_DIR WORKLOAD key=value ...

PINGER and ECHO are `ours` (our posix executable running
peers/dist_ours.py), `beam` (erl running peers/dist_beam, compiled into
ERL_DIR), `board` (dist_ours.py on mps2-an385 in QEMU, paced in real time,
through the host bridge: tools/board_node.py) or `board-icount` (the same
under -icount, its figures the CPU's work in guest instructions). Starts
EPMD if none runs, waits for the echo node to be ready, relays what the
pinger prints and exits with its status; the echo node is killed at the
end. All run on this machine, over loopback TCP.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DIST_OURS = os.path.join(HERE, "peers", "dist_ours.py")
BOARD_NODE = os.path.join(os.path.dirname(HERE), "board_node.py")
BOARD = "mps2-an385"
COOKIE = "bench-cookie"
READY_TIMEOUT_S = 30


def command(kind, name, firmware, erl_dir, workload, args):
    ours = [DIST_OURS, workload, "name=" + name, "cookie=" + COOKIE] + args
    if kind == "ours":
        return [firmware] + ours
    if kind == "board":
        return [sys.executable, BOARD_NODE, "--board", BOARD] + ours
    if kind == "board-icount":
        return [sys.executable, BOARD_NODE, "--board", BOARD, "--icount"] + ours + ["clock=busy"]
    return ["erl", "-noshell", "-name", name + "@127.0.0.1", "-setcookie", COOKIE,
            "-pa", erl_dir, "-run", "dist_beam", "main", workload] + args


def main(argv):
    pinger, echo, firmware, erl_dir, workload = argv[:5]
    tag = "%d" % os.getpid()
    subprocess.run(["epmd", "-daemon"], check=True)
    server = subprocess.Popen(command(echo, "echo" + tag, firmware, erl_dir, "echo", []),
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, cwd=erl_dir)
    try:
        line = server.stdout.readline()
        if line.strip() != b"ready":
            print('{"workload": "%s", "error": "the echo node did not start: %s"}'
                  % (workload, line.decode("utf-8", "replace").strip()))
            return 1
        peer = "peer=echo%s@127.0.0.1" % tag
        return subprocess.run(command(pinger, "ping" + tag, firmware, erl_dir, workload,
                                      [peer] + argv[5:]),
                              stdin=subprocess.DEVNULL, cwd=erl_dir).returncode
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
