"""Backs up lab devices with Netmiko as a typical script does: a thread pool of PARALLEL workers,
one ConnectHandler per device with Netmiko's default timing (fast_cli=True shortens its waits and
loses devices whose answers are late), `show running-config` written to OUT/NAME.cfg.
Reads a JSON job on stdin: {"parallel", "out", "username", "password", "hosts": [{"name", "port"}]}.
Prints one line per failed device on stderr ("NAME: error"); exits 1 if any failed."""
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

from netmiko import ConnectHandler

job = json.load(sys.stdin)


def backup(host):
    conn = ConnectHandler(
        device_type="cisco_ios",
        host="127.0.0.1",
        port=host["port"],
        username=job["username"],
        password=job["password"],
        timeout=60,
    )
    try:
        config = conn.send_command("show running-config")
    finally:
        conn.disconnect()
    with open(os.path.join(job["out"], host["name"] + ".cfg"), "w") as out:
        out.write(config)


def attempt(host):
    try:
        backup(host)
        return None
    except Exception as error:  # a failed device is counted, the others go on
        return "%s: %s" % (host["name"], " ".join(str(error).split()))


with ThreadPoolExecutor(max_workers=job["parallel"]) as pool:
    failures = [f for f in pool.map(attempt, job["hosts"]) if f]
for failure in failures:
    print(failure, file=sys.stderr)
sys.exit(1 if failures else 0)
