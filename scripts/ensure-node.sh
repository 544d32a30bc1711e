# Sourced (sh or bash): puts a Node.js >= 22.19 first on PATH.
# When the machine's node is older (or missing), the official binary is installed once from the
# npm registry (package node-<os>-<arch>, the binary that the `node` package's installer would
# fetch) into a cache folder outside the repository, and used from there.

# cc_node_ok: whether `node` on PATH is >= 22.19.
cc_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=19)?0:1)' 2>/dev/null
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
    echo "installing node-$cc_os-$cc_arch@$1 from the npm registry into $cc_dir" >&2
    mkdir -p "$cc_dir"
    npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$cc_dir" "node-$cc_os-$cc_arch@$1" >&2 || return 1
  fi
  printf '%s\n' "$cc_bin"
}

if ! cc_node_ok; then
  echo "Node.js >= 22.19 not found on PATH; using node ${CC_NODE_MAJOR:-24} from the npm registry" >&2
  cc_found=$(cc_node_bin "${CC_NODE_MAJOR:-24}") || { echo "could not install Node.js from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  PATH="$cc_found:$PATH"
  export PATH
  cc_node_ok || { echo "could not provide Node.js >= 22.19" >&2; return 1 2>/dev/null || exit 1; }
fi
