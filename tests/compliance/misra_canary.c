/*
 * Not part of veralloc: a file with a known MISRA C:2012 violation (rule 15.1, goto), which
 * tools/misra_check.py must see reported before it trusts an empty report on the real sources.
 */
int misra_canary(int value);

int misra_canary(int value)
{
    int result = value;
    if (value > 0) {
        goto done;
    }
    result = -value;
done:
    return result;
}
