#!/usr/bin/env bash
# libc_shim_test.sh FIRMWARE_SOURCE SHIM_ARCHIVE [--control BOARD ELF]... [BOARD ELF]...
# The libc shim (libc_shim/heap_libc.c) against newlib, in three steps:
#   1. newlib's allocator members (libc.a and libc_nano.a of the Cortex-M3 multilib; members named
#      after malloc's family) are found, and must include mallocr.o and nano-mallocr.o (so the
#      lists below cannot be empty by mistake). The shim's archive (SHIM_ARCHIVE, Cortex-M3) must
#      define every function those members export, strongly but for the two lock hooks (a member
#      pulled in anyway would then fail the link with a multiple definition), no other member may
#      define one of the shim's functions (a member the name list misses), and the members' data
#      must be referred to by no other member of the libraries (so nothing can pull them).
#   2. The link of every firmware image holds no newlib allocator member: its symbol table defines
#      no symbol that only such a member defines (e.g. __malloc_av_, __malloc_free_list) and has
#      no FILE symbol of their sources (mallocr.c, nano-mallocr.c, ...), and it was compiled with
#      heap_libc.c. The control images (--control: the same calls without the shim, newlib's own
#      malloc) must FAIL this check: it can see a newlib allocator.
#   3. Every image boots on its board: exit 0, no FAIL line, as many "ok" lines as
#      FIRMWARE_SOURCE has CHECK(...) calls (each runs once), "summary checks=N failed=0", and the
#      line the firmware printed through newlib's printf.
set -uo pipefail

source_file=$1
shim_archive=$2
shift 2

work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/libc-shim.XXXXXX")
status=0
fail() {
    echo "FAIL: $*"
    status=1
}

# ---- 1. newlib's allocator members and the shim's symbols --------------------------------------
cpu=(-mcpu=cortex-m3 -mthumb -mfloat-abi=soft)
libc_full=$(arm-none-eabi-gcc "${cpu[@]}" -print-file-name=libc.a)
libc_nano=$(arm-none-eabi-gcc "${cpu[@]}" --specs=nano.specs -print-file-name=libc_nano.a)
# The members of malloc's family, by name (lib_a-<source>.o, nano- for newlib-nano's own).
family_names='malloc|mallocr|freer|realloc|reallocr|calloc|callocr|malign|malignr|aligned_alloc'
family_names+='|msize|msizer|mallinfor|mallstatsr|malloptr|mstats|mtrim|valloc|vallocr|pvallocr'
family_names+='|cfreer|reallocf|reallocarray|mlock'
family="^lib_a-(nano-)?($family_names)\\.o$"

# member TYPE SYMBOL lines of every defined or undefined symbol of LIBRARY
symbols_of() {
    # nm -A prints "LIBRARY:MEMBER:VALUE TYPE SYMBOL" (no value for an undefined symbol)
    arm-none-eabi-nm -A "$1" 2>/dev/null |
        awk 'NF == 3 { member = $1; sub(/^.*\.a:/, "", member); sub(/:.*$/, "", member); print member, $2, $3 }'
}
: >"$work/family_defined"      # member type symbol, defined by an allocator member
: >"$work/others_undefined"    # symbols other members refer to
: >"$work/others_defined"      # member symbol, defined by another member
: >"$work/family_files"        # FILE symbols of the allocator members' sources
: >"$work/other_files"
for library in "$libc_full" "$libc_nano"; do
    [ -f "$library" ] || { fail "newlib library $library not found"; continue; }
    symbols_of "$library" >"$work/all"
    members=$(arm-none-eabi-ar t "$library" | grep -E "$family")
    awk -v list="$(echo $members)" 'BEGIN { n = split(list, m, " "); for (i = 1; i <= n; i++) is[m[i]] = 1 }
        is[$1] && $2 != "U" { print }' "$work/all" >>"$work/family_defined"
    awk -v list="$(echo $members)" 'BEGIN { n = split(list, m, " "); for (i = 1; i <= n; i++) is[m[i]] = 1 }
        !is[$1] && $2 == "U" { print $3 }' "$work/all" >>"$work/others_undefined"
    awk -v list="$(echo $members)" 'BEGIN { n = split(list, m, " "); for (i = 1; i <= n; i++) is[m[i]] = 1 }
        !is[$1] && $2 ~ /^[TW]$/ { print $1, $3 }' "$work/all" >>"$work/others_defined"
    # readelf prints "File: LIBRARY(MEMBER)" before each member's symbols
    arm-none-eabi-readelf -s "$library" | awk -v family="$family" -v ours="$work/family_files" \
        -v theirs="$work/other_files" '
        /^File: / { member = $2; sub(/^.*\(/, "", member); sub(/\)$/, "", member) }
        $4 == "FILE" { print $8 >> (member ~ family ? ours : theirs) }'
done
sort -u -o "$work/others_undefined" "$work/others_undefined"
# A source file name that also belongs to a member outside the family identifies nothing.
grep -v '^$' "$work/family_files" | sort -u | comm -23 - <(sort -u "$work/other_files") >"$work/family_only_files"

members_found=$(awk '{ print $1 }' "$work/family_defined" | sort -u | tr '\n' ' ')
echo "newlib allocator members: $members_found"
for needed in lib_a-mallocr.o lib_a-nano-mallocr.o lib_a-malloc.o; do
    grep -qw -- "$needed" <<<"$members_found" || fail "newlib allocator member $needed not found: the member list is wrong"
done
grep -qx 'mallocr.c' "$work/family_only_files" && grep -qx 'nano-mallocr.c' "$work/family_only_files" ||
    fail "the FILE symbols mallocr.c / nano-mallocr.c of newlib's allocator are not found ($(echo $(cat "$work/family_only_files")))"

arm-none-eabi-nm "$shim_archive" | awk 'NF == 3 && $2 ~ /^[TW]$/ { print $3, $2 }' | sort -u >"$work/shim_defined"
[ -s "$work/shim_defined" ] || fail "the shim's archive $shim_archive defines nothing"
functions=$(awk '$2 == "T" { print $3 }' "$work/family_defined" | sort -u)
for function in $functions; do
    type=$(awk -v s="$function" '$1 == s { print $2 }' "$work/shim_defined")
    case "$function:$type" in
        __malloc_lock:W | __malloc_unlock:W | *:T) ;;
        *:) fail "newlib's allocator defines $function, the shim does not: the member would be linked" ;;
        *) fail "the shim defines $function as $type, not as a strong function" ;;
    esac
done
echo "the shim defines the $(wc -w <<<"$functions") functions of newlib's allocator members"
# A member outside the list that defines one of the shim's functions is an allocator member the
# name list misses (a newer newlib), or a clash: either way the list must be looked at.
while read -r member symbol; do
    grep -qx -- "$symbol [TW]" "$work/shim_defined" &&
        fail "$member (not in the allocator member list) defines $symbol, which the shim defines"
done <"$work/others_defined"
data=$(awk '$2 != "T" { print $3 }' "$work/family_defined" | sort -u)
for symbol in $data; do
    grep -qx -- "$symbol" "$work/others_undefined" &&
        fail "$symbol (data of newlib's allocator) is used outside the allocator: a reference could pull its member"
done
# Only a member's symbols the shim does not define can tell the member is in a link.
awk '{ print $3 }' "$work/family_defined" | sort -u |
    comm -23 - <(awk '{ print $1 }' "$work/shim_defined") >"$work/family_only_symbols"
[ -s "$work/family_only_symbols" ] || fail "no symbol identifies a newlib allocator member in a link"
echo "symbols that only newlib's allocator defines: $(echo $(cat "$work/family_only_symbols"))"

# newlib_allocator_in ELF: prints what in ELF comes from newlib's allocator (empty: nothing).
newlib_allocator_in() {
    local defined files
    defined=$(arm-none-eabi-nm "$1" | awk 'NF == 3 && $2 != "U" { print $3 }' | sort -u)
    files=$(arm-none-eabi-readelf -s "$1" | awk '$4 == "FILE" { print $8 }' | sort -u)
    comm -12 <(echo "$defined") "$work/family_only_symbols" | sed 's/^/symbol /'
    comm -12 <(echo "$files") "$work/family_only_files" | sed 's/^/file /'
}

# ---- 2 and 3: the images -------------------------------------------------------------------
# shellcheck source=tests/qemu_boot.sh
source tests/qemu_boot.sh
checks=$(grep -c '^ *CHECK("' "$source_file")
[ "$checks" -gt 30 ] || fail "only $checks CHECK calls found in $source_file"

controls=0
images=0
while [ "$#" -ge 2 ]; do
    if [ "$1" = --control ]; then
        board=$2
        elf=$3
        shift 3
        controls=$((controls + 1))
        found=$(newlib_allocator_in "$elf")
        if [ -n "$found" ]; then
            echo "PASS: control $(basename "$elf"): the check sees newlib's allocator: $(echo $found)"
        else
            fail "control $elf links newlib's malloc, but the check sees nothing of it"
        fi
        continue
    fi
    board=$1
    elf=$2
    shift 2
    images=$((images + 1))
    name="$(basename "$elf" .elf)"
    found=$(newlib_allocator_in "$elf")
    [ -z "$found" ] || fail "$name links newlib's allocator: $(echo $found)"
    arm-none-eabi-readelf -s "$elf" | awk '$4 == "FILE" { print $8 }' | grep -qx 'heap_libc.c' ||
        fail "$name was not linked with libc_shim/heap_libc.c"

    output="$work/$name.txt"
    qemu_boot 60 "$board" "$elf" "$output"
    code=$?
    passed=$(grep -c '^ok ' "$output")
    if [ "$code" -ne 0 ] || grep -q '^FAIL' "$output" || [ "$passed" -ne "$checks" ] ||
        ! grep -qx "summary checks=$checks failed=0" "$output" ||
        ! grep -qx "libc shim: printf 42 through newlib's stdio" "$output"; then
        fail "$name on $board: exit $code, $passed of $checks checks passed:"
        grep -E '^(FAIL|summary)' "$output"
        tail -3 "$output.qemu"
    else
        echo "PASS: $name on $board: $passed checks, printf through the shim, no newlib allocator linked"
    fi
done
[ "$#" -eq 0 ] && [ "$images" -gt 0 ] && [ "$controls" -gt 0 ] ||
    { echo "FAIL: usage: $0 SOURCE SHIM_ARCHIVE [--control BOARD ELF]... [BOARD ELF]..."; exit 2; }
exit "$status"
