#!/usr/bin/env bash
# Fetches the benchmark's peer allocators (o1heap, TLSF, umm_malloc) at the commits the benchmark
# is pinned to, into the folder bench/peers.bzl reads (default ../shared/peers next to this
# checkout; or the folder given as the argument, then pass it to Bazel with
# --repo_env=VERALLOC_PEERS=FOLDER). Needs git and network access to github.com. The peers are
# third-party code under their own licences: they are never copied into this repository.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-$root/../shared/peers}"
mkdir -p "$target"
target="$(cd "$target" && pwd)"

# name  upstream  commit  files to keep (the same pins as PINNED in bench/peers.bzl)
peers=(
    "o1heap https://github.com/pavel-kirienko/o1heap.git b3a1aa43e1ff0a4ce8b2c5180e878c2011b6bc25 o1heap/o1heap.c:o1heap.c o1heap/o1heap.h:o1heap.h LICENSE:LICENSE"
    "tlsf https://github.com/mattconte/tlsf.git deff9ab509341f264addbd3c8ada533678591905 tlsf.c:tlsf.c tlsf.h:tlsf.h README.md:README.md"
    "umm_malloc https://github.com/rhempel/umm_malloc.git ed68d0b5f40d83b34fd14cbbd99c4fc1e8aad77d src:src LICENSE:LICENSE README.md:README.md"
)

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for entry in "${peers[@]}"; do
    read -r name url commit files <<<"$entry"
    if [ -f "$target/$name/COMMIT" ] && [ "$(cat "$target/$name/COMMIT")" = "$commit" ]; then
        echo "fetch_peers: $name already at $commit"
        continue
    fi
    echo "fetch_peers: $name from $url at $commit"
    git clone --quiet "$url" "$scratch/$name"
    git -C "$scratch/$name" checkout --quiet "$commit"
    rm -rf "${target:?}/$name"
    mkdir -p "$target/$name"
    read -r -a pairs <<<"$files"
    for pair in "${pairs[@]}"; do
        cp -R "$scratch/$name/${pair%%:*}" "$target/$name/${pair##*:}"
    done
    echo "$commit" >"$target/$name/COMMIT"
done
echo "fetch_peers: peers in $target"
