#!/bin/sh
# Takes the screenshots of docs/screenshots/ from the real MainWindow under a virtual X server:
# contacts, a preview with a skipped email, a run in progress, a run finished, sends per day.
# Usage: docs/screenshots.sh [build-dir]   (needs xvfb-run; builds the es-screenshots target)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-"$here/../build"}
cmake --build "$build" --target es-screenshots
tool=$(find "$build" -type f -name es-screenshots -perm -u+x | head -n 1)
[ -n "$tool" ] || { echo "es-screenshots not built in $build" >&2; exit 1; }
# A private HOME keeps the user's settings and demo database out of it.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
HOME="$home" xvfb-run -a -s "-screen 0 1600x1000x24" "$tool" --out "$here/screenshots" --contacts 150000
ls -l "$here/screenshots"
