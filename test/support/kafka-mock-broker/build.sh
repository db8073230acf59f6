#!/usr/bin/env sh
# Compiles the mock broker next to its source (needs a C compiler and librdkafka-dev).
set -eu
cd "$(dirname "$0")"
cc -O2 -Wall -Wextra -o kafka-mock-broker kafka-mock-broker.c $(pkg-config --cflags --libs rdkafka 2>/dev/null || echo -lrdkafka)
