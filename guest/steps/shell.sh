#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An interactive shell on the console (make boot SHELL=1); exit to power off.
echo "harness shell: type 'exit' to power off"
setsid cttyhack sh -l </dev/console >/dev/console 2>&1
