# Sourced (sh or bash): puts a Node.js >= 22.19 first on PATH.
# When the machine's node is older (or missing), the official binary is installed once from the
# npm registry (package node-<os>-<arch>, the binary that the `node` package's installer would
# fetch) into a cache folder outside the repository, and used from there.
cc_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=19)?0:1)' 2>/dev/null
}
if ! cc_node_ok; then
  cc_node_major="${CC_NODE_MAJOR:-24}"
  cc_node_os=$(uname -s | tr '[:upper:]' '[:lower:]')
  case "$(uname -m)" in
    x86_64|amd64) cc_node_arch=x64 ;;
    aarch64|arm64) cc_node_arch=arm64 ;;
    *) cc_node_arch=$(uname -m) ;;
  esac
  cc_node_dir="${CC_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/client-credentials}/node-$cc_node_major-$cc_node_os-$cc_node_arch"
  cc_node_bin="$cc_node_dir/node_modules/node-$cc_node_os-$cc_node_arch/bin"
  if [ ! -x "$cc_node_bin/node" ]; then
    echo "Node.js >= 22.19 not found; installing node-$cc_node_os-$cc_node_arch@$cc_node_major from the npm registry into $cc_node_dir" >&2
    mkdir -p "$cc_node_dir"
    npm install --silent --no-save --no-package-lock --prefix "$cc_node_dir" "node-$cc_node_os-$cc_node_arch@$cc_node_major" >&2
  fi
  PATH="$cc_node_bin:$PATH"
  export PATH
  cc_node_ok || { echo "could not provide Node.js >= 22.19" >&2; return 1 2>/dev/null || exit 1; }
fi
