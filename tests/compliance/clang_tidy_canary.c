/*
 * Not part of veralloc: one known defect per required clang-tidy family, which
 * tools/clang_tidy_check.sh must see reported before it trusts a clean run on the real sources.
 */
long clang_tidy_canary_cert(void);
int clang_tidy_canary_bugprone(int value);
int clang_tidy_canary_analyzer(int value);

/* cert-dcl16-c: lowercase `l` suffix, easily read as the digit 1. */
long clang_tidy_canary_cert(void)
{
    return 1l;
}

/* bugprone-branch-clone: both branches do the same thing. */
int clang_tidy_canary_bugprone(int value)
{
    int result;
    if (value > 0) {
        result = 1;
    } else {
        result = 1;
    }
    return result;
}

/* clang-analyzer-core.DivideZero: the divisor is zero on every path. */
int clang_tidy_canary_analyzer(int value)
{
    int divisor = 0;
    return value / divisor;
}
