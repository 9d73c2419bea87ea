"""Markdown tables of a benchmark run (the dictionary benchmark.py writes to latest.json)."""

WORKLOAD_DESCRIPTIONS = {
    "W1": "mesh init: 200 allocations, sizes cycling 12, 24, 40, 64, 100, 128, 256, 8, 16, 512",
    "W2": "fill: 32-byte allocations until the first failure (successful calls)",
    "W3": "failure path: after 100 allocations of 32 bytes, 100 requests of the whole heap (each fails)",
    "W4": "churn: 64 slots, 5000 xorshift32 steps (seed 0x2545F491), sizes 8..256; alloc and free",
    "W5": "split (a heap's worst alloc): on an empty heap, 100 requests of 8, 32, 100 or 256 bytes, each "
          "split from the one huge free block and freed again (merged back into it); alloc and free",
    "W6": "merge (a heap's worst free): 100 rounds on an empty heap; untimed, adjacent 32-byte blocks a, b, c, "
          "d after spacers that put a and c in the middle of their free list; a and c freed, then b freed "
          "between two free neighbours and d between a-b-c and the free rest; free",
    "W7": "grow in place (a heap's realloc without a copy): 100 rounds on an empty heap, S cycling 32, 64, 128, "
          "256 bytes; untimed, a block a of S bytes between a live left neighbour and a free right neighbour "
          "b of 2S bytes (in the middle of its free list); a resized to 2S, which must keep its address and "
          "its bytes; realloc",
    "W8": "move (a heap's realloc with a copy): 100 rounds on an empty heap; untimed, a block a of 64 bytes "
          "with a free 32-byte left neighbour and a live right neighbour; a resized to 128 bytes, which must "
          "move and keep its bytes; the call includes the copy of the old block (its 64 bytes, or its usable "
          "size where the allocator copies that) and the free of the old block, merged with its left "
          "neighbour; realloc",
}

# The workloads every allocator of the summary runs (W5 and W6 are worst cases that only some
# adapters ask for: folding them into the README's summary would compare unlike things).
SUMMARY_WORKLOADS = ("W1", "W2", "W3", "W4")

SERIES_TITLES = {
    ("W1", "alloc"): "W1 mesh init, alloc",
    ("W2", "alloc"): "W2 fill with 32-byte blocks, alloc",
    ("W3", "alloc_failed"): "W3 failure path, alloc that fails",
    ("W4", "alloc"): "W4 churn, alloc",
    ("W4", "free"): "W4 churn, free",
    ("W5", "alloc"): "W5 split from one huge free block, alloc",
    ("W5", "free"): "W5 split from one huge free block, free",
    ("W6", "free"): "W6 free between two free neighbours",
    ("W7", "realloc"): "W7 realloc growing in place",
    ("W8", "realloc"): "W8 realloc that moves (copy included)",
}

CORE_NAMES = {
    "cortex_m0plus": "Cortex-M0+",
    "cortex_m3": "Cortex-M3",
    "cortex_m4": "Cortex-M4",
    "cortex_m7": "Cortex-M7",
    "cortex_m33": "Cortex-M33",
}


def core_name(core):
    return CORE_NAMES.get(core, core)


def _ratio(baseline, value):
    if baseline is None or not value:
        return "–"
    return f"{baseline / value:.1f}x"


def latency_tables(results, baseline):
    """One table per workload and series; rows per board and allocator."""
    lines = [
        "## Latency: executed instructions per call (QEMU -icount; instructions, not cycles)",
        "",
        f"Ratios are {baseline}'s value divided by the allocator's, measured in the same run on "
        "the same core (above 1.0x: fewer instructions than newlib).",
        "",
    ]
    for (workload, series), title in SERIES_TITLES.items():
        rows = []
        for board, board_results in results["latency"].items():
            allocators = board_results["allocators"]
            reference = allocators.get(baseline, {}).get("workloads", {}).get(workload, {})
            reference = reference.get("series", {}).get(series, {}).get("statistics")
            for name, entry in allocators.items():
                measured = entry["workloads"].get(workload)
                if measured is None:
                    continue
                stats = measured["series"][series]["statistics"]
                if stats is None:
                    rows.append(f"| {core_name(board_results['core'])} ({board}) | {name} | 0 | – | – | – | – | – | – |")
                    continue
                rows.append(
                    f"| {core_name(board_results['core'])} ({board}) | {name} | {stats['calls']} | "
                    f"{stats['min']} | {stats['median']} | {stats['p99']} | {stats['max']} | "
                    f"{_ratio(reference and reference['median'], stats['median'])} | "
                    f"{_ratio(reference and reference['max'], stats['max'])} |")
        if not rows:
            continue
        lines += [
            f"### {title}",
            "",
            f"{WORKLOAD_DESCRIPTIONS[workload]}.",
            "",
            f"| core (board) | allocator | calls | min | median | p99 | max | {baseline} median ÷ median | {baseline} max ÷ max |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ] + rows + [""]
    return "\n".join(lines)


def _size_row(core, library, by_optimization):
    cells = []
    for optimization in ("-Os", "-O2"):
        size = by_optimization.get(optimization)
        cells += [str(size[key]) if size else "–" for key in ("text", "data", "bss")]
    return f"| {core_name(core)} | {library} | " + " | ".join(cells) + " |"


def code_size_tables(results):
    sizes = results["code_size"]
    lines = [
        "## Code size (arm-none-eabi-size, bytes)",
        "",
        "veralloc: each library's objects, built by Bazel for the core at -Os and at -O2 "
        "(text includes read-only data). `mira_mem + arena` is what a MiraOS-API user links. "
        "A row `library: functions` counts those functions of the library and every static helper and "
        "constant table they reach through their relocations (the objects have one section per "
        "function): what a linker with --gc-sections keeps for a program that calls only them.",
        "",
        "| core | library | -Os .text | -Os .data | -Os .bss | -O2 .text | -O2 .data | -O2 .bss |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for core, libraries in sizes["veralloc"].items():
        rows = {}
        for library, by_optimization in libraries.items():
            rows[library] = by_optimization
            # The sum row right after mira_mem's own, whatever other libraries follow.
            if library == "mira_mem" and "arena" in libraries:
                rows["mira_mem + arena"] = {
                    optimization: {key: by_optimization[optimization][key] + libraries["arena"][optimization][key]
                                   for key in ("text", "data", "bss")}
                    for optimization in by_optimization
                }
        for library, by_optimization in rows.items():
            lines.append(_size_row(core, library, by_optimization))
            part = sizes.get("function_sets", {}).get(core, {}).get(library)
            if part:
                lines.append(_size_row(core, part["label"], part["sizes"]))
    peers = sizes.get("peers", {})
    if any(peers.values()):
        lines += [
            "",
            "Peers: each peer's objects, built by Bazel for the core at -Os and at -O2 from its upstream "
            "sources (bench/peers.bzl), the whole library as for veralloc.",
            "",
            "| core | peer | -Os .text | -Os .data | -Os .bss | -O2 .text | -O2 .data | -O2 .bss |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for core, libraries in peers.items():
            lines += [_size_row(core, library, by_optimization) for library, by_optimization in libraries.items()]
    lines += [
        "",
        "newlib's malloc + free as Debian ships them (one build per core; the archive members an "
        "image calling malloc and free links, without the reentrancy structure and errno that "
        "every newlib program links anyway, and without the application's own _sbrk):",
        "",
        "| core | library | .text | .data | .bss | archive members |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for core, variants in sizes["newlib"].items():
        for variant, entry in variants.items():
            size = entry["size"]
            members = ", ".join(member.replace("lib_a-", "") for member in entry["members"])
            lines.append(f"| {core_name(core)} | {variant} malloc + free ({entry['archive']}) | "
                         f"{size['text']} | {size['data']} | {size['bss']} | {members} |")
    return "\n".join(lines) + "\n"


# Issue 5's targets, checked against this run (never asserted in tests).
TARGET_BOARD = "mps2-an385"
TARGET_CORE = "cortex_m3"
TARGET_ALLOCATOR = "mira_mem_alloc"
TARGET_MAX_INSTRUCTIONS = 16
TARGET_MEDIAN_RATIO = 4.0
TARGET_MAX_RATIO = 10.0
TARGET_TEXT_BYTES = 400


def _verdict(met):
    return "met" if met else "**not met**"


def targets_table(results, baseline):
    """Issue 5's targets for mira_mem_alloc and arena + facade, against the measured numbers."""
    lines = [
        "## Issue 5 targets against this run",
        "",
        "| target | measured | verdict |",
        "| --- | --- | --- |",
    ]
    board = results["latency"].get(TARGET_BOARD, {}).get("allocators", {})
    ours = board.get(TARGET_ALLOCATOR, {}).get("workloads", {}).get("W1")
    reference = board.get(baseline, {}).get("workloads", {}).get("W1")
    if ours and reference:
        mine = ours["series"]["alloc"]["statistics"]
        theirs = reference["series"]["alloc"]["statistics"]
        median_ratio = theirs["median"] / mine["median"]
        max_ratio = theirs["max"] / mine["max"]
        lines += [
            f"| {TARGET_ALLOCATOR} <= {TARGET_MAX_INSTRUCTIONS} instructions on Cortex-M3 (W1 max) | "
            f"{mine['max']} | {_verdict(mine['max'] <= TARGET_MAX_INSTRUCTIONS)} |",
            f"| constant over W1 (max == min) | min {mine['min']}, max {mine['max']} | "
            f"{_verdict(mine['max'] == mine['min'])} |",
            f"| >= {TARGET_MEDIAN_RATIO:g}x below {baseline}'s W1 median ({theirs['median']}) | "
            f"{median_ratio:.1f}x | {_verdict(median_ratio >= TARGET_MEDIAN_RATIO)} |",
            f"| >= {TARGET_MAX_RATIO:g}x below {baseline}'s W1 max ({theirs['max']}) | "
            f"{max_ratio:.1f}x | {_verdict(max_ratio >= TARGET_MAX_RATIO)} |",
        ]
    o1heap = board.get("o1heap", {}).get("workloads", {}).get("W1")
    if ours and o1heap:
        mine = ours["series"]["alloc"]["statistics"]
        theirs = o1heap["series"]["alloc"]["statistics"]
        ratio = theirs["median"] / mine["median"]
        lines.append(f"| >= 5x below o1heap's W1 median ({theirs['median']}) | {ratio:.1f}x | "
                     f"{_verdict(ratio >= 5)} |")
    else:
        lines.append("| >= 5x below o1heap | not measured: o1heap is missing from this run | – |")
    if ours:
        lines.append(_best_peer_row(board, ours["series"]["alloc"]["statistics"], "W1", "alloc",
                                    f"{TARGET_ALLOCATOR} W1 max"))
    sizes = results["code_size"]["veralloc"].get(TARGET_CORE, {})
    if "arena" in sizes and "mira_mem" in sizes:
        text = sizes["arena"]["-Os"]["text"] + sizes["mira_mem"]["-Os"]["text"]
        nano = results["code_size"]["newlib"].get(TARGET_CORE, {}).get("newlib-nano")
        nano_text = f" (newlib-nano malloc + free: {nano['size']['text']} B)" if nano else ""
        lines.append(f"| arena + facade <= {TARGET_TEXT_BYTES} B of .text at -Os on Cortex-M3 | "
                     f"{text} B{nano_text}{_smallest_peer_text(results, text)} | "
                     f"{_verdict(text <= TARGET_TEXT_BYTES)} |")
    return "\n".join(lines) + "\n"


PEERS = ("o1heap", "TLSF", "umm_malloc")


def _best_peer(board, workload, series):
    """(name, statistics) of the peer with the smallest max in this series, or None."""
    candidates = []
    for peer in PEERS:
        stats = _series(board, peer, workload, series)
        if stats:
            candidates.append((stats["max"], peer, stats))
    if not candidates:
        return None
    _, name, stats = min(candidates)
    return name, stats


def _best_peer_row(board, mine, workload, series, label):
    best = _best_peer(board, workload, series)
    if best is None:
        return f"| ratio to the best peer ({label}) | not measured: no peer in this run | – |"
    name, theirs = best
    return (f"| ratio to the best peer ({label}; best: {name}, max {theirs['max']}, median {theirs['median']}) | "
            f"max {theirs['max'] / mine['max']:.1f}x, median {theirs['median'] / mine['median']:.1f}x "
            "fewer instructions | – |")


def _smallest_peer_text(results, text):
    peers = results["code_size"].get("peers", {}).get(TARGET_CORE, {})
    if not peers:
        return "; no peer in this run"
    library, size = min(((library, sizes["-Os"]["text"]) for library, sizes in peers.items()),
                        key=lambda entry: entry[1])
    return f"; smallest peer: {library} {size} B, ratio {size / text:.2f}x"


# Issue 6's targets for the pool, checked against this run (never asserted in tests).
POOL_ALLOCATOR = "vera_pool"
POOL_LIBRARY = "pool"
POOL_MAX_INSTRUCTIONS = 20
POOL_TEXT_BYTES = 300


def _series(board, allocator, workload, series):
    entry = board.get(allocator, {}).get("workloads", {}).get(workload)
    return entry["series"][series]["statistics"] if entry else None


def pool_targets_table(results):
    """Issue 6's targets for vera_pool_alloc / vera_pool_free and the pool's code size."""
    lines = [
        "## Issue 6 targets (pool) against this run",
        "",
        "| target | measured | verdict |",
        "| --- | --- | --- |",
    ]
    board = results["latency"].get(TARGET_BOARD, {}).get("allocators", {})
    calls = {
        "vera_pool_alloc": [stats for stats in (_series(board, POOL_ALLOCATOR, "W2", "alloc"),
                                                _series(board, POOL_ALLOCATOR, "W4", "alloc")) if stats],
        "vera_pool_free": [stats for stats in (_series(board, POOL_ALLOCATOR, "W4", "free"),) if stats],
    }
    for function, measured in calls.items():
        if not measured:
            lines.append(f"| {function} <= {POOL_MAX_INSTRUCTIONS} instructions on Cortex-M3 | not measured | – |")
            continue
        where = "W2 and W4" if len(measured) > 1 else "W4"
        low = min(stats["min"] for stats in measured)
        high = max(stats["max"] for stats in measured)
        count = sum(stats["calls"] for stats in measured)
        lines += [
            f"| {function} <= {POOL_MAX_INSTRUCTIONS} instructions on Cortex-M3 (max over {where}, "
            f"{count} calls) | {high} | {_verdict(high <= POOL_MAX_INSTRUCTIONS)} |",
            f"| {function} constant (max == min) | min {low}, max {high} | {_verdict(low == high)} |",
        ]
    free = _series(board, POOL_ALLOCATOR, "W4", "free")
    if free:
        lines.append(_best_peer_row(board, free, "W4", "free", "vera_pool_free W4 max"))
    sizes = results["code_size"]["veralloc"].get(TARGET_CORE, {})
    if POOL_LIBRARY in sizes:
        text = sizes[POOL_LIBRARY]["-Os"]["text"]
        lines.append(f"| pool <= {POOL_TEXT_BYTES} B of .text at -Os on Cortex-M3 (whole library: init, "
                     f"queries and alloc_zeroed included) | {text} B{_smallest_peer_text(results, text)} | "
                     f"{_verdict(text <= POOL_TEXT_BYTES)} |")
    return "\n".join(lines) + "\n"


# Issue 13's targets for the heap, checked against this run (never asserted in tests).
HEAP_ALLOCATOR = "vera_heap"
HEAP_LIBRARY = "heap"
HEAP_MAX_INSTRUCTIONS = 60
HEAP_TEXT_BYTES = 1200
# What the granule map costs: one 32-bit word per granule (include/veralloc/heap.h), a granule
# being 8 bytes on a 32-bit Cortex-M (VERA_ALIGNMENT).
HEAP_MAP_WORD_BYTES = 4
HEAP_GRANULE_BYTES = 8


def _worst(board, allocator, role):
    """(max, the workloads or traces it is the largest of, calls) of `role`'s series over every
    workload and trace the allocator ran, or None: alloc counts successful and failed allocations."""
    series_names = _ROLE_SERIES[role]
    entry = board.get(allocator, {})
    runs = list(entry.get("workloads", {}).items()) + [
        ("trace " + trace, run) for trace, run in entry.get("traces", {}).items() if run.get("fits")]
    found = []
    for workload, run in runs:
        for series_name in series_names:
            stats = run["series"].get(series_name, {}).get("statistics")
            if stats:
                found.append((stats["max"], workload, stats["calls"]))
    if not found:
        return None
    high = max(value for value, _, _ in found)
    return high, sorted({workload for value, workload, _ in found if value == high}), sum(calls for _, _, calls in found)


def _peer_worst(board, role):
    cells = []
    for peer in ("o1heap", "TLSF", "umm_malloc", "newlib", "newlib-nano"):
        worst = _worst(board, peer, role)
        cells.append(f"{peer} {worst[0]}" if worst else f"{peer} n/a")
    return ", ".join(cells)


def heap_targets_table(results):
    """Issue 13's targets for vera_heap: alloc and free worst case, against o1heap, and .text."""
    board = results["latency"].get(TARGET_BOARD, {}).get("allocators", {})
    if HEAP_ALLOCATOR not in board:
        return ""
    lines = [
        "## Issue 13 targets (heap) against this run",
        "",
        "Worst case: the largest count of the function in any workload (W1-W8) or trace the allocator "
        "runs on the Cortex-M3 (alloc counts failed allocations too); each peer's in its own workloads "
        "and traces (o1heap and newlib-nano leave some workloads out: see the workload tables).",
        "",
        "| target | measured | verdict |",
        "| --- | --- | --- |",
    ]
    for role, function in (("alloc", "vera_heap_alloc"), ("free", "vera_heap_free")):
        mine = _worst(board, HEAP_ALLOCATOR, role)
        if mine is None:
            lines.append(f"| {function} <= {HEAP_MAX_INSTRUCTIONS} instructions on Cortex-M3 | not measured | – |")
            continue
        high, where, calls = mine
        lines.append(f"| {function} <= {HEAP_MAX_INSTRUCTIONS} instructions worst case on Cortex-M3 | "
                     f"{high} (in {', '.join(where)}; the largest of {calls} calls) | {_verdict(high <= HEAP_MAX_INSTRUCTIONS)} |")
        o1heap = _worst(board, "o1heap", role)
        if o1heap:
            lines.append(f"| {function} below o1heap's worst case ({o1heap[0]}, in {', '.join(o1heap[1])}) | "
                         f"{high} | {_verdict(high < o1heap[0])} |")
        else:
            lines.append(f"| {function} below o1heap's worst case | not measured: o1heap is missing from this run | – |")
        lines.append(f"| {role} worst case of the others, for comparison | {_peer_worst(board, role)} | – |")
    for workload in ("W7", "W8"):
        mine = _series(board, HEAP_ALLOCATOR, workload, "realloc")
        if mine:
            others = ", ".join(f"{peer} {stats['max']}" if stats else f"{peer} n/a" for peer, stats in (
                (peer, _series(board, peer, workload, "realloc"))
                for peer in ("o1heap", "TLSF", "umm_malloc", "newlib", "newlib-nano")))
            lines.append(f"| vera_heap_realloc, {SERIES_TITLES[(workload, 'realloc')]} (no target) | max {mine['max']} "
                         f"(median {mine['median']}); others' max: {others} | – |")
    veralloc = results["code_size"]["veralloc"].get(TARGET_CORE, {})
    part = results["code_size"].get("function_sets", {}).get(TARGET_CORE, {}).get(HEAP_LIBRARY)
    o1heap = results["code_size"].get("peers", {}).get(TARGET_CORE, {}).get("o1heap")
    o1heap_text = f"; o1heap, whole library, no realloc: {o1heap['-Os']['text']} B" if o1heap else ""
    if part and "-Os" in part["sizes"]:
        text = part["sizes"]["-Os"]["text"]
        whole = veralloc.get(HEAP_LIBRARY, {}).get("-Os", {}).get("text")
        lines.append(f"| .text at -Os on Cortex-M3 for init, alloc, alloc_aligned, free and realloc (with the "
                     f"helpers they call) <= {HEAP_TEXT_BYTES} B | {text} B (whole library: {whole} B{o1heap_text}) | "
                     f"{_verdict(text <= HEAP_TEXT_BYTES)} |")
    w2 = _series(board, HEAP_ALLOCATOR, "W2", "alloc")
    if w2:
        others = ", ".join(f"{peer} {stats['calls']}" for peer, stats in (
            (peer, _series(board, peer, "W2", "alloc")) for peer in ("o1heap", "TLSF", "umm_malloc", "newlib"))
            if stats)
        lines.append(f"| metadata overhead (stated) | the granule map, {HEAP_MAP_WORD_BYTES} B per {HEAP_GRANULE_BYTES}-B "
                     f"granule ({100 * HEAP_MAP_WORD_BYTES // HEAP_GRANULE_BYTES} % of the buffer) plus the struct; "
                     f"in the benchmark's 64 KiB (struct, map and buffer all from it) W2 gets {w2['calls']} blocks of 32 B "
                     f"(others: {others}) | – |")
    found = {trace: allocators.get(HEAP_ALLOCATOR) for trace, allocators in results.get("ram", {}).get("traces", {}).items()}
    cells = "; ".join(f"{trace} {entry['heap_bytes']} B" if entry and entry["heap_bytes"] is not None else f"{trace} does not fit"
                      for trace, entry in found.items() if entry)
    lines.append("| the smallest heap that serves each workload | recorded traces (struct, map and buffer "
                 f"together; the RAM table compares): {cells or 'not measured in this run'}; the synthetic "
                 "workloads W1-W8 run in a fixed 64 KiB and are not bisected | – |")
    return "\n".join(lines) + "\n"


def run_header(results):
    machine = results["machine"]
    return "\n".join([
        f"Command: `{results['command']}`  ",
        f"Date: {results['generated']}; commit {results['commit']}  ",
        f"Machine: {machine['host']}, {machine['host_cpu']}  ",
        f"Tools: {machine['qemu']}, {machine['qemu_options']}; {machine['compiler']}; "
        f"newlib {machine['newlib']}  ",
        "Units: executed instructions counted by QEMU, not cycles: QEMU does not model "
        "pipelines, caches, flash wait states or bus stalls.",
        "",
    ])


def peers_section(results):
    peers = results.get("peers", {})
    lines = ["## Peers in this run", ""]
    if peers.get("found"):
        lines.append("Found in `" + peers["folder"] + "`: " + ", ".join(
            f"{name} (commit {commit[:12]})" for name, commit in sorted(peers["found"].items())) + ".")
    missing = peers.get("missing", {})
    if missing:
        lines.append("")
        lines.append("**Missing, left out of this run** (tools/fetch_peers.sh fetches them):")
        lines.append("")
        lines += [f"- {name}: {reason}" for name, reason in sorted(missing.items())]
    if not peers.get("found") and not missing:
        lines.append("No peer information in this run.")
    return "\n".join(lines) + "\n"


# Which measured series a timed function's calls go to.
_ROLE_SERIES = {"alloc": ("alloc", "alloc_failed"), "free": ("free",), "realloc": ("realloc",)}


def measured_maxima(entry):
    """{role: largest instructions measured for that function in any workload or trace}."""
    maxima = {}
    for run in list(entry["workloads"].values()) + [trace for trace in entry.get("traces", {}).values()
                                                      if trace.get("fits")]:
        for role, series_names in _ROLE_SERIES.items():
            for series_name in series_names:
                value = run.get("max", {}).get(series_name)
                if value is not None:
                    maxima[role] = max(maxima.get(role, 0), value)
    return maxima


def static_bound_table(results):
    boards = list(results["latency"])
    lines = [
        "## Static worst-case bound per function against the measured maximum",
        "",
        "The bound is the longest path, in instructions, from the function's first instruction to a "
        "return through its control-flow graph and its callees, computed from each board's firmware "
        "image (`bench/runner/static_bound.py`, from `arm-none-eabi-objdump -d`); the measured maximum "
        "is the largest count of that function in any workload or trace of this run on the board. "
        "\"unbounded\" says why no bound exists (a loop without a stated bound, for example). "
        "\"+ callbacks\": the path calls the application's hook or callback through a pointer; the "
        "bound counts the call instruction, the callback's own instructions are the application's.",
        "",
        "| allocator | function | " + " | ".join(f"{core_name(results['latency'][board]['core'])} bound / max"
                                              for board in boards) + " |",
        "| --- | --- | " + " | ".join("---:" for _ in boards) + " |",
    ]
    rows = {}
    reasons = {}
    for board in boards:
        for name, entry in results["latency"][board]["allocators"].items():
            maxima = measured_maxima(entry)
            for role, bound in entry.get("functions", {}).items():
                key = (name, bound["function"])
                measured = maxima.get(role, "–")
                if bound["bound"] is None:
                    cell = f"unbounded / {measured}"
                    reasons.setdefault(key, f"{bound['reason']} (in the {core_name(results['latency'][board]['core'])} image)")
                else:
                    plus = " + callbacks" if bound.get("plus_callbacks") else ""
                    cell = f"{bound['bound']}{plus} / {measured}"
                rows.setdefault(key, {})[board] = cell
    for (name, function), cells in rows.items():
        lines.append(f"| {name} | `{function}` | " + " | ".join(cells.get(board, "–") for board in boards) + " |")
    if reasons:
        lines += ["", "Why no bound:", ""]
        lines += [f"- `{function}` ({name}): {reason}" for (name, function), reason in reasons.items()]
    return "\n".join(lines) + "\n"


def _kib(value):
    return f"{value / 1024:.1f} KiB"


def trace_tables(results):
    traces = results.get("traces", {})
    if not traces:
        return ""
    lines = [
        "## Real programs' allocation traces",
        "",
        "Recorded on the host from Debian packages (`bench/traces/`, `bazel run //bench/traces:record`) and "
        "replayed call by call on each allocator with free, in a 2 MiB region. Per call: executed "
        "instructions (min / median / p99 / max over every alloc, free and realloc of the trace); total: "
        "all calls together. An allocator without realloc (o1heap) replays a realloc as alloc, copy and "
        "free, counted as those two calls. \"does not fit\": an allocation failed in the whole region.",
        "",
    ]
    for trace, info in traces.items():
        summary = info["summary"]
        description = next((line.split(": ", 2)[-1] for line in info["header"] if line.startswith("trace:")), trace)
        program = next((line.split(": ", 1)[1] for line in info["header"] if line.startswith("program:")), "")
        lines += [
            f"### Trace {trace}: {description}",
            "",
            f"{program}. {summary['calls']} calls ({summary['alloc']} alloc, {summary['free']} free, "
            f"{summary['realloc']} realloc); peak live {summary['peak_live_bytes']} B in "
            f"{summary['peak_live_blocks']} blocks; largest request {summary['largest_request']} B.",
            "",
            "| core (board) | allocator | min | median | p99 | max | alloc median / max | free median / max | "
            "realloc median / max | total instructions |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for board, board_results in results["latency"].items():
            for name, entry in board_results["allocators"].items():
                run = entry.get("traces", {}).get(trace)
                if run is None:
                    continue
                where = f"{core_name(board_results['core'])} ({board})"
                if not run["fits"]:
                    lines.append(f"| {where} | {name} | does not fit | | | | | | | |")
                    continue
                stats = run["all"]
                cells = []
                for series_name in ("alloc", "free", "realloc"):
                    series = run["series"][series_name]["statistics"]
                    cells.append(f"{series['median']} / {series['max']}" if series else "–")
                lines.append(f"| {where} | {name} | {stats['min']} | {stats['median']} | {stats['p99']} | "
                             f"{stats['max']} | " + " | ".join(cells) + f" | {run['total_instructions']} |")
        lines.append("")
    return "\n".join(lines)


def _out_of_band(results, name):
    """Static .data + .bss of the allocator's own objects at -Os on the RAM board's core: metadata
    kept outside the heap buffer."""
    core = results["latency"].get(results["ram"]["board"], {}).get("core")
    sizes = results["code_size"]
    newlib = sizes["newlib"].get(core, {}).get(name)
    if newlib:
        return newlib["size"]["data"] + newlib["size"]["bss"]
    library = {"TLSF": "tlsf", "vera_heap": "heap"}.get(name, name)
    for group in ("peers", "veralloc"):
        entry = sizes.get(group, {}).get(core, {}).get(library)
        if entry:
            return entry["-Os"]["data"] + entry["-Os"]["bss"]
    return None


def ram_table(results):
    ram = results.get("ram", {})
    if not ram.get("traces"):
        return ""
    board = ram["board"]
    lines = [
        "## The smallest RAM that serves each trace",
        "",
        f"Found by bisection on {board} (the memory an allocator needs is the same on every core): the "
        f"smallest heap, a multiple of {ram['granularity']} bytes, that serves the whole trace without a "
        "failed allocation, plus the allocator's static data outside the heap (.data + .bss of its objects "
        "at -Os: newlib's malloc state, umm_malloc's heap descriptor), against the trace's peak of live "
        "requested bytes. The bisection assumes that a heap that serves the trace also serves it when larger. "
        "\"does not fit\": not even the whole 2 MiB region (umm_malloc manages at most 256 KiB).",
        "",
        "| trace | peak live | allocator | smallest heap | outside the heap | RAM | RAM ÷ peak live |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for trace, allocators in ram["traces"].items():
        peak = results["traces"][trace]["summary"]["peak_live_bytes"]
        for name, found in allocators.items():
            if found["heap_bytes"] is None:
                lines.append(f"| {trace} | {peak} B | {name} | does not fit | | | |")
                continue
            outside = _out_of_band(results, name)
            total = found["heap_bytes"] + (outside or 0)
            outside_text = f"{outside} B" if outside is not None else "unknown"
            lines.append(f"| {trace} | {peak} B | {name} | {found['heap_bytes']} B | {outside_text} | "
                         f"{total} B ({_kib(total)}) | {total / peak:.2f} |")
    return "\n".join(lines) + "\n"


# Allocators of the image built with VERA_LOCK_CORTEX_M_PRIMASK register under their name plus
# this suffix (bench/firmware/bench.h, BENCH_DISPLAY_NAME); the run keeps them apart.
LOCK_SUFFIX = "+lock"


def lock_cost_table(results):
    """What the lock costs per call: the same workloads with and without VERA_LOCK_CORTEX_M_PRIMASK."""
    rows = []
    for board, board_results in results["latency"].items():
        for name, locked in board_results.get("locked", {}).items():
            unlocked = board_results["allocators"].get(name)
            if unlocked is None:
                continue
            for (workload, series), title in SERIES_TITLES.items():
                without = _series(board_results["allocators"], name, workload, series)
                with_lock = _series(board_results.get("locked", {}), name, workload, series)
                if not without or not with_lock:
                    continue
                rows.append(
                    f"| {core_name(board_results['core'])} ({board}) | {name} | {title} | "
                    f"{without['median']} / {without['max']} | {with_lock['median']} / {with_lock['max']} | "
                    f"{with_lock['median'] - without['median']:+d} / {with_lock['max'] - without['max']:+d} |")
    if not rows:
        return ""
    return "\n".join([
        "## What the lock costs per call",
        "",
        "The same workloads on the same boards, with the default `VERA_LOCK_NONE` and with "
        "`VERA_LOCK_CORTEX_M_PRIMASK` (include/veralloc/lock.h: PRIMASK saved, interrupts disabled, "
        "PRIMASK restored around every call that changes an allocator); executed instructions.",
        "",
        "| core (board) | allocator | series | median / max without lock | median / max with lock | difference |",
        "| --- | --- | --- | ---: | ---: | ---: |",
    ] + rows) + "\n"


def all_tables(results, baseline):
    return "\n".join(part for part in [
        peers_section(results),
        targets_table(results, baseline),
        pool_targets_table(results),
        heap_targets_table(results),
        latency_tables(results, baseline),
        lock_cost_table(results),
        static_bound_table(results),
        trace_tables(results),
        ram_table(results),
        code_size_tables(results),
    ] if part)


def readme_summary(results):
    """The README's short table: per allocator on the Cortex-M3, its alloc and free per call
    (median / max over the workloads it runs), static bounds, and .text at -Os."""
    board = results["latency"].get(TARGET_BOARD)
    if board is None:
        return ""
    lines = [
        f"Cortex-M3 ({TARGET_BOARD}), from the run of {results['generated'][:10]} (commit {results['commit']}): "
        "executed instructions per call, median / max over every workload the allocator runs (W1–W4), "
        "the static worst-case bound from the image (\"none\": the code has a loop, no bound), and the library's "
        ".text at -Os (newlib: its malloc + free). "
        "Traces of real programs, the other cores and the method: docs/benchmarks.md.",
        "",
        "| allocator | alloc median / max | alloc bound | free median / max | free bound | .text -Os |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    sizes = results["code_size"]
    libraries = {"vera_arena_alloc": ("veralloc", "arena"), "mira_mem_alloc": ("veralloc", "mira_mem"),
                 "vera_pool": ("veralloc", "pool"), "vera_heap": ("veralloc", "heap"),
                 "o1heap": ("peers", "o1heap"), "TLSF": ("peers", "tlsf"),
                 "umm_malloc": ("peers", "umm_malloc")}
    for name, entry in board["allocators"].items():
        cells = []
        for role, series_names in (("alloc", ("alloc",)), ("free", ("free",))):
            values = [run["series"][series]["statistics"] for workload, run in entry["workloads"].items()
                      if workload in SUMMARY_WORKLOADS
                      for series in series_names if series in run["series"] and run["series"][series]["statistics"]]
            if values:
                # the highest median of the workloads, and the highest max
                cells.append(f"{max(stats['median'] for stats in values)} / {max(stats['max'] for stats in values)}")
            else:
                cells.append("–")
            bound = entry.get("functions", {}).get(role)
            if bound is None:
                cells.append("–")
            elif bound["bound"] is None:
                cells.append("none")
            else:
                cells.append(str(bound["bound"]) + (" + callbacks" if bound.get("plus_callbacks") else ""))
        text = "–"
        if name in libraries:
            group, library = libraries[name]
            entry_size = sizes.get(group, {}).get(TARGET_CORE, {}).get(library)
            if entry_size:
                text = f"{entry_size['-Os']['text']} B"
                if name == "mira_mem_alloc" and "arena" in sizes["veralloc"].get(TARGET_CORE, {}):
                    text = f"{entry_size['-Os']['text'] + sizes['veralloc'][TARGET_CORE]['arena']['-Os']['text']} B (with arena)"
        elif name in ("newlib", "newlib-nano"):
            newlib = sizes["newlib"].get(TARGET_CORE, {}).get(name)
            text = f"{newlib['size']['text']} B" if newlib else "–"
        lines.append(f"| {name} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} | {text} |")
    return "\n".join(lines) + "\n"
