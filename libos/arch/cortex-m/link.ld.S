/* Linker script for every Cortex-M board, preprocessed with the board's
   board.h so that the memory map is written down once, there.

   flash: vectors | .text | .rodata (the frozen image is in it) | .data's load copy
   RAM:   .noinit (first: the reset record's address never moves) | .data |
          .bss | heap | stack (grows down from the top) */
#include "board.h"

MEMORY
{
    FLASH (rx) : ORIGIN = BOARD_FLASH_ORIGIN, LENGTH = BOARD_FLASH_BYTES
    RAM (rwx)  : ORIGIN = BOARD_RAM_ORIGIN, LENGTH = BOARD_RAM_BYTES
}

ENTRY(Reset_Handler)

SECTIONS
{
    .text : {
        KEEP(*(.vectors))
        *(.text*)
        *(.rodata*)
        . = ALIGN(4);
    } > FLASH

    .ARM.exidx : { *(.ARM.exidx*) } > FLASH

    .noinit (NOLOAD) : {
        *(.noinit*)
        . = ALIGN(8);
    } > RAM

    .data : {
        _sdata = .;
        *(.data*)
        . = ALIGN(4);
        _edata = .;
    } > RAM AT > FLASH
    _sidata = LOADADDR(.data);

    .bss (NOLOAD) : {
        _sbss = .;
        *(.bss*)
        *(COMMON)
        . = ALIGN(8);
        _ebss = .;
    } > RAM

    _sheap = _ebss;
    _estack = ORIGIN(RAM) + LENGTH(RAM);
    _sstack = _estack - BOARD_STACK_BYTES;
#if BOARD_HEAP_BYTES
    _eheap = _sheap + BOARD_HEAP_BYTES;
#else
    _eheap = _sstack;
#endif
    ASSERT(_eheap <= _sstack, "heap and stack do not fit in RAM")
}
