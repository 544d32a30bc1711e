# Sourced (sh or bash): puts a Node.js >= 22.19 first on PATH.
# When the machine's node is older (or missing), the official binary is installed once from the
# npm registry (package node-<os>-<arch>, the binary that the `node` package's installer would
# fetch) into a cache folder outside the repository, and used from there. Before it downloads, it says
# what it fetches, from where, how big it is and where it goes.

# cc_node_ok: whether `node` on PATH is >= 22.19.
cc_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=19)?0:1)' 2>/dev/null
}

# cc_download_size URL: the size of URL's body in MB ("52.8 MB"), or "size unknown".
cc_download_size() {
  cc_bytes=""
  if command -v curl >/dev/null 2>&1; then
    cc_bytes=$(curl -sfIL "$1" 2>/dev/null | tr -d '\r' | awk 'tolower($1) == "content-length:" { n = $2 } END { print n }')
  elif command -v wget >/dev/null 2>&1; then
    cc_bytes=$(wget -q -S --spider "$1" 2>&1 | tr -d '\r' | awk 'tolower($1) == "content-length:" { n = $2 } END { print n }')
  fi
  case "$cc_bytes" in
    '' | *[!0-9]*) echo "size unknown" ;;
    *) awk -v b="$cc_bytes" 'BEGIN { printf "%.1f MB", b / 1000000 }' ;;
  esac
}

# cc_node_bin SPEC: installs node-<os>-<arch>@SPEC (e.g. 24, 22.19.0) once and prints its bin folder.
cc_node_bin() {
  cc_os=$(uname -s | tr '[:upper:]' '[:lower:]')
  case "$(uname -m)" in
    x86_64|amd64) cc_arch=x64 ;;
    aarch64|arm64) cc_arch=arm64 ;;
    *) cc_arch=$(uname -m) ;;
  esac
  cc_dir="${CC_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oauth-client-credentials}/node-$1-$cc_os-$cc_arch"
  cc_bin="$cc_dir/node_modules/node-$cc_os-$cc_arch/bin"
  if [ ! -x "$cc_bin/node" ]; then
    cc_pkg="node-$cc_os-$cc_arch@$1"
    # The newest release matching SPEC and its tarball (one line per release when SPEC is a range).
    cc_url=$(npm view "$cc_pkg" dist.tarball 2>/dev/null | tail -n 1 | sed -n "s|.*\(https*://[^' ]*\.tgz\).*|\1|p")
    if [ -n "$cc_url" ]; then
      cc_version=${cc_url##*/node-"$cc_os"-"$cc_arch"-}
      cc_pkg="node-$cc_os-$cc_arch@${cc_version%.tgz}"
      echo "fetching $cc_pkg from the npm registry ($(cc_download_size "$cc_url"): $cc_url), once, into $cc_dir" >&2
    else
      echo "fetching $cc_pkg from the npm registry, once, into $cc_dir" >&2
    fi
    mkdir -p "$cc_dir"
    npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$cc_dir" "$cc_pkg" >&2 || return 1
    echo "fetched $cc_pkg" >&2
  fi
  printf '%s\n' "$cc_bin"
}

if ! cc_node_ok; then
  cc_old=$(node --version 2>/dev/null || echo "no node")
  cc_found=$(cc_node_bin "${CC_NODE_MAJOR:-24}") || { echo "could not install Node.js from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  PATH="$cc_found:$PATH"
  export PATH
  cc_node_ok || { echo "could not provide Node.js >= 22.19" >&2; return 1 2>/dev/null || exit 1; }
  echo "node on PATH is $cc_old, this project needs >= 22.19: using $(node --version) from $cc_found" >&2
fi
