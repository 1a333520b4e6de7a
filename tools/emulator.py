"""Boot a board in QEMU with its UARTs on loopback TCP and a QMP socket.

Ports are chosen by QEMU at run time (port 0) and read back over QMP, so
several boards can run side by side. Every QEMU started here dies with its
parent (PR_SET_PDEATHSIG) and is stopped by `stop()`, the context manager or
atexit: no orphans, also after Ctrl-C or a failed test.

Time is QEMU's instruction count (-icount shift=0: one virtual nanosecond
per guest instruction, repeatable to the tick). With `sleep=False` (the
default) virtual time jumps over idle periods, so a guest that sleeps costs no
real time; but then, while the guest waits for the host, its clock races
ahead (hours of virtual time per real second). `sleep=True` keeps an idle
guest's clock with real time, for tests that need the two to agree; a busy
guest's still falls behind (the host emulates fewer than 10^9 instructions a
second). `realtime=True` drops the instruction count: the guest's clock is
the host's, busy or idle, as a cluster's wall-clock ticks need (make node).
"""
import atexit
import ctypes
import os
import re
import signal
import socket
import subprocess
import tempfile
import time

from qemu.qmp.legacy import QEMUMonitorProtocol

from boards import board_config

_PR_SET_PDEATHSIG = 1
_running = set()


def _die_with_parent():
    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


@atexit.register
def _stop_all():
    for board in list(_running):
        board.stop()


class QemuBoard:
    """A board running in QEMU. UART n of the board is `uart_port(n)`."""

    def __init__(self, board, firmware, sleep=False, paused=False, control=False, realtime=False,
                 wired=None):
        self.board = board
        self.config = board_config(board)
        if not self.config.get("BOARD_QEMU_MACHINE"):
            raise ValueError("board %s does not run in QEMU" % board)
        self.firmware = firmware
        self.serials = int(self.config.get("BOARD_QEMU_SERIALS", "1"))
        self.sleep = sleep
        self.realtime = realtime
        self.wired = wired or {}  # UART n -> port of another board's UART, wired to it
        self.paused = paused  # start with the CPU stopped, until resume()
        self.control = control  # a second QMP socket, for other processes
        self.control_path = None
        self.process = None
        self.qmp = None
        self.ports = {}
        self._workdir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def command_line(self, qmp_path):
        command = ["qemu-system-arm", "-M", self.config["BOARD_QEMU_MACHINE"], "-nodefaults",
                   "-display", "none", "-kernel", self.firmware,
                   "-qmp", "unix:%s,server=on,wait=off" % qmp_path]
        command += self.config.get("BOARD_QEMU_FLAGS", "").split()
        if not self.realtime:
            command += ["-icount", "shift=0,sleep=%s" % ("on" if self.sleep else "off")]
        if self.paused:
            command.append("-S")
        if self.control_path:
            command += ["-qmp", "unix:%s,server=on,wait=off" % self.control_path]
        # Each UART listens on a free port, chosen by QEMU; one wired to another
        # board's connects to that board's instead, as a cable would join them.
        # Without Nagle: QEMU writes what the guest sends a byte at a time, and
        # each small reply would wait for the peer's delayed ACK.
        for n in range(self.serials):
            if n in self.wired:
                command += ["-serial", "tcp:127.0.0.1:%d,nodelay=on" % self.wired[n]]
            else:
                command += ["-serial", "tcp:127.0.0.1:0,server=on,wait=off,nodelay=on"]
        return command

    def start(self):
        if not os.path.exists(self.firmware):
            raise FileNotFoundError("no firmware at %s: run `make firmware BOARD=%s`"
                                    % (self.firmware, self.board))
        self._workdir = tempfile.TemporaryDirectory(prefix="qemu-")
        qmp_path = os.path.join(self._workdir.name, "qmp.sock")
        if self.control:
            self.control_path = os.path.join(self._workdir.name, "control.sock")
        self.process = subprocess.Popen(
            self.command_line(qmp_path), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        _running.add(self)
        self.qmp = QEMUMonitorProtocol(qmp_path)
        self._connect_qmp(qmp_path)
        self.ports = self._serial_ports()
        return self

    def _connect_qmp(self, path, timeout=10):
        # QEMU creates the socket file before it listens on it: until then a
        # connection is refused, and is tried again.
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode(errors="replace")
                raise RuntimeError("QEMU for %s exited at start: %s" % (self.board, output.strip()))
            if os.path.exists(path):
                try:
                    self.qmp.connect(negotiate=True)
                    return
                except Exception as error:  # qemu.qmp wraps the refusal in its ConnectError
                    if time.monotonic() > deadline:
                        raise TimeoutError("QEMU for %s refused QMP connections: %s"
                                           % (self.board, error))
                    self.qmp = QEMUMonitorProtocol(path)
            elif time.monotonic() > deadline:
                raise TimeoutError("QEMU for %s did not open its QMP socket" % self.board)
            time.sleep(0.02)

    def _serial_ports(self):
        ports = {}
        for chardev in self.qmp.cmd("query-chardev"):
            match = re.match(r"serial(\d+)$", chardev["label"])
            found = re.search(r"tcp:[^:]+:(\d+)", chardev["filename"])
            if match and found:
                ports[int(match.group(1))] = int(found.group(1))
        return ports

    def uart_port(self, n):
        """TCP port of the board's UART n (0 is the console)."""
        return self.ports[n]

    @property
    def console_url(self):
        return "socket://127.0.0.1:%d" % self.uart_port(0)

    def connect(self, n=0, timeout=10):
        """A socket connected to UART n."""
        return socket.create_connection(("127.0.0.1", self.uart_port(n)), timeout=timeout)

    def resume(self):
        """Starts the CPU of a board started paused (after connecting to its
        console, so that nothing it prints is lost)."""
        self.qmp.cmd("cont")

    def reset(self):
        self.qmp.cmd("system_reset")

    def wait_for_event(self, name, timeout=30.0):
        """Waits for the QMP event `name` (RESET, WATCHDOG, ...); returns it."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no %s event from %s within %.0f s" % (name, self.board, timeout))
            try:
                event = self.qmp.pull_event(wait=float(left))
            except TimeoutError:  # asyncio's, the same class since Python 3.11
                continue
            if event.get("event") == name:
                return event

    def stop(self):
        if self.process is None:
            return
        try:
            if self.process.poll() is None:
                try:
                    self.qmp.cmd("quit")
                except Exception:
                    pass
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            try:
                self.qmp.close()
            except Exception:
                pass
            self.process.stdout.close()
            self.process = None
            _running.discard(self)
            self._workdir.cleanup()
