/*
 * Tests of the harness helpers themselves: the checks the fuzz targets rely on must fail when they
 * should. Each expected failure runs in a child process (fork) that must die with the helper's
 * message (or ASan's report) on stderr; the expected successes run in the parent.
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz/support/fuzz_check.h"
#include "fuzz/support/fuzz_input.h"
#include "fuzz/support/fuzz_memory.h"

static int failures;

#define EXPECT(condition)                                                                          \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            failures++;                                                                            \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #condition);              \
        }                                                                                          \
    } while (0)

static unsigned char region[1024];
static vera_fuzz_tracker_t tracker;

/* Runs `scenario` in a child; it must not return normally, and its stderr must contain `message`. */
static void expect_death(const char *name, void (*scenario)(void), const char *message)
{
    int pipe_ends[2];
    char output[4096];
    size_t length = 0u;
    int status;
    pid_t child;

    fflush(NULL);
    if (pipe(pipe_ends) != 0) {
        perror("pipe");
        exit(2);
    }
    child = fork();
    if (child == 0) {
        close(pipe_ends[0]);
        dup2(pipe_ends[1], 2);
        scenario();
        _exit(0); /* survived: the check did not fire */
    }
    close(pipe_ends[1]);
    for (;;) {
        ssize_t got = read(pipe_ends[0], output + length, sizeof output - 1u - length);
        if (got <= 0) {
            break;
        }
        length += (size_t)got;
    }
    output[length] = '\0';
    close(pipe_ends[0]);
    waitpid(child, &status, 0);
    if ((WIFEXITED(status) && WEXITSTATUS(status) == 0) || strstr(output, message) == NULL) {
        failures++;
        fprintf(stderr, "FAIL %s: expected a failure mentioning \"%s\", got status %d and:\n%s\n", name, message,
                status, output);
    } else {
        printf("PASS %s\n", name);
    }
}

static void add_overlapping(void)
{
    vera_fuzz_tracker_reset(&tracker, region, sizeof region);
    (void)vera_fuzz_tracker_add(&tracker, region + 32, 32);
    (void)vera_fuzz_tracker_add(&tracker, region + 63, 8);
}

static void add_outside(void)
{
    vera_fuzz_tracker_reset(&tracker, region, 512);
    (void)vera_fuzz_tracker_add(&tracker, region + 500, 13);
}

static void corrupt_block(void)
{
    vera_fuzz_tracker_reset(&tracker, region, sizeof region);
    (void)vera_fuzz_tracker_add(&tracker, region, 300);
    region[299] ^= 1u;
    vera_fuzz_tracker_verify_all(&tracker);
}

static void write_outside_blocks(void)
{
    memset(region, 0xAB, sizeof region);
    vera_fuzz_tracker_reset(&tracker, region, sizeof region);
    (void)vera_fuzz_tracker_add(&tracker, region + 16, 16);
    region[32] = 0u; /* just past the block */
    vera_fuzz_tracker_verify_unowned(&tracker, 0xAB);
}

static void write_poisoned(void)
{
    volatile unsigned char *bytes = region;
    vera_fuzz_poison(region + 64, 64);
    bytes[64 + (unsigned)getpid() % 8u] = 1u;
}

static void failed_check(void)
{
    VERA_FUZZ_CHECK(1 + 1 == 3, "arithmetic is %s", "broken");
}

static void test_tracker_accepts_valid_use(void)
{
    memset(region, 0xAB, sizeof region);
    vera_fuzz_tracker_reset(&tracker, region, sizeof region);
    (void)vera_fuzz_tracker_add(&tracker, region, 16);
    (void)vera_fuzz_tracker_add(&tracker, region + 16, 16); /* adjacent, not overlapping */
    (void)vera_fuzz_tracker_add(&tracker, region + 1000, 24); /* ends exactly at the region's end */
    EXPECT(tracker.block_count == 3u);
    EXPECT(region[0] != region[16] || region[1] != region[17]); /* blocks get different patterns */
    vera_fuzz_tracker_verify_all(&tracker);
    vera_fuzz_tracker_remove(&tracker, 0u);
    EXPECT(tracker.block_count == 2u);
    (void)vera_fuzz_tracker_add(&tracker, region + 8, 8); /* inside the removed block */
    vera_fuzz_tracker_verify_all(&tracker);
    memset(region, 0xAB, 8); /* the rest of the removed block is unowned again */
    vera_fuzz_tracker_verify_unowned(&tracker, 0xAB);
    printf("PASS test_tracker_accepts_valid_use\n");
}

static void test_input_decoding(void)
{
    static const uint8_t bytes[] = {0x34, 0x12, 4u, 0u, 4u, 255u, 3u, 0u, 3u, 255u};
    vera_fuzz_input_t input;

    vera_fuzz_input_init(&input, bytes, 2u);
    EXPECT(vera_fuzz_take_u16(&input) == 0x1234u);
    EXPECT(vera_fuzz_input_exhausted(&input));
    EXPECT(vera_fuzz_take_u64(&input) == 0u); /* exhausted: zeros */

    vera_fuzz_input_init(&input, bytes + 2, sizeof bytes - 2u);
    EXPECT(vera_fuzz_take_size(&input, 0u) == SIZE_MAX);       /* class 4, 0 below SIZE_MAX */
    EXPECT(vera_fuzz_take_size(&input, 0u) == SIZE_MAX - 255u); /* class 4, 255 below */
    EXPECT(vera_fuzz_take_size(&input, 100u) == 0u);            /* class 3: 100 - 128, clamped */
    EXPECT(vera_fuzz_take_size(&input, SIZE_MAX) == SIZE_MAX);  /* class 3: SIZE_MAX + 127, clamped */
    EXPECT(vera_fuzz_input_exhausted(&input));
    printf("PASS test_input_decoding\n");
}

int main(void)
{
    test_tracker_accepts_valid_use();
    test_input_decoding();
    expect_death("check_aborts", failed_check, "CHECK failed: 1 + 1 == 3: arithmetic is broken");
    expect_death("overlap_detected", add_overlapping, "overlaps live block #0");
    expect_death("outside_region_detected", add_outside, "is not inside the region");
    expect_death("corruption_detected", corrupt_block, "corrupted at its byte 299");
    expect_death("stray_write_detected", write_outside_blocks, "byte 32 of the region, owned by no block, was written");
    if (vera_fuzz_poisoning_enabled()) {
        expect_death("poisoned_write_detected", write_poisoned, "use-after-poison");
    } else {
        printf("SKIP poisoned_write_detected: built without ASan\n");
    }
    printf("%s\n", failures == 0 ? "all harness helper checks behave" : "FAILED");
    return failures == 0 ? 0 : 1;
}
