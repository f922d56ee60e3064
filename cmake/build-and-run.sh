#!/bin/sh
# Builds warren into ./build and runs a node in the foreground with the default
# configuration: node warren@<host>, AMQP on 5672, data under ~/.local/share/warren.
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWARREN_BUILD_TESTS=OFF
cmake --build build -j2
exec ./build/bin/warren-server "$@"
