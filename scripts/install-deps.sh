#!/usr/bin/env bash
# Installs the Debian packages that netops' tests and lab use. Idempotent: packages already present
# are not touched, so the test setup can call it on every run. Daemons are never started by the
# install (a policy-rc.d refuses it): tests start their own instances on loopback or in namespaces.
#   scripts/install-deps.sh            install what is missing
#   scripts/install-deps.sh --check    exit 1 and list what is missing, install nothing
set -euo pipefail

packages=(
  git iproute2 procps
  tftp-hpa atftp tftpd-hpa busybox curl            # TFTP peers (atftpd is unpacked privately below)
  openssh-client openssh-server sshpass            # SSH peers
  inetutils-telnet inetutils-telnetd               # Telnet peers
  inetutils-inetd openssl                          # netns lab: telnetd for frr devices, password hashes; certificates of the rediss:// test
  snmp snmpd                                       # net-snmp tools and agent
  frr                                              # real routing daemons with vtysh
  python3-netmiko rancid expect ansible            # third-party network automation clients (peers in bench, ansible-inventory for the importer)
  redis-server                                     # queue for multi-runner scale-out
  chromium                                         # headless browser for report tests
  libxml2-utils                                    # xmllint: JUnit reports validated against the schema
  podman runc conmon golang-github-containers-common containernetworking-plugins  # container lab: podman with runc (crun fails on hybrid cgroups) and the CNI bridge
  mmdebstrap                                       # container lab: the base image from Debian packages (no registry)
  nftables                                         # container lab tests: `nft list tables` after lab down
  python3 util-linux iputils-ping                  # link impairment: the TUN relay (Debian's python3), nsenter; ping in its tests
  linux-perf                                       # bench/tftp: CPU of a TFTP daemon's whole tree (tftpd-hpa's per-transfer children)
  gcc libc6-dev                                    # bench/tftp: the C floor (c-floor.c), what any server spends per datagram here
)
# tftpd-hpa and atftpd both ship /usr/sbin/in.tftpd, so atftpd lives in a private folder.
atftpd_dir=/var/cache/netops/atftpd

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[ -x "$atftpd_dir/usr/sbin/atftpd" ] || need_atftpd=1

if [ "${1:-}" = "--check" ]; then
  if [ ${#missing[@]} -eq 0 ] && [ -z "${need_atftpd:-}" ]; then exit 0; fi
  echo "missing: ${missing[*]} ${need_atftpd:+atftpd(private)}"
  echo "install with: sudo bash scripts/install-deps.sh"
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: root is needed to install: ${missing[*]}" >&2
  exit 1
fi

if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  policy=/usr/sbin/policy-rc.d
  had_policy=0; [ -e "$policy" ] && had_policy=1
  if [ $had_policy -eq 0 ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; fi
  trap '[ $had_policy -eq 0 ] && rm -f "$policy"' EXIT
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -n "${need_atftpd:-}" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq atftpd >/dev/null)
  mkdir -p "$atftpd_dir"
  dpkg -x "$tmp"/atftpd_*.deb "$atftpd_dir"
  rm -rf "$tmp"
fi
echo "install-deps: all present"
