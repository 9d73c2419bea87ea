#!/usr/bin/env bash
# trace_check_selftest.sh CHECKER WPARGS...
# The traceability gate can fail: a copy of the traced files passes it, and each copy with one
# defect planted is rejected with the message that names that defect. WPARGS: the settings of
# each proof module (//proofs:proof_args), which the recorded proof results must match.
set -uo pipefail
checker=$1
shift
proof_args=("$@")
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/trace-selftest.XXXXXX")
status=0

fresh_tree() { # a writable copy of everything the checker reads
    rm -rf "$work/tree"
    mkdir -p "$work/tree/tests"
    cp -RL include src specs docs fuzz "$work/tree/"
    cp -RL tests/traceability "$work/tree/tests/"
    cp -L tests/*.c tests/*.h "$work/tree/tests/"
    cp -RL tests/libc_shim "$work/tree/tests/" # the libc shim's firmware test (requirements name it)
    chmod -R u+w "$work/tree"
}

run_checker() {
    python3 "$checker" --root "$work/tree" \
        --requirements "$work/tree/docs/requirements.md" "$work/tree/docs/requirements/"*.md \
        --results "$work/tree/tests/traceability/proof_results.json" \
        --proof-args "${proof_args[@]}" "$@" >"$work/output" 2>&1
}

edit() { # edit FILE PYTHON-EXPRESSION-OVER-text: replaces the file's text, fails if unchanged
    python3 - "$work/tree/$1" "$2" <<'PY'
import sys
path, expression = sys.argv[1], sys.argv[2]
text = open(path).read()
new = eval(expression, {"text": text, "re": __import__("re"), "json": __import__("json")})
if new == text:
    sys.exit("selftest: the edit of %s changed nothing: %s" % (path, expression))
open(path, "w").write(new)
PY
}

expect_rejected() { # expect_rejected NAME MESSAGE FILE EXPRESSION [checker options]
    local name=$1 message=$2 file=$3 expression=$4
    shift 4
    fresh_tree
    if ! edit "$file" "$expression"; then
        status=1
        return
    fi
    if run_checker "$@"; then
        echo "FAIL: $name: the gate passed"
        status=1
    elif ! grep -qF -- "$message" "$work/output"; then
        echo "FAIL: $name: rejected, but without '$message':"
        grep FAIL "$work/output" | head -5
        status=1
    else
        echo "PASS: $name: $(grep -m1 -F -- "$message" "$work/output")"
    fi
}

fresh_tree
if run_checker; then
    echo "PASS: the intact copy passes: $(head -1 "$work/output")"
else
    echo "FAIL: the intact copy does not pass:"
    cat "$work/output"
    status=1
fi
if run_checker --no-pending; then
    echo "FAIL: --no-pending passes although requirements are pending"
    status=1
elif grep -q "still pending a proof" "$work/output"; then
    echo "PASS: --no-pending rejects pending requirements"
elif ! grep -q "PENDING" "$work/output" && ! grep -q "FAIL" "$work/output"; then
    echo "PASS: --no-pending: nothing is pending"
else
    echo "FAIL: --no-pending failed for another reason:"
    grep FAIL "$work/output" | head -5
    status=1
fi

REQUIREMENTS=docs/requirements/arena.md
ROW1='text[text.index("| REQ-ARENA-001 |"):text.index("\n", text.index("| REQ-ARENA-001 |"))]'

expect_rejected "behavior removed from the header" "has no behavior misaligned" \
    include/veralloc/arena.h 'text.replace("behavior misaligned:", "behavior not_aligned:", 1)'
expect_rejected "ensures label removed from the header" "has no ensures labelled block_fresh" \
    include/veralloc/arena.h 'text.replace("ensures block_fresh:", "ensures", 1)'
expect_rejected "test function renamed" "no such test function in tests/arena_test.c" \
    tests/arena_test.c 'text.replace("test_init_rejects_null_pointers", "test_init_refuses_null")'
expect_rejected "test no longer run" "defined but never run" \
    tests/arena_test.c 'text.replace("RUN_TEST(test_seal_stops_allocation);", "")'
expect_rejected "fuzz check message changed" "no VERA_FUZZ_CHECK in fuzz/arena_fuzzer.c has that message" \
    fuzz/arena_fuzzer.c 'text.replace("a failed init changed the arena", "init changed something")'
expect_rejected "requirement without a test" "no unit test" \
    "$REQUIREMENTS" 'text.replace("| `arena_test.c:test_init_rejects_null_pointers` |", "| - |", 1)'
expect_rejected "proved requirement without a contract" "marked proved but names no contract" \
    "$REQUIREMENTS" 'text.replace("| `vera_arena_init:null_pointer` |", "| - |", 1)'
expect_rejected "pending requirement marked proved" "marked proved but names no contract" \
    docs/requirements/mira_mem.md 're.sub(r"\| pending: a macro[^|]*\|", "| proved |", text, count=1)'
expect_rejected "frame removed from the source (src/mira_mem.c)" "mira_mem_set_alloc_buffer has no assigns clause" \
    src/mira_mem.c 'text.replace("  assigns mira_mem_state.arena, mira_mem_state.mode,", "  writes mira_mem_state.arena, mira_mem_state.mode,", 1)'
expect_rejected "proof results recorded with other settings than //proofs" "but //proofs:mira_mem_proof proves it with" \
    tests/traceability/proof_results.json '(lambda d: (d["modules"]["mira_mem"].__setitem__("skip", ["mira_mem_call_callback"]), json.dumps(d, indent=1, sort_keys=True))[1])(json.loads(text))'
expect_rejected "unknown proof status" "proof status must be" \
    "$REQUIREMENTS" 'text.replace("`vera_arena_init:null_pointer` | `arena_test.c:test_init_rejects_null_pointers` | `arena_fuzzer.c:\"init returned\"`, `arena_fuzzer.c:\"a failed init changed the arena\"` | proved |", "`vera_arena_init:null_pointer` | `arena_test.c:test_init_rejects_null_pointers` | `arena_fuzzer.c:\"init returned\"`, `arena_fuzzer.c:\"a failed init changed the arena\"` | probably |", 1)'
expect_rejected "analysis that the gate does not accept" "is not one of the analyses the gate accepts" \
    "$REQUIREMENTS" 'text.replace("analysis: //tests/traceability:constant_time_test", "analysis: //tests:arena_test", 1)'
expect_rejected "duplicate requirement ID" "duplicate ID" \
    "$REQUIREMENTS" 'text.replace("| REQ-ARENA-002 |", "| REQ-ARENA-001 |", 1)'
expect_rejected "error-table row without a requirement" "is covered by no requirement" \
    "$REQUIREMENTS" 'text.replace(text[text.index("| REQ-ARENA-012 |"):text.index("| REQ-ARENA-013 |")], "", 1)'
expect_rejected "new error-table row in a header" "vera_arena_seal | arena sealed\` is covered by no requirement" \
    include/veralloc/arena.h 'text.replace(" *   | vera_arena_seal                    | arena NULL                        | nothing happens        |\n", " *   | vera_arena_seal                    | arena NULL                        | nothing happens        |\n *   | vera_arena_seal                    | arena sealed                      | nothing happens        |\n", 1)'
expect_rejected "error-table row continued on a second line" "vera_arena_init | arena or buffer NULL (either one)\` is covered by no requirement" \
    include/veralloc/arena.h 'text.replace("| arena or buffer NULL              | VERA_ERROR_NULL_POINTER|\n", "| arena or buffer NULL              | VERA_ERROR_NULL_POINTER|\n *   |                                    | (either one)                      |                        |\n", 1)'
expect_rejected "source naming no error-table row" "is no row of a header's error table" \
    "$REQUIREMENTS" 'text.replace("`arena.h \\| vera_arena_init \\| arena or buffer NULL`", "`arena.h \\| vera_arena_init \\| arena NULL`", 1)'
expect_rejected "unproved goal in the results" "marked proved, but \`vera_arena_init:null_pointer\` is not" \
    tests/traceability/proof_results.json '(lambda d: (d["modules"]["arena"]["wp_report"]["wp:functions"]["vera_arena_init"]["vera_arena_init_null_pointer_ensures"].__setitem__("wp:main", {"total": 1, "unknown": 1}), json.dumps(d, indent=1, sort_keys=True))[1])(json.loads(text))'
expect_rejected "source changed since the proof run" "proof results are stale" \
    src/arena.c 'text + "/* changed */\n"'
expect_rejected "pending pool requirement naming a behavior the header lacks" "vera_pool_free has no behavior interior" \
    include/veralloc/pool.h 'text.replace("behavior interior:", "behavior inside_a_block:", 1)'
expect_rejected "pool requirement naming an ensures label the header lacks" "has no ensures labelled separated" \
    include/veralloc/pool.h 'text.replace("ensures separated:", "ensures", 1)'
expect_rejected "pool test function renamed" "no such test function in tests/pool_test.c" \
    tests/pool_test.c 'text.replace("test_free_rejects_double_free", "test_free_twice")'
expect_rejected "fuzz checks cell that is free text" "fuzz checks must be" \
    docs/requirements/pool.md 'text.replace("| `pool_fuzzer.c:\"free(NULL, %s) is not VERA_ERROR_NULL_POINTER\"` |", "| the pool fuzzer |", 1)'
expect_rejected "new pool error-table row" "vera_pool_owns | pointer misaligned\` is covered by no requirement" \
    include/veralloc/pool.h 'text.replace(" *   | vera_pool_owns            | pool NULL or pointer NULL                   | false                      |\n", " *   | vera_pool_owns            | pool NULL or pointer NULL                   | false                      |\n *   | vera_pool_owns            | pointer misaligned                          | false                      |\n", 1)'
expect_rejected "pending requirement that the results prove" "marked pending, but the results prove" \
    "$REQUIREMENTS" 'text.replace("| `vera_arena_init:null_pointer` | `arena_test.c:test_init_rejects_null_pointers` | `arena_fuzzer.c:\"init returned\"`, `arena_fuzzer.c:\"a failed init changed the arena\"` | proved |", "| `vera_arena_init:null_pointer` | `arena_test.c:test_init_rejects_null_pointers` | `arena_fuzzer.c:\"init returned\"`, `arena_fuzzer.c:\"a failed init changed the arena\"` | pending: not yet |", 1)'

exit "$status"
