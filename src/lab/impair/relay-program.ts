/**
 * The impairment relay, a Python 3 (standard library only) program: Node cannot attach to a TUN
 * device (TUNSETIFF is an ioctl), Debian's python3 can. It attaches to the lab's persistent TUN
 * devices (`imp-in`, `imp-out`), reads each packet the kernel routed there, and writes it back after
 * its delay (plus jitter), at once (reordering), or twice (duplication); the kernel then routes it
 * on. It exits when the process named by `exitWith` (a container's init) exits. Kept as text here so
 * that `tsc` ships it in dist/ like the rest of the lab; `relay.ts` writes it beside its config.
 */
export const relayProgram = String.raw`"""netops lab impairment relay: delays, jitters, reorders and duplicates packets on TUN devices."""
import fcntl
import heapq
import json
import os
import random
import select
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def attach(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def hold_time(link):
    if link["reorderPercent"] > 0 and random.random() * 100 < link["reorderPercent"]:
        return 0.0
    jitter = link["jitterMs"]
    return max(0.0, link["delayMs"] + random.uniform(-jitter, jitter)) / 1000


def copies(link):
    return 2 if random.random() * 100 < link["duplicatePercent"] else 1


def main(config_file):
    with open(config_file) as f:
        config = json.load(f)
    links = {attach(link["device"]): link for link in config["links"]}
    watched = [os.pidfd_open(config["exitWith"])] if config.get("exitWith") else []
    queue, sequence, limit = [], 0, config["limit"]
    print("relay ready:", ", ".join(link["device"] for link in links.values()), flush=True)
    while True:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else None
        ready, _, _ = select.select([*links, *watched], [], [], timeout)
        if any(fd in watched for fd in ready):
            print("process", config["exitWith"], "exited: relay stops", flush=True)
            return
        for fd in ready:
            link = links[fd]
            while True:
                try:
                    packet = os.read(fd, 65535)
                except BlockingIOError:
                    break
                for _ in range(copies(link)):
                    if len(queue) < limit:
                        sequence += 1
                        heapq.heappush(queue, (time.monotonic() + hold_time(link), sequence, fd, packet))
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, fd, packet = heapq.heappop(queue)
            try:
                os.write(fd, packet)
            except OSError as error:
                print("write to", links[fd]["device"], "failed:", error, flush=True)


main(sys.argv[1])
`;
