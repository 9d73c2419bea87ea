"""Code size (.text/.data/.bss) of each allocator's objects, with arm-none-eabi-size.

veralloc: the static library of each allocator target (//:arena, //:mira_mem, ...), compiled by
Bazel for each core at -Os and -O2 (bench/BUILD, code_size_objects). Berkeley format: `text` is
code plus read-only data, `data` initialised writable data, `bss` zero-initialised data.

newlib: the members of the core's libc.a / libc_nano.a (the multilib the compiler picks for the
core's flags) that an image calling malloc and free links: starting from the members defining
`malloc` and `free`, every member defining a symbol they need, transitively. Two members are
left out and named in the report: the reentrancy structure (`_impure_ptr`) and `errno`, which
every newlib program links whether or not it allocates. `_sbrk` is the application's own (the
benchmark's is in bench/firmware/adapters/newlib_sbrk.c) and is counted for neither.
Debian builds newlib's libraries with its own flags: they are measured as shipped, once per core.
"""

import re
import subprocess

SIZE = "arm-none-eabi-size"
NM = "arm-none-eabi-nm"
GCC = "arm-none-eabi-gcc"
OBJDUMP = "arm-none-eabi-objdump"

NEWLIB_ROOTS = ("malloc", "free")
NEWLIB_SHARED_SYMBOLS = ("_impure_ptr", "errno")


class CodeSizeError(Exception):
    pass


def _run(command):
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    if completed.returncode != 0:
        raise CodeSizeError(f"{' '.join(command)}: {completed.stderr.strip()}")
    return completed.stdout


def member_sizes(archive):
    """{member: {"text": n, "data": n, "bss": n}} for every object in `archive`."""
    sizes = {}
    for line in _run([SIZE, "-B", archive]).splitlines()[1:]:
        fields = line.split()
        if len(fields) < 6:
            continue
        member = fields[5]
        sizes[member] = {"text": int(fields[0]), "data": int(fields[1]), "bss": int(fields[2])}
    return sizes


def total(sizes):
    sizes = list(sizes)
    return {key: sum(entry[key] for entry in sizes) for key in ("text", "data", "bss")}


def newlib_archive(core_flags, nano):
    name = "libc_nano.a" if nano else "libc.a"
    path = _run([GCC] + core_flags + ["-print-file-name=" + name]).strip()
    if path == name:
        raise CodeSizeError(f"{GCC} {' '.join(core_flags)} found no {name}")
    return path


def _symbol_table(archive):
    defined = {}
    needed = {}
    pattern = re.compile(r"^[^:]+:([^:]+):\s*(?:[0-9a-fA-F]+)?\s+([A-Za-z])\s+(\S+)$")
    for line in _run([NM, "-A", archive]).splitlines():
        match = pattern.match(line)
        if not match:
            continue
        member, kind, symbol = match.groups()
        if kind == "U":
            needed.setdefault(member, set()).add(symbol)
        elif kind.isupper():
            defined.setdefault(symbol, member)
    return defined, needed


def newlib_malloc_free(core_flags, nano):
    """Size of newlib's malloc + free for a core: (totals, counted members, shared members)."""
    archive = newlib_archive(core_flags, nano)
    defined, needed = _symbol_table(archive)
    members = set()
    pending = list(NEWLIB_ROOTS)
    while pending:
        symbol = pending.pop()
        member = defined.get(symbol)
        if member is None or member in members:
            continue  # defined outside libc (_sbrk), or already counted
        members.add(member)
        pending.extend(sorted(needed.get(member, ())))
    shared = {defined[symbol] for symbol in NEWLIB_SHARED_SYMBOLS if symbol in defined} & members
    counted = sorted(members - shared)
    sizes = member_sizes(archive)
    missing = [member for member in counted if member not in sizes]
    if missing:
        raise CodeSizeError(f"{archive}: no size for {missing}")
    return total(sizes[member] for member in counted), counted, sorted(shared)


def _sections_and_references(archive):
    """({(member, section): (size, kind)}, {(member, section): {symbols or sections it refers to}},
    {(member, symbol): section}) of every object in `archive`, from objdump's section headers,
    relocations and symbol table. kind: "text" (read-only: code and constants), "data" or "bss"."""
    sections, references, symbols = {}, {}, {}
    member = None
    current = None
    lines = _run([OBJDUMP, "-h", "-r", "-t", archive]).splitlines()
    for index, line in enumerate(lines):
        header = re.match(r"^(\S+):\s+file format ", line)
        if header:
            member = header.group(1)
            continue
        section = re.match(r"^\s*\d+\s+(\S+)\s+([0-9a-fA-F]+)\s+[0-9a-fA-F]+\s+[0-9a-fA-F]+\s+[0-9a-fA-F]+\s+2\*\*\d+$", line)
        if section and index + 1 < len(lines):
            flags = lines[index + 1]
            if "ALLOC" in flags:
                kind = "text" if "READONLY" in flags else ("data" if "LOAD" in flags else "bss")
                sections[(member, section.group(1))] = (int(section.group(2), 16), kind)
            continue
        records = re.match(r"^RELOCATION RECORDS FOR \[(\S+)\]:$", line)
        if records:
            current = (member, records.group(1))
            references.setdefault(current, set())
            continue
        relocation = re.match(r"^[0-9a-fA-F]+\s+R_\S+\s+(\S+?)(?:[+-]0x[0-9a-fA-F]+)?$", line)
        if relocation and current is not None:
            references[current].add(relocation.group(1))
            continue
        symbol = re.match(r"^[0-9a-fA-F]+\s.{7}\s(\S+)\s+[0-9a-fA-F]+\s+(\S+)$", line)
        if symbol:
            symbols[(member, symbol.group(2))] = symbol.group(1)
        if not line.strip():
            current = None
    return sections, references, symbols


def reachable_size(archive, roots):
    """Size of the functions `roots` of `archive` and of every section they reach through their
    relocations (static helpers, constant tables), transitively: what a linker with --gc-sections
    keeps of the library for a program that calls exactly those functions. Needs objects compiled
    with -ffunction-sections (one section per function); raises CodeSizeError otherwise."""
    sections, references, symbols = _sections_and_references(archive)
    pending = []
    for root in roots:
        found = [(member, section) for (member, name), section in symbols.items() if name == root]
        if len(found) != 1 or found[0] not in sections or sections[found[0]][0] == 0:
            raise CodeSizeError(f"{archive}: {root} is not one function in a section of its own")
        pending.append(found[0])
    kept = set()
    while pending:
        key = pending.pop()
        if key in kept or key not in sections:
            continue
        kept.add(key)
        member = key[0]
        for name in references.get(key, ()):
            target = (member, name) if (member, name) in sections else (member, symbols.get((member, name)))
            pending.append(target)
    totals = {"text": 0, "data": 0, "bss": 0}
    for key in kept:
        size, kind = sections[key]
        totals[kind] += size
    return totals, sorted(section for _, section in kept)
