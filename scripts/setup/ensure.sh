# Installs what is missing, with a clear message when it cannot. Sourced by scripts/run.sh.
DENO="$PWD/node_modules/.bin/deno"

ensure_node_modules() {
  local stamp=node_modules/.package-lock.json
  if [ ! -x "$DENO" ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    echo "› installing npm packages (npm ci)…" >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi
  if [ ! -x "$DENO" ]; then
    echo "error: Deno did not install (node_modules/.bin/deno is missing); check that the npm registry is reachable." >&2
    exit 1
  fi
}

ensure_web_modules() {
  local stamp=web/node_modules/.package-lock.json
  if [ ! -f "$stamp" ] || [ web/package-lock.json -nt "$stamp" ]; then
    echo "› installing the web app's npm packages (npm ci)…" >&2
    (cd web && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}

# Builds the console when web/dist is missing or older than any of its sources.
ensure_web_build() {
  if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/package.json web/vite.config.ts -newer web/dist/index.html -print -quit 2>/dev/null)" ]; then
    echo "› building the console (vite build)…" >&2
    npm --prefix web run build --silent >&2
  fi
}

APT_UPDATED=""
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing Debian packages: ${missing[*]}" >&2
    echo "       install them once with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "› installing Debian packages: ${missing[*]}…" >&2
  if [ -z "$APT_UPDATED" ]; then
    apt-get update -qq >&2
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# The stack's ports (54321…, tests 54421…, benchmarks 556xx) lie inside Linux's ephemeral range, so any outgoing connection may
# briefly hold one and make a server fail to bind. As root, keep them out of the ephemeral pool.
reserve_stack_ports() {
  local file=/proc/sys/net/ipv4/ip_local_reserved_ports
  [ "$(id -u)" -eq 0 ] && [ -w "$file" ] || return 0
  grep -q "54300-55699" "$file" 2>/dev/null && return 0
  local current
  current=$(cat "$file")
  echo "${current:+$current,}54300-55699" > "$file" 2>/dev/null || true
}
