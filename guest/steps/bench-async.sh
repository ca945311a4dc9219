#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the async benchmark module; its lines land in /out/bench-async.txt.
insmod /extra/async_bench.ko ${BENCH_ARGS:-} || exit 1
dmesg | grep 'async_bench: ' >/out/bench-async.txt
rmmod async_bench
tail -n 3 /out/bench-async.txt
