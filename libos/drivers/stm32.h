// STM32F4 registers shared by the STM32 drivers (RM0090), and the clocks the
// clock setup arrived at.
#ifndef LIBOS_STM32_H
#define LIBOS_STM32_H

#include "board.h"
#include "libos/arch/cortex-m/cortex_m.h"

#define RCC_CR       REG32(BOARD_RCC_BASE + 0x00)
#define RCC_PLLCFGR  REG32(BOARD_RCC_BASE + 0x04)
#define RCC_CFGR     REG32(BOARD_RCC_BASE + 0x08)
#define RCC_AHB1ENR  REG32(BOARD_RCC_BASE + 0x30)
#define RCC_APB1ENR  REG32(BOARD_RCC_BASE + 0x40)
#define RCC_APB2ENR  REG32(BOARD_RCC_BASE + 0x44)
#define RCC_CSR      REG32(BOARD_RCC_BASE + 0x74)
#define FLASH_ACR    REG32(0x40023C00u)

// Bus clocks in Hz, set by hw_board_init().
extern uint32_t stm32_apb1_hz;
extern uint32_t stm32_apb2_hz;

#endif
