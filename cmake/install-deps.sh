#!/bin/sh
# Installs warren's build and test dependencies from Debian 12 packages.
# Runs apt-get as root, or through sudo when run by another user.
set -eu
PACKAGES="build-essential cmake ninja-build ccache pkg-config
  libfmt-dev libcli11-dev nlohmann-json3-dev libyaml-cpp-dev libasio-dev catch2
  amqp-specs python3 python3-pytest python3-pika python3-yaml python3-prometheus-client
  amqp-tools librabbitmq-dev libraft-dev libuv1-dev"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
