/*
 * The fuzz harnesses' oracle: VERA_FUZZ_CHECK reports a broken expectation and aborts, which is
 * what libFuzzer (and the plain replay driver, and a Bazel test) treat as a finding.
 *
 * VERA_FUZZ_TRACE=1 in the environment prints every decoded operation, to read a reproducer.
 */
#ifndef VERALLOC_FUZZ_CHECK_H
#define VERALLOC_FUZZ_CHECK_H

#include <stdbool.h>

/* Prints "file:line: CHECK failed: condition: message" to stderr and aborts. */
void vera_fuzz_fail(const char *file, int line, const char *condition, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((noreturn, format(printf, 4, 5)))
#endif
    ;

#define VERA_FUZZ_CHECK(condition, ...)                                                            \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            vera_fuzz_fail(__FILE__, __LINE__, #condition, __VA_ARGS__);                          \
        }                                                                                          \
    } while (0)

/* True when VERA_FUZZ_TRACE is set to a non-empty value other than "0" (read once). */
bool vera_fuzz_tracing(void);

/* printf to stderr when tracing, nothing otherwise. */
void vera_fuzz_trace(const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif /* VERALLOC_FUZZ_CHECK_H */
