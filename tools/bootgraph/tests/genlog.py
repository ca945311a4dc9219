#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# genlog.py LINES [DEVICES]: a synthetic initcall_debug console log for
# benchmarks, deterministic, timestamps below 100 s: initcalls, sync probes
# ("probe of"), async_probe queue/start/end lines with deps, dev_printk
# lines and plain noise.  With DEVICES, it stops at that many devices
# (LINES only sets the pace) and spreads them over several buses, for the
# tests of large boots.

import random
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
NDEV = int(sys.argv[2]) if len(sys.argv) > 2 else 0
BUSES = ['pci', 'usb', 'platform', 'i2c', 'spi', 'virtio'] if NDEV else ['pci']
rnd = random.Random(42)
out = sys.stdout
t = 100000                      # usecs
step = max(1, 30000000 // N)    # stay below 100 s
lines = 0
cookie = 0
dev_no = 0
running = []                    # async probes in flight: (end, dev, drv, ck, pid)
buf = []


def emit(msg):
    global lines
    buf.append('[%5d.%06d] %s\n' % (t // 1000000, t % 1000000, msg))
    lines += 1
    if len(buf) >= 4096:
        out.write(''.join(buf))
        buf.clear()


def bus_of(dev):
    return BUSES[int(dev.lstrip('adev')) % len(BUSES)]


def finish_due(now):
    global running
    keep = []
    for r in running:
        end, dev, drv, ck, pid, dur = r
        if end <= now:
            emit('probe of %s returned 0 after %d usecs' % (dev, dur))
            emit('async_probe: end dev=%s bus=%s drv=%s cookie=%d pid=%d ret=0 '
                 'usecs=%d' % (dev, bus_of(dev), drv, ck, pid, dur))
        else:
            keep.append(r)
    running = keep


NOISE = ['random: crng reseeded', 'clocksource: Switched to clocksource tsc',
         'NET: Registered PF_INET protocol family', 'audit: initializing netlink',
         'workingset: timestamp_bits=36 max_order=20 bucket_order=0']
while (dev_no < NDEV) if NDEV else (lines < N):
    t += rnd.randrange(step, 3 * step)
    finish_due(t)
    r = rnd.random()
    if r < 0.08:
        fn = 'init_fn_%d' % rnd.randrange(200000)
        d = rnd.randrange(1, 2000)
        emit('calling  %s+0x0/0x40 @ 1' % fn)
        t += d
        emit('initcall %s+0x0/0x40 returned 0 after %d usecs' % (fn, d))
    elif r < 0.16:
        dev_no += 1
        dev = 'dev%d' % dev_no
        d = rnd.randrange(1, 500)
        emit('%s %s: [8086:%04x] type 00 class 0x020000'
             % (bus_of(dev), dev, dev_no % 65536))
        t += d
        emit('probe of %s returned 0 after %d usecs' % (dev, d))
    elif r < 0.24 and len(running) < 64:
        dev_no += 1
        cookie += 1
        dev = 'adev%d' % dev_no
        drv = 'drv%d' % (dev_no % 300)
        pid = 100 + cookie % 32
        deps = 'adev%d' % (dev_no - 1) if dev_no % 3 == 0 else '-'
        dur = rnd.randrange(step, 40 * step)
        emit('async_probe: queue dev=%s bus=%s drv=%s cookie=%d deps=%s'
             % (dev, bus_of(dev), drv, cookie, deps))
        if NDEV:                # a wait in the queue before the start
            t += rnd.randrange(1, step)
        emit('async_probe: start dev=%s bus=%s drv=%s cookie=%d pid=%d'
             % (dev, bus_of(dev), drv, cookie, pid))
        emit('%s %s: probing' % (drv, dev))
        running.append((t + dur, dev, drv, cookie, pid, dur))
    elif r < 0.6:
        emit('%s dev%d: some driver message %d' % (rnd.choice(['pci', 'usb', 'e1000']),
                                                   rnd.randrange(1, dev_no + 2), lines))
    else:
        emit(rnd.choice(NOISE))
finish_due(t + 10 ** 9)
emit('Freeing unused kernel image (initmem) memory: 3176K')
emit('Run /init as init process')
out.write(''.join(buf))
