#!/bin/sh
# start-frr DIR: DIR is the device folder the lab wrote (FRR, sshd, inetd and snmpd configs,
# login.user with the login user's name and password hash, services.sh starting the daemons).
# The login user exists in this container only; FRR's folder is handed to the image's frr user.
set -e
dir=$1
user=$(cut -d: -f1 "$dir/login.user")
chown frr:frrvty "$dir/frr"
chown frr:frr "$dir"/frr/*.conf
useradd --no-create-home --home-dir "$dir" --shell "$dir/frr/vtysh-login" --gid frrvty "$user"
chpasswd --encrypted < "$dir/login.user"
mkdir -p /run/sshd
# A plain `vtysh` (podman exec, netops lab exec) finds this instance's daemons where it looks.
rm -rf /run/frr
ln -s "$dir/frr" /run/frr
exec sh "$dir/services.sh"
