#include "fuzz/support/fuzz_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void vera_fuzz_fail(const char *file, int line, const char *condition, const char *format, ...)
{
    va_list arguments;
    fprintf(stderr, "%s:%d: CHECK failed: %s: ", file, line, condition);
    va_start(arguments, format);
    vfprintf(stderr, format, arguments);
    va_end(arguments);
    fputc('\n', stderr);
    fflush(stderr);
    abort();
}

bool vera_fuzz_tracing(void)
{
    static int tracing = -1;
    if (tracing < 0) {
        const char *setting = getenv("VERA_FUZZ_TRACE");
        tracing = setting != NULL && setting[0] != '\0' && !(setting[0] == '0' && setting[1] == '\0');
    }
    return tracing != 0;
}

void vera_fuzz_trace(const char *format, ...)
{
    va_list arguments;
    if (!vera_fuzz_tracing()) {
        return;
    }
    va_start(arguments, format);
    vfprintf(stderr, format, arguments);
    va_end(arguments);
}
