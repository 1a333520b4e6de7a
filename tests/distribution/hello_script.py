# Two UART links settled by HELLO (as two boards wired UART to UART,
# runtime/dist/wire.py) over uart1 and uart2, which the target wires to
# each other: which side numbers its channels how, channels opened from
# both sides at once, channel numbers used again once free, and a peer
# that starts again (a new session): the channels it had end here.
# Run after link_script.py (test_uart_link.py joins them): its echo and
# echoed serve here too.


async def quiet_echo_side(link):
    link.listen()
    while True:
        message = await receive(("accepted", runtime.ANY))
        message[1].give(spawn(echo, message[1]))


async def main():
    one = uart_link.start(1, None, b"b@wire")
    two = uart_link.start(2, None, b"a@wire")
    spawn(quiet_echo_side, one)
    spawn(quiet_echo_side, two)
    while not (one.settled() and two.settled()):
        await runtime.sleep(10)
    print("b opens", "odd" if one.next_number % 2 else "even",
          "a opens", "odd" if two.next_number % 2 else "even")
    both = [one.open(b"from b"), two.open(b"from a")]
    for channel in both:
        print(channel.purpose, await echoed(channel, b"echo " + channel.purpose))
    for _ in range(200):
        extra = two.open(b"short-lived")
        extra.close()
        await runtime.sleep(0)
    print("200 more opened and closed; a new one", await echoed(two.open(b"new"), b"works"))
    # b starts again: a new session, and its HELLO says so.
    one.session += 1
    uart_link._say_hello(one, one.writer, False)
    try:
        await both[1].read_exactly(1, READ_MS)
        print("a's channel after b started again: open")
    except Closed:
        print("a's channel after b started again: ended")
