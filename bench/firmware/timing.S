/*
 * The timing window, written in assembly so that it is the same fixed instruction sequence for
 * every measured call: the compiler cannot move other work into it.
 *
 * uint32_t bench_timed_call(const bench_call_t *call, uintptr_t *result)
 *
 *   Loads the call's three arguments into r0-r2, reads the SysTick current value, calls the
 *   function, reads the SysTick current value again, stores the function's r0 into *result and
 *   returns the SysTick ticks that elapsed between the two reads (SysTick counts down, 24 bits,
 *   so the difference is taken modulo 2^24).
 *
 *   Between the two reads QEMU executes the `blx`, every instruction of the called function up to
 *   and including its return, and the second `ldr`. The fixed part (everything but the function
 *   itself) is measured in every run by timing bench_empty_function, whose body is exactly one
 *   instruction (`bx lr`); bench/runner/measure.py subtracts it.
 *
 * bench_call_t layout (bench/firmware/bench.h): function address, then arguments[0..2].
 */
    .syntax unified
    .thumb

    .equ SYSTICK_CURRENT_VALUE, 0xE000E018

    .text

    .thumb_func
    .global bench_timed_call
    .type bench_timed_call, %function
bench_timed_call:
    push {r4, r5, r6, r7, r8, lr}   /* six registers: the stack stays 8-byte aligned */
    mov r8, r1                      /* where the function's result goes */
    ldr r5, =SYSTICK_CURRENT_VALUE
    ldr r6, [r0, #0]                /* function */
    ldr r1, [r0, #8]                /* arguments[1] */
    ldr r2, [r0, #12]               /* arguments[2] */
    ldr r0, [r0, #4]                /* arguments[0] */
    ldr r7, [r5]                    /* start of the window */
    blx r6
    ldr r1, [r5]                    /* end of the window */
    str r0, [r8]
    subs r0, r7, r1                 /* the counter counts down */
    bic r0, r0, #0xFF000000         /* modulo 2^24 */
    pop {r4, r5, r6, r7, r8, pc}
    .size bench_timed_call, . - bench_timed_call

/* The reference for the window's fixed cost: a function of exactly one instruction. */
    .thumb_func
    .global bench_empty_function
    .type bench_empty_function, %function
bench_empty_function:
    bx lr
    .size bench_empty_function, . - bench_empty_function

/*
 * Known instruction sequences for the harness's own test: bench_nops_N executes N `nop`s and its
 * `bx lr`, N + 1 instructions in all, so the harness must measure exactly N + 1 for it.
 */
    .macro nop_function count
    .thumb_func
    .global bench_nops_\count
    .type bench_nops_\count, %function
bench_nops_\count:
    .rept \count
    nop
    .endr
    bx lr
    .size bench_nops_\count, . - bench_nops_\count
    .endm

    nop_function 1
    nop_function 2
    nop_function 7
    nop_function 100
    nop_function 1000

    .pool
