#!/bin/sh
# Entry of every netops lab container: the device's own extra addresses (Loopback0, and for the
# TFTP source-interface quirk the address IOS sends from) go on lo before its daemons start, so they
# can bind them; then the command takes over.
set -e
for address in ${NETOPS_LAB_ADDRESSES:-}; do
  ip address add "$address" dev lo
done
exec "$@"
