#!/bin/sh
# Builds warren into ./build and runs every test (unit, golden CLI transcripts,
# integration tests against real nodes), two at a time.
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${WARREN_CMAKE_FLAGS:-}
cmake --build build -j2
ctest --test-dir build -j2 --output-on-failure --timeout 600
