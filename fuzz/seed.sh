#!/bin/sh
# Writes seed inputs for the fuzz targets into fuzz/seeds/ (not committed):
# the code of every case of the conformance suite (one file each, for the
# parse and expand targets) and every $(( … )) expression in it (for the
# arith target). Usage: fuzz/seed.sh [SUITE_DIR]
# (default: the oils folder of ../shared/conformance beside the project).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
suite=${1:-$here/../../shared/conformance/oils}
out=$here/seeds
rm -rf "$out"
mkdir -p "$out/code" "$out/arith"
for f in "$suite"/*.test.sh; do
    base=$(basename "$f" .test.sh)
    awk -v dir="$out/code" -v base="$base" '
        /^#### / { n++; file = sprintf("%s/%s-%03d", dir, base, n); next }
        /^## / { file = ""; next }
        file != "" { print > file }
    ' "$f"
done
grep -ohE '\$\(\([^()]*\)\)' "$suite"/*.test.sh | sort -u | awk -v dir="$out/arith" '
    { n++; s = substr($0, 4, length($0) - 5); print s > sprintf("%s/%05d", dir, n) }'
echo "seeds: $(ls "$out/code" | wc -l) programs, $(ls "$out/arith" | wc -l) expressions in $out"
