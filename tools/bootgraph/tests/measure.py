#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# measure.py STDIN STDOUT CMD...: run CMD, print "seconds peak-rss-kB exit"
# and, when the peak is only an upper bound, a fourth field "bound".
#
# The peak RSS is GNU time's (/usr/bin/time, %M).  Without it, it is the
# children's ru_maxrss, which counts this Python process too: the kernel
# keeps the high-water mark of the memory a child had before it executed
# CMD, a copy of this one's, so small figures are this process's size.
import os
import resource
import subprocess
import sys
import tempfile
import time

GNU_TIME = '/usr/bin/time'

cmd = sys.argv[3:]
rss_file = None
if os.access(GNU_TIME, os.X_OK):
    rss_file = tempfile.NamedTemporaryFile('r', prefix='measure.')
    cmd = [GNU_TIME, '-q', '-f', '%M', '-o', rss_file.name] + cmd
t0 = time.monotonic()
with open(sys.argv[1], 'rb') as i, open(sys.argv[2], 'wb') as o:
    rc = subprocess.call(cmd, stdin=i, stdout=o, stderr=subprocess.DEVNULL)
dt = time.monotonic() - t0
if rss_file:
    # the last line: "Command exited with non-zero status N" may come first
    rss = int(rss_file.read().split()[-1])
    print('%.2f %d %d' % (dt, rss, rc))
else:
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print('%.2f %d %d bound' % (dt, rss, rc))
