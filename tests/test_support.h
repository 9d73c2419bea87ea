/*
 * A minimal unit-test harness: CHECK records a failure and carries on, so one run reports every
 * broken expectation; test_finish prints the totals and gives the process exit status.
 */
#ifndef VERALLOC_TEST_SUPPORT_H
#define VERALLOC_TEST_SUPPORT_H

#include <stdint.h>
#include <stdio.h>

static int test_checks_run;
static int test_checks_failed;

#define CHECK(condition)                                                                           \
    do {                                                                                           \
        test_checks_run++;                                                                         \
        if (!(condition)) {                                                                        \
            test_checks_failed++;                                                                  \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #condition);         \
        }                                                                                          \
    } while (0)

#define RUN_TEST(test_function)                                                                    \
    do {                                                                                           \
        int failed_before = test_checks_failed;                                                    \
        test_function();                                                                           \
        printf("%s %s\n", test_checks_failed == failed_before ? "PASS" : "FAIL", #test_function); \
    } while (0)

static inline int test_finish(void)
{
    printf("%d checks, %d failed\n", test_checks_run, test_checks_failed);
    return (test_checks_run > 0 && test_checks_failed == 0) ? 0 : 1;
}

static inline int test_is_aligned(const void *pointer, uintptr_t alignment)
{
    return ((uintptr_t)pointer % alignment) == 0u;
}

#endif /* VERALLOC_TEST_SUPPORT_H */
