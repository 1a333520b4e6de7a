# The LibOS over Linux: the firmware as a native executable. Console on
# stdin/stdout; signals stand in for interrupts, POSIX timers for hardware
# timers, socket pairs and ptys for UARTs.
BOARD_ARCH = posix
BOARD_CFLAGS =
BOARD_DRIVERS =
BOARD_GCHELPER =
BOARD_QEMU_MACHINE =
BOARD_FLASH =
