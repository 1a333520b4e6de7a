/* The frozen image (see image.c), linked in as read-only data. */
    .section .rodata.image, "a"
    .balign 4
    .global image_start
image_start:
    .incbin IMAGE_PATH

#if defined(__linux__)
    /* No executable stack wanted: say so, or the linker assumes one. */
    .section .note.GNU-stack, "", %progbits
#endif
