#!/bin/sh
# Fails when a C++ source or header of the tree differs from what .clang-format makes of it,
# naming each file. Run by ctest (guard_clang_format); fix with:
#   git ls-files '*.cpp' '*.h' | xargs clang-format -i
set -eu
root=${1:?usage: clang-format-guard.sh <source root>}
cd "$root"
if ! command -v clang-format >/dev/null 2>&1; then
    echo "clang-format is not installed (.ci/deps installs it)" >&2
    exit 1
fi
bad=0
for f in $(find app model scheduler ui tests bench -name '*.cpp' -o -name '*.h' | sort); do
    if ! clang-format --style=file "$f" | cmp -s - "$f"; then
        echo "not formatted: $f" >&2
        bad=1
    fi
done
exit $bad
