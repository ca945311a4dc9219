#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# measure.py STDIN STDOUT CMD...: run CMD, print "seconds peak-rss-kB".
import resource
import subprocess
import sys
import time

t0 = time.monotonic()
with open(sys.argv[1], 'rb') as i, open(sys.argv[2], 'wb') as o:
    rc = subprocess.call(sys.argv[3:], stdin=i, stdout=o, stderr=subprocess.DEVNULL)
dt = time.monotonic() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print('%.2f %d %d' % (dt, rss, rc))
