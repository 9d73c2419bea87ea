"""Allocation traces of real programs (bench/traces/): their format, summary and replay file.

A trace is gzip-compressed text, one call per line after `#` header lines:

    a SLOT SIZE     allocate SIZE bytes; the block is called SLOT from now on
    f SLOT          free the block SLOT
    r SLOT SIZE     realloc the block SLOT to SIZE bytes (it stays SLOT)

Slots are numbered densely and reused after a free (the lowest free slot is taken), so the
largest slot + 1 is the most blocks ever live at once; the replay keeps one pointer per slot.
bench/traces/record.py writes traces; the runner turns one into the binary file the firmware
reads (bench/firmware/traces.c) and replays it.
"""

import gzip
import struct

MAGIC = 0x31525456  # "VTR1", as bench/firmware/traces.c expects
OPERATIONS = {"a": ord("a"), "f": ord("f"), "r": ord("r")}


class TraceError(Exception):
    pass


def read(path):
    """(header lines without '# ', [(operation, slot, size)]) of a committed trace."""
    header = []
    calls = []
    with gzip.open(path, "rt", encoding="ascii") as trace:
        for number, line in enumerate(trace, 1):
            if line.startswith("#"):
                header.append(line[1:].strip())
                continue
            words = line.split()
            if not words or words[0] not in OPERATIONS or len(words) != (2 if words[0] == "f" else 3):
                raise TraceError(f"{path}:{number}: not a trace line: {line.strip()!r}")
            calls.append((words[0], int(words[1]), int(words[2]) if len(words) == 3 else 0))
    return header, calls


def write(path, header, calls):
    """Writes a trace reproducibly (no name or time in the gzip header)."""
    lines = [f"# {line}\n" for line in header]
    lines += [f"{operation} {slot}\n" if operation == "f" else f"{operation} {slot} {size}\n"
              for operation, slot, size in calls]
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as trace:
            trace.write("".join(lines).encode("ascii"))


def summary(calls):
    """Counts, the peak of live requested bytes and of live blocks, the largest request."""
    live = {}
    live_bytes = peak_bytes = 0
    counts = {"a": 0, "f": 0, "r": 0}
    largest = 0
    for operation, slot, size in calls:
        counts[operation] += 1
        if operation == "f":
            live_bytes -= live.pop(slot)
            continue
        if operation == "a" and slot in live:
            raise TraceError(f"slot {slot} allocated twice")
        if operation == "r" and slot not in live:
            raise TraceError(f"realloc of slot {slot}, which is not live")
        live_bytes += size - live.get(slot, 0)
        live[slot] = size
        largest = max(largest, size)
        peak_bytes = max(peak_bytes, live_bytes)
    return {
        "calls": len(calls),
        "alloc": counts["a"],
        "free": counts["f"],
        "realloc": counts["r"],
        "peak_live_bytes": peak_bytes,
        "peak_live_blocks": 1 + max((slot for _, slot, _ in calls), default=-1),
        "largest_request": largest,
    }


def binary(calls):
    """The replay file: MAGIC, slot count, call count, then (operation, slot, size) per call."""
    slots = 1 + max((slot for _, slot, _ in calls), default=-1)
    words = [MAGIC, slots, len(calls)]
    for operation, slot, size in calls:
        words += [OPERATIONS[operation], slot, size]
    return struct.pack(f"<{len(words)}I", *words)


def prefix(calls, count):
    """The first `count` calls: a trace starts with no block live, so every free and realloc in a
    prefix is of a block the prefix allocated."""
    return list(calls[:count])
