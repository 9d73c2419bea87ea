#!/usr/bin/env bash
# Release basics agree with each other: the version macros (include/veralloc/version.h) spell
# one version, CHANGELOG.md has a section for it, the licence is the MIT licence, and both files
# of the distribution carry that version and the licence text (a team that copies only the two
# files keeps the notice the MIT licence asks for).
#
# Usage: release_test.sh include/veralloc/version.h CHANGELOG.md LICENSE dist/veralloc.h dist/veralloc.c
set -euo pipefail

version_h=$1 changelog=$2 license=$3 dist_h=$4 dist_c=$5
status=0
fail() { echo "FAIL: $*"; status=1; }

number() { sed -n -E "s/^#define $1 ([0-9]+)u\$/\\1/p" "$version_h"; }
major=$(number VERA_VERSION_MAJOR)
minor=$(number VERA_VERSION_MINOR)
patch=$(number VERA_VERSION_PATCH)
string=$(sed -n -E 's/^#define VERA_VERSION_STRING "([^"]*)"$/\1/p' "$version_h")
[ -n "$major" ] && [ -n "$minor" ] && [ -n "$patch" ] || { echo "FAIL: version macros not found in $version_h"; exit 1; }
version="$major.$minor.$patch"
[ "$string" = "$version" ] || fail "VERA_VERSION_STRING is \"$string\", the numbers say $version"
[ "$minor" -lt 100 ] && [ "$patch" -lt 100 ] || fail "VERA_VERSION_NUMBER needs MINOR and PATCH below 100"

# VERA_VERSION_NUMBER, as the preprocessor computes it.
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/release.XXXXXX")
cat >"$work/number.c" <<C
#include "$(pwd)/$version_h"
#if VERA_VERSION_NUMBER != ($major * 10000u + $minor * 100u + $patch)
#error VERA_VERSION_NUMBER does not match MAJOR * 10000 + MINOR * 100 + PATCH
#endif
typedef int version_checked;
C
gcc -std=c99 -Wall -Wextra -Wpedantic -Werror -fsyntax-only "$work/number.c" || fail "VERA_VERSION_NUMBER"

grep -qE "^## \[$version\]" "$changelog" || fail "$changelog has no '## [$version]' section"
head -n 1 "$license" | grep -qx 'MIT License' || fail "$license is not the MIT licence"
copyright=$(grep -m 1 '^Copyright' "$license")
for file in "$dist_h" "$dist_c"; do
    head -n 3 "$file" | grep -q "veralloc $version:" || fail "$file does not say it is veralloc $version"
    grep -qF " * $copyright" "$file" || fail "$file does not carry the licence's copyright line"
    grep -qF ' * THE SOFTWARE IS PROVIDED "AS IS"' "$file" || fail "$file does not carry the licence text"
done
[ "$status" -eq 0 ] && echo "PASS: veralloc $version: version macros, CHANGELOG, MIT licence and dist/ agree"
exit "$status"
