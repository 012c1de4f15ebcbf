#!/bin/sh
# Print the interpreter that `make` builds .venv with, or stop with one clear message.
#
#   sh tools/pick_python.sh [PYTHON]   an explicit choice (make's PYTHON=...) is checked, not replaced
#   sh tools/pick_python.sh --newest   the newest supported Python on this machine (PATH, then
#                                      pyenv), or nothing, for .ci/run's second-Python run
#
# The pinned set in requirements.txt has wheels for Python 3.11-3.13 only: on 3.10 pip dies deep
# inside the install with "No matching distribution", so the check runs before pip does.
MIN=11
MAX=13

# "3.12" for an interpreter that runs, nothing for a missing one or a pyenv shim without a version.
version() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null; }

supported() {
    case "$1" in
        3.*) minor=${1#3.}; [ "$minor" -ge "$MIN" ] && [ "$minor" -le "$MAX" ] ;;
        *) return 1 ;;
    esac
}

candidates() {
    m=$MAX
    while [ "$m" -ge "$MIN" ]; do
        echo "python3.$m"
        root=$(pyenv root 2>/dev/null) && ls -d "$root"/versions/3."$m".*/bin/python 2>/dev/null \
            | sort -t. -k3 -n -r
        m=$((m - 1))
    done
}

newest() {
    for py in $(candidates); do
        if supported "$(version "$py")"; then echo "$py"; return 0; fi
    done
    return 1
}

fail() {
    echo "error: $1" >&2
    echo "  The course needs Python 3.$MIN, 3.$((MIN + 1)) or 3.$MAX (the pinned packages have no other builds)." >&2
    echo "  Fix: make book PYTHON=python3.12   (any python3.$MIN-3.$MAX on your PATH)" >&2
    echo "       Debian/Ubuntu: sudo apt-get install python3.12 python3.12-venv" >&2
    echo "       (Ubuntu 22.04: from the deadsnakes PPA); macOS: brew install python@3.12;" >&2
    echo "       pyenv: pyenv install 3.12 && make book PYTHON=\$(pyenv root)/versions/3.12.*/bin/python" >&2
    exit 1
}

if [ "$1" = "--newest" ]; then
    newest
    exit 0
fi

if [ -n "$1" ]; then
    found=$(version "$1")
    [ -n "$found" ] || fail "PYTHON=$1 does not run."
    supported "$found" || fail "PYTHON=$1 is Python $found."
    echo "$1"
    exit 0
fi

# No choice made: plain python3 when it is supported, else the newest supported python3.1x.
found=$(version python3)
if supported "$found"; then echo python3; exit 0; fi
newest || fail "python3 is ${found:+Python }${found:-missing}, and no python3.$MIN-3.$MAX is on the PATH."
