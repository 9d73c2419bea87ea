/*
 * Bare-metal start-up for the benchmark firmware (Cortex-M3/M4/M7/M33, Thumb-2).
 *
 * The vector table holds the initial stack pointer and the reset handler; every exception is
 * routed to one handler that reports the fault through semihosting and stops QEMU with a non-zero
 * exit status, so a crashing benchmark can never look like a passing one. The reset handler
 * copies .data from its load address, clears .bss, runs bench_main() and exits with its result.
 * Section and symbol names come from the board's linker script (bench/firmware/linker/).
 */
    .syntax unified
    .thumb

    .section .vectors, "a", %progbits
    .align 2
    .global bench_vector_table
bench_vector_table:
    .word __stack_top
    .word bench_reset_handler
    .word bench_exception_handler   /* NMI */
    .word bench_exception_handler   /* HardFault */
    .word bench_exception_handler   /* MemManage */
    .word bench_exception_handler   /* BusFault */
    .word bench_exception_handler   /* UsageFault */
    .word bench_exception_handler   /* SecureFault (ARMv8-M), reserved before */
    .word 0
    .word 0
    .word 0
    .word bench_exception_handler   /* SVCall */
    .word bench_exception_handler   /* DebugMonitor */
    .word 0
    .word bench_exception_handler   /* PendSV */
    .word bench_exception_handler   /* SysTick: never raised, TICKINT stays 0 */

    .text

    .thumb_func
    .global bench_reset_handler
    .type bench_reset_handler, %function
bench_reset_handler:
    ldr r0, =__data_load_start
    ldr r1, =__data_start
    ldr r2, =__data_end
copy_data:
    cmp r1, r2
    bhs clear_bss
    ldr r3, [r0], #4
    str r3, [r1], #4
    b copy_data
clear_bss:
    ldr r1, =__bss_start
    ldr r2, =__bss_end
    movs r3, #0
clear_bss_word:
    cmp r1, r2
    bhs run_main
    str r3, [r1], #4
    b clear_bss_word
run_main:
    bl bench_main
    bl bench_exit                   /* r0: bench_main's result becomes QEMU's exit status */
    b .
    .size bench_reset_handler, . - bench_reset_handler

    .thumb_func
    .global bench_exception_handler
    .type bench_exception_handler, %function
bench_exception_handler:
    mrs r0, ipsr                    /* which exception: reported by bench_report_exception */
    bl bench_report_exception
    b .
    .size bench_exception_handler, . - bench_exception_handler

/*
 * uintptr_t bench_semihosting_call(uintptr_t operation, uintptr_t argument)
 * The Arm semihosting trap for M-profile: operation in r0, argument in r1, result in r0.
 */
    .thumb_func
    .global bench_semihosting_call
    .type bench_semihosting_call, %function
bench_semihosting_call:
    bkpt 0xab
    bx lr
    .size bench_semihosting_call, . - bench_semihosting_call

    .pool
