# Shared by the service scripts in .ci/ (sourced, not run). Messages go to stderr: stdout carries
# only the `export NAME=value` lines that callers eval.

say() { echo "$(basename "$0"): $*" >&2; }
die() { say "error: $*"; exit 1; }

# Install Debian packages when running as root with apt (waits for another apt run to finish).
apt_install() {
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        die "$* missing: install it (apt-get install $*) or run this script as root"
    fi
    say "installing $* from the distribution's packages"
    local attempt
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        if apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 &&
            DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >&2; then
            return 0
        fi
        say "apt-get failed (another apt run?); retrying in 15 s"
        sleep 15
    done
    die "could not install $*"
}

# Run a command as the given system user when we are root (servers refuse to run as root).
as_user() {
    local user=$1
    shift
    if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}
