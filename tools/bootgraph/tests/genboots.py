#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# genboots.py SEED NOISE SPEC...: one synthetic boot of a stock kernel
# booted with initcall_debug, for the tests of diff and of summary over
# several boots.  Each SPEC is DEV:DRIVER:USECS (a device, probed after
# one dev_printk() line naming its driver) or init:FUNC:USECS (an
# initcall); every duration is drawn uniformly within +-NOISE percent of
# USECS by a generator seeded with SEED, so a boot is reproducible.
# USECS may be a list U0/U1/...: boot SEED takes U(SEED % count), as it is.

import random
import sys

seed, noise = int(sys.argv[1]), float(sys.argv[2]) / 100
rnd = random.Random(seed)
t = 300000                      # usecs since boot


def line(msg):
    print('[%5d.%06d] %s' % (t // 1000000, t % 1000000, msg))


line('Linux version 6.12.0 (genboots) #1 SMP')
line('clocksource: Switched to clocksource tsc')
for spec in sys.argv[3:]:
    name, what, usecs = spec.rsplit(':', 2)
    if '/' in usecs:
        vals = usecs.split('/')
        d = int(vals[seed % len(vals)])
    else:
        d = max(1, round(int(usecs) * (1 + rnd.uniform(-noise, noise))))
    if name == 'init':
        t += 100
        line('calling  %s+0x0/0x40 @ 1' % what)
        t += d
        line('initcall %s+0x0/0x40 returned 0 after %d usecs' % (what, d))
    else:
        t += 100
        line('%s %s: probing' % (what, name))
        t += d
        line('probe of %s returned 0 after %d usecs' % (name, d))
t += 1000
line('Run /init as init process')
