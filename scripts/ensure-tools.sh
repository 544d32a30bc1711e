#!/bin/sh
# Makes sure system commands that the tests need are on PATH. Missing ones are installed from the
# Debian/Ubuntu packages that provide them with apt-get: as root directly, otherwise through `sudo -n`
# when that works without a password. Where it cannot install, it fails at once with one line naming the
# command to run. It says what it does while it does it; `apt-get update` runs only when the package
# lists do not know a package, or when an install failed and may succeed with fresh lists.
#
# Usage: sh scripts/ensure-tools.sh COMMAND[=PACKAGE]...   (PACKAGE defaults to COMMAND)
#   e.g. sh scripts/ensure-tools.sh redis-server chromium
set -e

missing=""
packages=""
for spec in "$@"; do
  command=${spec%%=*}
  package=${spec#*=}
  command -v "$command" >/dev/null 2>&1 && continue
  missing="${missing:+$missing, }$command"
  packages="${packages:+$packages }$package"
done
[ -n "$packages" ] || exit 0

fail() {
  echo "$1" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 ||
  fail "$missing not found: install $packages with your system's package manager (there is no apt-get here), then run npm test again"
if [ "$(id -u)" -eq 0 ]; then
  as=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as="sudo -n"
else
  fail "$missing not found: run \`sudo apt-get install -y $packages\`, then npm test again"
fi

run_apt_get() {
  # shellcheck disable=SC2086 # $as is empty or `sudo -n`
  $as env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 "$@"
}
update() {
  echo "updating the package lists: ${as:+$as }apt-get update …" >&2
  run_apt_get update
}
install() {
  # shellcheck disable=SC2086 # one word per package
  run_apt_get install -y --no-install-recommends $packages
}
# Whether the package lists know every package (a fresh container has empty lists).
lists_know_packages() {
  for package in $packages; do
    case "$(apt-cache policy "$package" 2>/dev/null)" in
      *"Candidate: (none)"* | "") return 1 ;;
    esac
  done
}

echo "$missing not found: installing Debian's $packages with ${as:+$as }apt-get install …" >&2
lists_know_packages || update
install || { echo "apt-get install failed: updating the package lists and trying once more" >&2 && update && install; } ||
  fail "$missing not found, and apt-get could not install $packages (see above)"

for spec in "$@"; do
  command -v "${spec%%=*}" >/dev/null 2>&1 || fail "${spec%%=*} is still not on PATH after installing ${spec#*=}"
done
echo "installed $packages" >&2
