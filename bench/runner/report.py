"""Markdown tables of a benchmark run (the dictionary benchmark.py writes to latest.json)."""

WORKLOAD_DESCRIPTIONS = {
    "W1": "mesh init: 200 allocations, sizes cycling 12, 24, 40, 64, 100, 128, 256, 8, 16, 512",
    "W2": "fill: 32-byte allocations until the first failure (successful calls)",
    "W3": "failure path: after 100 allocations of 32 bytes, 100 requests of the whole heap (each fails)",
    "W4": "churn: 64 slots, 5000 xorshift32 steps (seed 0x2545F491), sizes 8..256; alloc and free",
}

SERIES_TITLES = {
    ("W1", "alloc"): "W1 mesh init, alloc",
    ("W2", "alloc"): "W2 fill with 32-byte blocks, alloc",
    ("W3", "alloc_failed"): "W3 failure path, alloc that fails",
    ("W4", "alloc"): "W4 churn, alloc",
    ("W4", "free"): "W4 churn, free",
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


def code_size_tables(results):
    sizes = results["code_size"]
    lines = [
        "## Code size (arm-none-eabi-size, bytes)",
        "",
        "veralloc: each library's objects, built by Bazel for the core at -Os and at -O2 "
        "(text includes read-only data). `mira_mem + arena` is what a MiraOS-API user links.",
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
            cells = []
            for optimization in ("-Os", "-O2"):
                size = by_optimization.get(optimization)
                cells += [str(size[key]) if size else "–" for key in ("text", "data", "bss")]
            lines.append(f"| {core_name(core)} | {library} | " + " | ".join(cells) + " |")
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
    lines.append("| >= 5x below o1heap | not measured: o1heap is not part of this benchmark | – |")
    sizes = results["code_size"]["veralloc"].get(TARGET_CORE, {})
    if "arena" in sizes and "mira_mem" in sizes:
        text = sizes["arena"]["-Os"]["text"] + sizes["mira_mem"]["-Os"]["text"]
        nano = results["code_size"]["newlib"].get(TARGET_CORE, {}).get("newlib-nano")
        nano_text = f" (newlib-nano malloc + free: {nano['size']['text']} B)" if nano else ""
        lines.append(f"| arena + facade <= {TARGET_TEXT_BYTES} B of .text at -Os on Cortex-M3 | "
                     f"{text} B{nano_text} | {_verdict(text <= TARGET_TEXT_BYTES)} |")
    return "\n".join(lines) + "\n"


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
    sizes = results["code_size"]["veralloc"].get(TARGET_CORE, {})
    if POOL_LIBRARY in sizes:
        text = sizes[POOL_LIBRARY]["-Os"]["text"]
        lines.append(f"| pool <= {POOL_TEXT_BYTES} B of .text at -Os on Cortex-M3 (whole library: init, "
                     f"queries and alloc_zeroed included) | {text} B | {_verdict(text <= POOL_TEXT_BYTES)} |")
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
