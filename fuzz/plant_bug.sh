#!/usr/bin/env bash
# plant_bug.sh SOURCE OUTPUT FIND REPLACE: writes SOURCE to OUTPUT with the text FIND (a fixed
# string, not a pattern) replaced by REPLACE, for fuzz targets that must show the harness finds a
# bug (fuzz/BUILD, docs/fuzzing.md). Fails unless FIND occurs exactly once, so a planted bug can
# never silently turn into an unchanged copy when the source is edited.
set -euo pipefail
source_file=$1
output=$2
find=$3
replace=$4

occurrences=$(grep -cF -- "$find" "$source_file" || true)
if [ "$occurrences" != 1 ]; then
    echo "plant_bug: '$find' occurs on $occurrences lines of $source_file, expected exactly 1" >&2
    exit 1
fi
FIND="$find" REPLACE="$replace" awk '
    BEGIN { find = ENVIRON["FIND"]; replace = ENVIRON["REPLACE"] }
    {
        position = index($0, find)
        if (position > 0) {
            $0 = substr($0, 1, position - 1) replace substr($0, position + length(find))
        }
        print
    }' "$source_file" >"$output"
if cmp -s "$source_file" "$output"; then
    echo "plant_bug: the output equals $source_file" >&2
    exit 1
fi
