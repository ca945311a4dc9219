#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# KUnit ran during boot (kunit.enable=1); keep each suite's KTAP from debugfs.
mkdir -p /out/kunit
for r in /sys/kernel/debug/kunit/*/results; do
	[ -f "$r" ] || continue
	s=${r%/results}
	cp "$r" "/out/kunit/${s##*/}.ktap"
done
echo "$(ls /out/kunit | wc -l) KUnit suites ran"
