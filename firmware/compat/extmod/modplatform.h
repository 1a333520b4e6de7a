// What py/modsys.c and shared/runtime/pyexec.c include from MicroPython's
// extmod/ (not in the pinned core): the platform names for the banner.
#ifndef FIRMWARE_COMPAT_MODPLATFORM_H
#define FIRMWARE_COMPAT_MODPLATFORM_H

#if defined(__GNUC__)
#define MICROPY_PLATFORM_COMPILER "GCC " __VERSION__
#else
#define MICROPY_PLATFORM_COMPILER "unknown compiler"
#endif

#endif
