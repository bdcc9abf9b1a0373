"""Runs a command as a child subreaper (prctl PR_SET_CHILD_SUBREAPER): descendants that detach
(Ansible's persistent `ansible-connection` daemons) are re-parented here and reaped, so their CPU
reaches the caller's cutime/cstime. When the command ends, the descendants it left running (idle
daemons waiting for their idle time-out) are sent SIGTERM and reaped. Exits with the command's
code; prints `subreaper: command ended after S s` on stderr, the command's own wall time."""
import ctypes
import os
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36

if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit("subreaper: prctl(PR_SET_CHILD_SUBREAPER) failed: %s" % os.strerror(ctypes.get_errno()))
started = time.monotonic()
code = subprocess.call(sys.argv[1:])
wall = time.monotonic() - started
for task in os.listdir("/proc/self/task"):
    with open("/proc/self/task/%s/children" % task) as children:
        for pid in children.read().split():
            try:
                os.kill(int(pid), signal.SIGTERM)
            except ProcessLookupError:
                pass  # ended meanwhile; reaped below
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
sys.stderr.write("subreaper: command ended after %.3f s\n" % wall)
sys.exit(code)
