"""The registry of veralloc's allocator modules: the one place a module is declared.

Every BUILD file builds its targets from MODULES (the libraries in //:BUILD, the unit tests in
//tests, the fuzz targets in //fuzz, the proofs in //proofs, the benchmark adapters and code-size
table in //bench, the dist firmware scenarios in //tests/release), and every tool reads the same
data through tools/registry.py (which parses this file; it never keeps a copy):
tools/record_proof_results.py, tools/coverage.sh, tools/amalgamate. //tests:registry_test fails
when a module in src/ is not registered here, or a registered module lacks one of its pieces of
evidence. docs/adding_an_allocator.md is the checklist.

This file holds data only, written as a literal that is both Starlark and Python (dicts, lists,
strings, numbers, True/False/None): tools/registry.py reads it with Python's ast.literal_eval.

The entries are in dist order: tools/amalgamate writes the modules' sources into dist/veralloc.c
in this order, so a module comes after every module it depends on.

Fields of an entry (the key is the module's name, `M` below):
  sources        the C files of the module in src/ (its library's srcs; what WP proves).
  header         its public header (with the contracts), installed under include/.
  specs          its ACSL logic in specs/ (read by Frama-C only, through the header).
  deps           the modules it is built on.
  proof          how WP proves it (//proofs:M_proof): `main` (-main: a function proved with the
                 initial values of the globals, or None), `skip` (-wp-skip-fct: trusted functions
                 whose contracts are assumed; each is listed in the trusted base of
                 docs/proofs.md), `size` (the Bazel test size of the replay).
                 The WP flags are the same for every module: proofs/wp_flags.
  unit_tests     its unit tests, tests/<name>.c each.
  harness_source True if test or fuzz harnesses include the module's source textually (to reset
                 static state between cases): //:M_source_for_harnesses is made for them.
  fuzzer         its fuzz target, fuzz/M_fuzzer.c with its reference model fuzz/M_model.{c,h};
                 `extra_srcs` are other models it reuses. Corpus: fuzz/corpus/M_fuzzer/.
  bench_adapter  its benchmark adapter (bench/firmware/adapters/), linked into the veralloc image.
  dist_scenarios the scenarios of the dist firmware (tests/release/dist_firmware.c) that exercise
                 it, each with the fewest checks it must report.
  requirements   the prefix of its requirements (REQ-<prefix>-NNN), which are in the module's own
                 file docs/requirements/<module>.md.
Mutants (proofs/mutants/M_<defect>.json) and planted fuzz bugs are found by their names.
"""

# The headers every module shares (//:common), installed with the modules' own.
COMMON_HEADERS = [
    "include/veralloc/config.h",
    "include/veralloc/lock.h",
    "include/veralloc/status.h",
    "include/veralloc/version.h",
]

# Private helpers the modules share (round-up, saturating counter, ...): in src/, never installed,
# inlined into dist/veralloc.c by tools/amalgamate. Every module's library depends on them.
INTERNAL_HEADERS = ["src/vera_internal.h"]

# Unit tests built by name in tests/BUILD rather than from a module's entry: tests of several
# modules at once (semantics_test: the rules the headers state for the facade and the pool
# together; heap_mira_test: the heap as mira_mem's allocation callback), and heap_lock_test (the
# heap's source compiled with VERA_LOCK_APPLICATION and the test's own lock functions).
CROSS_MODULE_TESTS = ["semantics_test", "heap_mira_test", "heap_lock_test"]

MODULES = {
    "arena": {
        "sources": ["src/arena.c"],
        "header": "include/veralloc/arena.h",
        "specs": "specs/arena_logic.h",
        "deps": [],
        "proof": {"main": None, "skip": [], "size": "medium"},
        "unit_tests": ["arena_test"],
        "harness_source": False,
        "fuzzer": {"extra_srcs": []},
        "bench_adapter": "bench/firmware/adapters/arena_adapter.c",
        "dist_scenarios": {"arena": 22},
        "requirements": "ARENA",
    },
    "mira_mem": {
        "sources": ["src/mira_mem.c"],
        "header": "include/mira_mem.h",
        "specs": "specs/mira_mem_logic.h",
        "deps": ["arena"],
        "proof": {
            # Proved in the initial state of the globals: model and facade state agree at startup.
            "main": "mira_mem_proof_initial_state",
            # The two indirect calls (the application's callback and hook): contracts assumed.
            "skip": ["mira_mem_call_callback", "mira_mem_call_oom_hook"],
            "size": "medium",
        },
        "unit_tests": ["mira_mem_test", "mira_init_test"],
        "harness_source": True,
        "fuzzer": {"extra_srcs": ["arena_model.c", "arena_model.h"]},
        "bench_adapter": "bench/firmware/adapters/mira_mem_adapter.c",
        "dist_scenarios": {"mira-buffer": 21, "mira-callback": 13},
        "requirements": "MIRA",
    },
    "pool": {
        "sources": ["src/pool.c"],
        "header": "include/veralloc/pool.h",
        "specs": "specs/pool_logic.h",
        "deps": [],
        "proof": {
            "main": None,
            # Compares a pointer with the pool's range as integers: contract assumed
            # (docs/proofs.md, trusted base, "address comparison across objects").
            "skip": ["pool_offset_in_blocks"],
            "size": "large",  # 729 goals to regenerate and replay
        },
        "unit_tests": ["pool_test"],
        "harness_source": False,
        "fuzzer": {"extra_srcs": []},
        "bench_adapter": "bench/firmware/adapters/pool_adapter.c",
        "dist_scenarios": {"pool": 23},
        "requirements": "POOL",
    },
    "heap": {
        "sources": ["src/heap.c"],
        "header": "include/veralloc/heap.h",
        "specs": "specs/heap_logic.h",
        "deps": [],
        "proof": {
            "main": None,
            # Compares a pointer with the buffer's range as integers: contract assumed (the same
            # trusted base entry as the pool's pool_offset_in_blocks, docs/proofs.md,
            # "address comparison across objects"). (The MiraOS callback's body is hidden from
            # Frama-C in src/heap.c itself, as the lock pair's: its contract is assumed.)
            "skip": ["heap_offset_in_buffer"],
            # 2742 goals regenerated in replay: 5 to 10 minutes on 2 cores beside another proof
            # test (10.5 min measured under load), too close to "large"'s 15 minutes.
            "size": "enormous",
        },
        # heap_fragmentation_test: the fragmentation bound of the header, driven adversarially.
        "unit_tests": ["heap_test", "heap_fragmentation_test"],
        "harness_source": False,
        "fuzzer": {"extra_srcs": []},
        "bench_adapter": "bench/firmware/adapters/heap_adapter.c",
        "dist_scenarios": {"heap": 33},
        "requirements": "HEAP",
    },
}
