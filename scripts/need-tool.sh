# Sourced by the test and bench scripts: installs a Debian package when the command it provides is missing, so a
# fresh machine needs no step by hand (apt's lists are refreshed only when the first try fails).
#   need_tool COMMAND PACKAGE...
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
need_tool() {
  local cmd=$1; shift
  command -v "$cmd" >/dev/null && return
  echo "installing $* from Debian (for $cmd)" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
    || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; } \
    || { echo "could not install $* from Debian: $cmd is needed" >&2; return 1; }
}
