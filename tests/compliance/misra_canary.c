/*
 * Not part of veralloc: a file with known MISRA C:2012 violations, which tools/misra_check.py
 * must see reported before it trusts an empty report on the real sources: rule 15.1 (goto), and
 * rules 20.7 and 20.10 on the same #define (the parameter is pasted with ## right after a type
 * name), both reported at the #define's line and column: cppcheck would drop the second as a
 * duplicate if the gate did not make the addon's messages differ per rule.
 */
#define MISRA_CANARY_DECLARE(name) static int name##_pasted

int misra_canary(int value);

MISRA_CANARY_DECLARE(canary) = 1;

int misra_canary(int value)
{
    int result = value;
    if (value > 0) {
        goto done;
    }
    result = -value;
done:
    return result + canary_pasted;
}
