/*
 * Interrupts and the main loop sharing one pool (issue 12, item 9), on a Cortex-M under QEMU.
 *
 * The main loop allocates and frees blocks of `shared_pool` at random, as fast as it can; the
 * SysTick interrupt, raised at a pseudo-random period of 150 to 661 cycles, allocates a block and
 * then frees the one it allocated two interrupts earlier; together they want more blocks than the
 * pool has, so allocations fail on both sides too. Every block is filled with a pattern unique
 * to its allocation when it is handed out and checked before it is freed, and an owner map
 * catches a block handed out twice. After INTERRUPTS_WANTED interrupts SysTick stops and the
 * counters are checked against what both sides counted: used blocks, free blocks, failed
 * allocations, the peak; then every block is allocated once more, they must be distinct, and all
 * are freed again.
 *
 * Built twice (tests/interrupts/BUILD): with VERA_LOCK_CORTEX_M_PRIMASK, where every check must
 * hold (exit 0), and with no lock, where the same checks must catch the races (exit 1): the test
 * bites. A CPU exception reports FAIL and exits 5 (bench/firmware/startup.S).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "veralloc/lock.h"
#include "veralloc/pool.h"

#define INTERRUPTS_WANTED 100000u
#define BLOCK_BYTES 32u
#define BLOCK_COUNT 8u
#define MAIN_HOLDS 7u      /* blocks the main loop holds at most */
#define INTERRUPT_HOLDS 2u /* blocks the interrupt holds across interrupts (3 while it runs):
                            * together more than the pool has, so both sides see failures */
#define WORDS_PER_BLOCK (VERA_POOL_ROUNDED_BLOCK_SIZE(BLOCK_BYTES) / sizeof(uint32_t))

VERA_POOL_DEFINE(shared_pool, BLOCK_BYTES, BLOCK_COUNT);

/* System control registers of every Cortex-M (ARMv7-M / ARMv8-M). */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)
#define SYSTICK_VECTOR 15u

/* What each side saw, for the final accounting. The interrupt writes only its own counters. */
static volatile uint32_t interrupts;
static volatile uint32_t interrupt_allocations;
static volatile uint32_t interrupt_failures;
static volatile uint32_t interrupt_errors; /* pattern, owner or free-status failures seen there */
static uint32_t main_allocations;
static uint32_t main_failures;
static uint32_t main_errors;
static uint32_t checked_blocks;

/* Who holds each block: 0 nobody, 1 the main loop, 2 the interrupt. */
static volatile uint8_t owner[BLOCK_COUNT];

typedef struct held {
    uint32_t *block;
    uint32_t tag;
} held_t;

static held_t main_held[MAIN_HOLDS];
static uint32_t main_held_count;
static held_t interrupt_held[INTERRUPT_HOLDS];
static uint32_t interrupt_held_next;
static uint32_t interrupt_random = 0x2545F491u;
static uint32_t main_random = 0x9E3779B9u;

static uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state; /* xorshift32 */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

static void fail(const char *what, uint32_t value)
{
    bench_print("FAIL ");
    bench_print(what);
    bench_print(" ");
    bench_print_unsigned(value);
    bench_print_line_end();
}

/* The block's index in the pool, or BLOCK_COUNT if it is not a block start of the pool. */
static uint32_t block_index(const uint32_t *block)
{
    uintptr_t offset = (uintptr_t)block - (uintptr_t)shared_pool_blocks.bytes;
    size_t size = vera_pool_block_size(&shared_pool);

    if (offset >= sizeof shared_pool_blocks.bytes || (offset % size) != 0u) {
        return BLOCK_COUNT;
    }
    return (uint32_t)(offset / size);
}

/* Takes a freshly allocated block for `who`; returns false if it is not a free block start. */
static bool take(uint32_t *block, uint32_t tag, uint8_t who)
{
    uint32_t index = block_index(block);
    uint32_t word;

    if (index >= BLOCK_COUNT || owner[index] != 0u) {
        return false;
    }
    owner[index] = who;
    for (word = 0u; word < WORDS_PER_BLOCK; word++) {
        block[word] = tag ^ (word * 0x01000193u);
    }
    return true;
}

/* Checks the pattern and ownership of a held block, gives it up and frees it. */
static bool give_back(const held_t *held, uint8_t who)
{
    uint32_t index = block_index(held->block);
    uint32_t word;
    bool intact = index < BLOCK_COUNT && owner[index] == who;

    for (word = 0u; word < WORDS_PER_BLOCK; word++) {
        if (held->block[word] != (held->tag ^ (word * 0x01000193u))) {
            intact = false;
        }
    }
    if (index < BLOCK_COUNT && owner[index] == who) {
        owner[index] = 0u;
    }
    return vera_pool_free(&shared_pool, held->block) == VERA_OK && intact;
}

void interrupt_firmware_systick_handler(void);
void interrupt_firmware_systick_handler(void)
{
    held_t *slot = &interrupt_held[interrupt_held_next];
    held_t fresh = {NULL, 0x80000000u | interrupts};
    uint32_t *block = vera_pool_alloc(&shared_pool); /* before the old one is freed: may fail */

    interrupt_held_next = (interrupt_held_next + 1u) % INTERRUPT_HOLDS;
    if (block == NULL) {
        interrupt_failures++;
    } else {
        interrupt_allocations++;
        if (take(block, fresh.tag, 2u)) {
            fresh.block = block;
        } else {
            interrupt_errors++;
        }
    }
    if (slot->block != NULL && !give_back(slot, 2u)) {
        interrupt_errors++;
    }
    *slot = fresh;
    /* The next period: 150 to 661 cycles, so that the interrupt lands on every instruction of
     * alloc and free over the run. Takes effect at the next reload. */
    SYST_RVR = 150u + (next_random(&interrupt_random) & 511u);
    interrupts++;
}

/* A copy of the vector table in RAM with our SysTick handler, installed through VTOR (the boot
 * code's table routes SysTick to its exception report). 128 entries, aligned for any board. */
static uint32_t vectors[128] __attribute__((aligned(512)));

static void start_systick(void)
{
    const uint32_t *boot_vectors = (const uint32_t *)SCB_VTOR;
    uint32_t entry;

    for (entry = 0u; entry < 16u; entry++) {
        vectors[entry] = boot_vectors[entry];
    }
    vectors[SYSTICK_VECTOR] = (uint32_t)(uintptr_t)&interrupt_firmware_systick_handler;
    __asm__ volatile("dsb" : : : "memory");
    SCB_VTOR = (uint32_t)(uintptr_t)vectors;
    __asm__ volatile("dsb\n\tisb" : : : "memory");
    SYST_RVR = 400u;
    SYST_CVR = 0u;
    SYST_CSR = 7u; /* enable, interrupt, processor clock */
}

static void stop_systick(void)
{
    SYST_CSR = 0u;
    __asm__ volatile("dsb\n\tisb" : : : "memory");
}

static void main_step(void)
{
    uint32_t choice = next_random(&main_random);

    if (main_held_count < MAIN_HOLDS && (main_held_count == 0u || (choice & 1u) != 0u)) {
        uint32_t *block = vera_pool_alloc(&shared_pool);
        if (block == NULL) {
            main_failures++;
            return;
        }
        main_allocations++;
        main_held[main_held_count].tag = main_allocations;
        if (take(block, main_allocations, 1u)) {
            main_held[main_held_count].block = block;
            main_held_count++;
        } else {
            main_errors++;
        }
    } else {
        uint32_t which = (choice >> 1) % main_held_count;
        if (!give_back(&main_held[which], 1u)) {
            main_errors++;
        }
        checked_blocks++;
        main_held_count--;
        main_held[which] = main_held[main_held_count];
    }
}

static int check(bool condition, const char *what, uint32_t value)
{
    if (!condition) {
        fail(what, value);
        return 1;
    }
    return 0;
}

/* After the run: the counters agree with both sides, then every block is there exactly once. */
static int final_accounting(void)
{
    uint32_t *all[BLOCK_COUNT];
    uint32_t held = main_held_count;
    uint32_t slot;
    uint32_t index;
    int failures = 0;

    for (slot = 0u; slot < INTERRUPT_HOLDS; slot++) {
        held += (interrupt_held[slot].block != NULL) ? 1u : 0u;
    }
    failures += check(interrupt_errors == 0u, "blocks the interrupt found corrupted or shared",
                      interrupt_errors);
    failures += check(main_errors == 0u, "blocks the main loop found corrupted or shared", main_errors);
    failures += check(vera_pool_blocks_used(&shared_pool) == held, "used blocks, pool vs held",
                      (uint32_t)vera_pool_blocks_used(&shared_pool));
    failures += check(vera_pool_blocks_free(&shared_pool) == BLOCK_COUNT - held,
                      "free blocks", (uint32_t)vera_pool_blocks_free(&shared_pool));
    failures += check(vera_pool_failed_requests(&shared_pool) == main_failures + interrupt_failures,
                      "failed allocations, pool vs counted",
                      (uint32_t)vera_pool_failed_requests(&shared_pool));
    failures += check(vera_pool_peak_used(&shared_pool) <= BLOCK_COUNT, "peak",
                      (uint32_t)vera_pool_peak_used(&shared_pool));

    /* Give everything back, checking each block, then take every block once. */
    while (main_held_count > 0u) {
        main_held_count--;
        failures += check(give_back(&main_held[main_held_count], 1u), "final free (main)", main_held_count);
    }
    for (slot = 0u; slot < INTERRUPT_HOLDS; slot++) {
        if (interrupt_held[slot].block != NULL) {
            failures += check(give_back(&interrupt_held[slot], 2u), "final free (interrupt)", slot);
        }
    }
    failures += check(vera_pool_blocks_used(&shared_pool) == 0u, "used blocks after freeing all",
                      (uint32_t)vera_pool_blocks_used(&shared_pool));
    for (index = 0u; index < BLOCK_COUNT; index++) {
        all[index] = vera_pool_alloc(&shared_pool);
        failures += check(all[index] != NULL && take(all[index], index, 1u),
                          "block missing or handed out twice at the end", index);
        if (all[index] == NULL) {
            break;
        }
    }
    failures += check(vera_pool_alloc(&shared_pool) == NULL, "more blocks than the pool has", 0u);
    for (index = 0u; index < BLOCK_COUNT && all[index] != NULL; index++) {
        held_t block = {all[index], index};
        failures += check(give_back(&block, 1u), "free at the end", index);
    }
    return failures;
}

void bench_report_exception(uint32_t exception_number)
{
    fail("CPU exception", exception_number);
    bench_exit(5);
}

int bench_main(void)
{
    int failures;

    bench_print(VERA_LOCK == VERA_LOCK_CORTEX_M_PRIMASK ? "lock: PRIMASK" : "lock: none");
    bench_print_line_end();
    if (VERA_POOL_INIT(shared_pool) != VERA_OK) {
        fail("pool init", 0u);
        return 1;
    }
    start_systick();
    while (interrupts < INTERRUPTS_WANTED) {
        main_step();
    }
    stop_systick();
    failures = final_accounting();

    bench_print("interrupts ");
    bench_print_unsigned(interrupts);
    bench_print(" interrupt_allocations ");
    bench_print_unsigned(interrupt_allocations);
    bench_print(" interrupt_failures ");
    bench_print_unsigned(interrupt_failures);
    bench_print(" main_allocations ");
    bench_print_unsigned(main_allocations);
    bench_print(" main_failures ");
    bench_print_unsigned(main_failures);
    bench_print(" checked_blocks ");
    bench_print_unsigned(checked_blocks);
    bench_print(" peak ");
    bench_print_unsigned((uint32_t)vera_pool_peak_used(&shared_pool));
    bench_print_line_end();
    if (failures != 0) {
        return 1;
    }
    bench_print("PASS");
    bench_print_line_end();
    return 0;
}
