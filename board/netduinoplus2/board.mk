# Netduino Plus 2: an STM32F405RG (Cortex-M4F, up to 168 MHz), the MCU of
# pyboard-class boards. QEMU models its USARTs and SysTick; the same image
# flashes to the real board.
BOARD_ARCH = cortex-m
BOARD_CFLAGS = -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard
BOARD_DRIVERS = stm32_clock stm32_usart stm32_iwdg systick_timers
BOARD_GCHELPER = gchelper_thumb2.s
BOARD_QEMU_MACHINE = netduinoplus2
BOARD_QEMU_FLAGS =
BOARD_QEMU_SERIALS = 3
# How `make flash` writes the image: st-flash over an ST-Link probe.
BOARD_FLASH = stlink
BOARD_FLASH_ADDRESS = 0x08000000
