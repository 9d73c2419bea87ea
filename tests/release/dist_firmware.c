/*
 * A small firmware built from the two-file distribution alone (dist/veralloc.h, dist/veralloc.c):
 * what a team that vendors veralloc links into its image. It runs on QEMU's Cortex-M boards,
 * exercises the public API through the two files (the arena, the fixed-block pool and the MiraOS
 * facade in both of its modes, misuse included) on the real target ABI (32-bit pointers, 8-byte
 * alignment), and ends the run through semihosting with the number of failed checks as QEMU's
 * exit status.
 *
 * Only the start-up code and the semihosting output come from the benchmark harness
 * (//bench/firmware:boot); no file of src/ or include/ is an input of this build.
 *
 * One scenario per boot, named on the semihosting command line (the facade holds static state
 * and can be set up only once per boot). Each module's scenarios are in dist_firmware_<module>.c,
 * named in the module's entry of modules.bzl (dist_scenarios), which dist_firmware_scenarios.h
 * is generated from (tests/release/BUILD):
 *   arena          vera_arena_*: every row of the error table, alignment, bounds, disjointness
 *   pool           vera_pool_* over a VERA_POOL_DEFINE pool: every row of the error table,
 *                  alignment, bounds, disjointness, reuse, counters (free divides by the block
 *                  size: on the target, with the core's divide instruction)
 *   mira-buffer    mira_mem_* over MIRA_MEM_SET_BUFFER
 *   mira-callback  mira_mem_* over an allocation callback
 *   broken         one expectation that is deliberately wrong: shows a failing check reaches the
 *                  host as a FAIL line and a non-zero exit status
 * Output: "veralloc VERSION", a line per check ("ok NAME" or "FAIL NAME line N"), then
 * "summary SCENARIO checks=N failed=F". Exit status: 0 if every check passed, 1 if one failed,
 * 2 for an unknown scenario, 5 for a CPU exception.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "dist_firmware_checks.h"
#include "tests/release/dist_firmware_scenarios.h" /* generated (BUILD) */
#include "semihosting.h"
#include "veralloc.h"

/* ---- the program ---------------------------------------------------------------------------- */

static bool names_equal(const char *left, const char *right)
{
    while (*left != '\0' && *left == *right) {
        left++;
        right++;
    }
    return *left == *right;
}

/* Every module's scenarios (dist_firmware_scenarios.h, made from modules.bzl). */
#define DIST_FIRMWARE_ENTRY(name, function) {(name), (function)},
static const struct {
    const char *name;
    void (*run)(void);
} scenarios[] = {DIST_FIRMWARE_SCENARIOS(DIST_FIRMWARE_ENTRY)};

/* Read through a volatile, so the compiler cannot see that the "broken" check fails. */
static volatile int deliberately_one = 1;

int bench_main(void)
{
    static char scenario[64];
    size_t index;

    (void)bench_command_line(scenario, sizeof scenario);
    bench_print("veralloc ");
    bench_print(VERA_VERSION_STRING);
    bench_print_line_end();

    if (names_equal(scenario, "broken")) {
        CHECK("deliberately wrong: 1 + 1 == 3", deliberately_one + 1 == 3);
    } else {
        for (index = 0u; index < sizeof scenarios / sizeof scenarios[0]; index++) {
            if (names_equal(scenario, scenarios[index].name)) {
                scenarios[index].run();
                break;
            }
        }
        if (index == sizeof scenarios / sizeof scenarios[0]) {
            bench_print("error usage: " DIST_FIRMWARE_USAGE "broken");
            bench_print_line_end();
            return 2;
        }
    }
    bench_print("summary ");
    bench_print(scenario);
    bench_print(" checks=");
    bench_print_unsigned(dist_firmware_checks_run());
    bench_print(" failed=");
    bench_print_unsigned(dist_firmware_checks_failed());
    bench_print_line_end();
    return dist_firmware_checks_failed() == 0u ? 0 : 1;
}
