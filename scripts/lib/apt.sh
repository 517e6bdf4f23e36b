# Sourced by the ensure_*.sh scripts: install Debian packages as root, or through sudo.
#
#   apt_install "<why, for the message>" package...
#
# Needs `say` from the caller. Returns 1, having said what to run by hand, when this is no
# Debian/Ubuntu machine or there is neither root nor sudo; the caller decides whether that is fatal.
apt_install() {
  local why=$1; shift
  if ! command -v apt-get >/dev/null; then
    say "this is not a Debian/Ubuntu machine: install $* another way ($why)" >&2
    return 1
  fi
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      say "$why needs root: run 'sudo apt-get install $*' once" >&2
      return 1
    fi
  fi
  say "installing Debian's $* (one-time)..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
