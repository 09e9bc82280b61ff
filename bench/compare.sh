#!/bin/sh
# Runs bench/compare.py with a Python that has NumPy: $LANES_PYTHON if set, else the first of
# python3 on PATH and /usr/bin/python3 that can import numpy. Arguments go to compare.py (see --help).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
hint="install NumPy with an optimised BLAS (Debian: apt-get install python3-numpy libopenblas0-pthread), or set LANES_PYTHON to a Python that has NumPy"
if [ -n "${LANES_PYTHON:-}" ]; then
    candidates=$LANES_PYTHON
else
    candidates="python3 /usr/bin/python3"
fi
for py in $candidates; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import numpy' >/dev/null 2>&1; then
        LANES_PYTHON=$(command -v "$py")
        export LANES_PYTHON
        exec "$LANES_PYTHON" "$here/compare.py" "$@"
    fi
done
if [ -n "${LANES_PYTHON:-}" ]; then
    echo "compare.sh: LANES_PYTHON=$LANES_PYTHON cannot import numpy; $hint" >&2
elif ! command -v python3 >/dev/null 2>&1 && [ ! -x /usr/bin/python3 ]; then
    echo "compare.sh: python3 is not installed; $hint" >&2
else
    echo "compare.sh: no python3 with NumPy found (tried: $candidates); $hint" >&2
fi
exit 2
