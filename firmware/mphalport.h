// MicroPython's hardware abstraction, all of it through libos.
#ifndef FIRMWARE_MPHALPORT_H
#define FIRMWARE_MPHALPORT_H

#include "libos/clock.h"

// The core has no pins of ours to drive (defining this keeps py/mphal.h
// from including extmod/virtpin.h, which the pinned core lacks).
#define mp_hal_pin_obj_t void *

static inline mp_uint_t mp_hal_ticks_ms(void) {
    return ticks_ms();
}

static inline mp_uint_t mp_hal_ticks_us(void) {
    return ticks_us();
}

static inline mp_uint_t mp_hal_ticks_cpu(void) {
    return ticks_us();
}

void mp_hal_set_interrupt_char(int c);

#endif
