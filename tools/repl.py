"""Talk to a board's REPL over a byte stream (a QEMU UART socket, or a
socket pair on a posix board's stdin and stdout).

The raw REPL is MicroPython's (shared/runtime/pyexec.c): Ctrl-A enters it;
raw-paste mode ("\\x05A\\x01") streams a script with flow control; the board
answers with the script's output, "\\x04", the exception text (empty when
none), "\\x04", then ">".
"""
import select
import struct
import time

CTRL_A, CTRL_B, CTRL_C, CTRL_D, CTRL_E = b"\x01", b"\x02", b"\x03", b"\x04", b"\x05"
RAW_PROMPT = b"raw REPL; CTRL-B to exit\r\n>"


def console_text(data):
    """What a board printed, as text with "\\n" line ends."""
    return data.decode("utf-8", "replace").replace("\r\n", "\n")


class TextStream:
    """Writes what a board prints, as it comes, to a text stream, with the
    console's "\r\n" line ends made "\n" (also when a chunk ends between
    the two)."""

    def __init__(self, out):
        self.out = out
        self.held = b""

    def __call__(self, data):
        data = self.held + data
        self.held = b"\r" if data.endswith(b"\r") else b""
        if self.held:
            data = data[:-1]
        self.out.write(console_text(data))
        self.out.flush()


class NoAnswer(TimeoutError):
    """The board did not answer in time; says what it printed last."""

    def __init__(self, name, waiting_for, seen):
        tail = seen[-400:].decode("utf-8", "replace")
        super().__init__("%s did not answer within the time allowed (waiting for %r); "
                         "its last console output:\n%s" % (name, waiting_for, tail))


class Console:
    """A byte stream to a board's console, with reads that wait for a marker."""

    def __init__(self, sock, name="board"):
        self.sock = sock
        self.name = name
        self.pending = b""
        self.seen = b""     # everything received, for error messages

    def write(self, data):
        self.sock.sendall(data)

    def _receive(self, timeout):
        ready, _, _ = select.select([self.sock], [], [], max(timeout, 0))
        if not ready:
            return False
        data = self.sock.recv(4096)
        if not data:
            raise ConnectionError("%s closed its console; last output:\n%s"
                                  % (self.name, self.seen[-400:].decode("utf-8", "replace")))
        self.pending += data
        self.seen = (self.seen + data)[-8192:]
        return True

    def read_until(self, marker, timeout, on_data=None):
        """Reads up to and including marker; streams what comes to on_data."""
        deadline = time.monotonic() + timeout
        streamed = []  # what went to on_data already: part of what is read
        while marker not in self.pending:
            if on_data and self.pending:
                keep = len(marker) - 1
                out, self.pending = self.pending[:-keep or None], self.pending[-keep:] if keep else b""
                if out:
                    on_data(out)
                    streamed.append(out)
            left = deadline - time.monotonic()
            if left <= 0:
                raise NoAnswer(self.name, marker, self.seen)
            self._receive(min(left, 0.5))
        data, _, self.pending = self.pending.partition(marker)
        if on_data and data:
            on_data(data)
        return b"".join(streamed) + data + marker

    def wait_for_prompt(self, timeout=30):
        """Interrupts whatever runs until the friendly REPL shows its prompt,
        then makes sure no answer to an earlier poke is still on its way:
        afterwards the next thing the board prints answers the next input."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.write(b"\r" + CTRL_B + CTRL_C)
            try:
                self.read_until(b">>> ", timeout=1)
            except NoAnswer:
                continue
            # The product is not in the line typed, only in the answer.
            self.write(b"print(12345 * 6789)\r")
            self.read_until(b"83810205", timeout=max(deadline - time.monotonic(), 1))
            self.read_until(b">>> ", timeout=max(deadline - time.monotonic(), 1))
            return
        raise NoAnswer(self.name, b">>> ", self.seen)

    def enter_raw(self, timeout=30):
        self.wait_for_prompt(timeout)
        self.write(CTRL_A)
        self.read_until(RAW_PROMPT, timeout=10)

    def exec_raw(self, code, timeout=120, on_output=None):
        """Runs code in raw-paste mode; returns (output, error text)."""
        self.start_raw(code, timeout)
        return self.finish_raw(timeout, on_output)

    def start_raw(self, code, timeout=120):
        """Sends code in raw-paste mode; returns once the board has read it
        all (it runs from then on: a script that resets the board never
        finishes)."""
        if isinstance(code, str):
            code = code.encode()
        self.write(CTRL_E + b"A" + CTRL_A)
        self.read_until(b"R", timeout=10)
        if self._read_exact(1, timeout=10) != b"\x01":
            raise RuntimeError("%s does not support raw-paste mode" % self.name)
        window = struct.unpack("<H", self._read_exact(2, timeout=10))[0]
        remain = window
        sent = 0
        abrupt = False  # the board stopped reading: it found an error already
        while sent < len(code) and not abrupt:
            while remain == 0 or self.pending or self._receive(0):
                flow = self._read_exact(1, timeout=timeout)
                if flow == CTRL_A:
                    remain += window
                elif flow == CTRL_D:
                    abrupt = True
                    break
            if not abrupt:
                chunk = code[sent:sent + remain]
                self.write(chunk)
                sent += len(chunk)
                remain -= len(chunk)
        self.write(CTRL_D)
        if not abrupt:
            self.read_until(CTRL_D, timeout=timeout)

    def finish_raw(self, timeout=120, on_output=None):
        """Waits for the script start_raw sent; returns (output, error text)."""
        output = self.read_until(CTRL_D, timeout=timeout, on_data=on_output)[:-1]
        error = self.read_until(CTRL_D, timeout=timeout)[:-1]
        self.read_until(b">", timeout=timeout)
        return output, error

    def _read_exact(self, count, timeout):
        deadline = time.monotonic() + timeout
        while len(self.pending) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                raise NoAnswer(self.name, "%d bytes" % count, self.seen)
            self._receive(min(left, 0.5))
        data, self.pending = self.pending[:count], self.pending[count:]
        return data
