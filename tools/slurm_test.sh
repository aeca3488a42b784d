#!/usr/bin/env bash
# `make slurm-test`: the SLURM profile (workflow/profiles/slurm) on a one-node SLURM cluster started on
# this machine, by tests/test_slurm.py. Installs what it needs first, once (root: slurm-wlm and munge
# from Debian, the [slurm] extra into the virtualenv), and stops the cluster's daemons at the end
# whatever happens. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "slurm-test: slurm-wlm and munge are not installed, and installing them needs root" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi
if ! "$VENV/bin/python" - <<'PY' 2>/dev/null; then
from importlib.metadata import version
from packaging.version import Version
assert Version(version("snakemake-executor-plugin-slurm")) >= Version("2.8")
PY
  "$VENV/bin/python" -m pip install --quiet -e ".[slurm]"
fi

# The test starts munged, slurmctld and slurmd in a folder of this run's and stops them itself;
# should it be killed before it can, they are stopped here (by the pids it wrote, checked against the
# folder), and a later run stops those of a run killed with this script (whose `owner` is gone).
stop_cluster() {
  local dir="$1" child pid
  for child in "$dir"/*.child; do
    [ -e "$child" ] || continue
    pid="$(cat "$child")"
    if grep -qaz "^SLURM_CONF=$dir/slurm.conf$" "/proc/$pid/environ" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  if [ "$(readlink /etc/slurm/slurm.conf 2>/dev/null)" = "$dir/slurm.conf" ]; then
    rm -f /etc/slurm/slurm.conf
  fi
  rm -rf "$dir"
}
for old in /tmp/digecon-slurm.*; do
  [ -d "$old" ] || continue
  if [ -e "$old/owner" ] && kill -0 "$(cat "$old/owner")" 2>/dev/null; then
    echo "slurm-test: another run's cluster is up in $old (pid $(cat "$old/owner")); try again when it ends" >&2
    exit 1
  fi
  echo "slurm-test: stopping what a killed run left in $old"
  stop_cluster "$old"
done
dir="$(mktemp -d /tmp/digecon-slurm.XXXXXX)"
echo $$ >"$dir/owner"
trap 'stop_cluster "$dir"' EXIT
trap 'exit 130' INT TERM

DIGECON_SLURM_TEST=1 DIGECON_SLURM_DIR="$dir" "$VENV/bin/python" -m pytest -p no:cacheprovider -v \
  --basetemp=/tmp/digecon-slurm-test tests/test_slurm.py "$@"
