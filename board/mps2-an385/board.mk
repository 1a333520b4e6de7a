# ARM MPS2 FPGA board with application note 385: a Cortex-M3 at 25 MHz with
# CMSDK peripherals. QEMU models it; it is the default board.
BOARD_ARCH = cortex-m
BOARD_CFLAGS = -mcpu=cortex-m3 -mthumb -mfloat-abi=soft
BOARD_DRIVERS = systick_clock cmsdk_uart cmsdk_timer sp804_timer cmsdk_wdt
BOARD_GCHELPER = gchelper_thumb2.s
BOARD_QEMU_MACHINE = mps2-an385
BOARD_QEMU_FLAGS = -m 16M
# How many -serial ports QEMU wires: UART0 is the console, the rest are extra.
BOARD_QEMU_SERIALS = 3
# Boards that only exist in QEMU cannot be flashed.
BOARD_FLASH =
