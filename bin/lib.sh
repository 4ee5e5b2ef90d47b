# shellcheck shell=bash
# Helpers shared by the bin/ scripts. Source it (`source bin/lib.sh`); don't run it.

die() {
  echo "error: $*" >&2
  exit 1
}

header() {
  printf '\n==> %s\n' "$*"
}

# python_ok PYTHON: true if PYTHON runs and is version 3.12 or newer.
# Candidates are run, not just looked up: pyenv puts shims for every version on PATH,
# and a shim fails when its version is not the one selected for the directory.
python_ok() {
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1
}

# find_python: print the path of a Python >= 3.12, or fail saying how to provide one.
# Order: $PYTHON, python3.13/python3.12 on PATH, `pyenv which`, pyenv's versions dir.
find_python() {
  local candidate
  local -a candidates
  if [[ -n ${PYTHON:-} ]]; then
    python_ok "$PYTHON" || die "\$PYTHON ($PYTHON) is not a working Python >= 3.12"
    candidates=("$PYTHON")
  else
    candidates=(python3.13 python3.12)
    if command -v pyenv >/dev/null 2>&1; then
      candidates+=("$(pyenv which python3.12 2>/dev/null || true)")
    fi
    candidates+=("${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3)
    candidates+=(/root/.pyenv/versions/3.1[2-9]*/bin/python3)
  fi
  for candidate in "${candidates[@]}"; do
    if [[ -n $candidate ]] && python_ok "$candidate"; then
      # The real interpreter, not a pyenv shim that depends on the current directory.
      "$candidate" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  die "no Python >= 3.12 found. Install one (e.g. \`pyenv install 3.12\`) or set PYTHON=/path/to/python3.12"
}
