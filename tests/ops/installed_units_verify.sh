#!/usr/bin/env bash
# Installs into staging roots with scripts/install and checks what it wrote:
#   - a dry run writes nothing; a second install changes nothing; a new plan removes the old
#     plan's drop-ins;
#   - every unit (and a strategy instance per installed strategy config, with its drop-ins)
#     passes `systemd-analyze verify --root`, which also resolves the binaries in the root.
#     verify exits 0 on many errors (an unknown key, an unparsable value, "ignoring"), so any
#     output at all fails the test;
#   - every service has LimitCORE=0, LimitMEMLOCK=infinity, CPUAffinity=, User=hft,
#     Restart=on-failure and a --check-config ExecStartPre, and no placeholder is left;
#   - every ExecStartPre, run against the staged binaries and configs, passes.
# Exit 77 (skipped) only when systemd-analyze is not installed.
# usage: installed_units_verify.sh REPO_DIR BIN_DIR
set -uo pipefail
REPO="${1:?usage: $0 REPO_DIR BIN_DIR}"
BIN_DIR="${2:?usage: $0 REPO_DIR BIN_DIR}"

if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP: systemd-analyze is not installed (Debian package systemd)"
  exit 77
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
FAILURES=0
fail() {
  echo "FAIL: $*"
  FAILURES=$((FAILURES + 1))
}

UNIT_DIR=etc/systemd/system
SERVICES=(hft-datafeed.service hft-order-executor.service hft-data-recorder.service hft-strategy@.service)

# The host's own units (sysinit.target, network-online.target, ...) so that verify can resolve
# default dependencies inside the staging root.
HOST_UNITS=""
for d in /usr/lib/systemd/system /lib/systemd/system; do
  if [ -f "$d/sysinit.target" ]; then HOST_UNITS="$d"; break; fi
done
[ -n "$HOST_UNITS" ] || { echo "FAIL: no sysinit.target in /usr/lib/systemd/system or /lib/systemd/system"; exit 1; }

install_into() {  # ROOT LOG args...
  local root="$1" log="$2"
  shift 2
  if ! "$REPO/scripts/install" --dest "$root" --bin-dir "$BIN_DIR" "$@" >"$log" 2>&1; then
    fail "scripts/install --dest $root $*"
    cat "$log"
    return 1
  fi
}

verify_root() {  # ROOT PLAN_NAME
  local root="$1" plan="$2" units=() out rc f name
  mkdir -p "$root/usr/lib/systemd"
  [ -d "$root/usr/lib/systemd/system" ] || cp -a "$HOST_UNITS" "$root/usr/lib/systemd/system"
  units=(hft-datafeed.service hft-order-executor.service hft-data-recorder.service hft.target)
  for f in "$root/etc/hft/strategies/"*.json; do
    name="$(basename "$f" .json)"
    units+=("hft-strategy@$name.service")
  done
  [ "${#units[@]}" -gt 4 ] || fail "$plan: no strategy config installed"
  out="$(SYSTEMD_LOG_COLOR=0 systemd-analyze verify --root="$root" --man=no "${units[@]}" 2>&1)"
  rc=$?
  if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
    fail "$plan: systemd-analyze verify (exit $rc):"
    echo "$out"
  else
    echo "ok: $plan: systemd-analyze verify of ${#units[@]} units"
  fi
}

check_units() {  # ROOT PLAN_NAME
  local root="$1" plan="$2" u f
  for u in "${SERVICES[@]}"; do
    f="$root/$UNIT_DIR/$u"
    [ -f "$f" ] || { fail "$plan: $u not installed"; continue; }
    grep -qx 'LimitCORE=0' "$f" || fail "$plan: $u: no LimitCORE=0"
    grep -qx 'LimitMEMLOCK=infinity' "$f" || fail "$plan: $u: no LimitMEMLOCK=infinity"
    grep -Eqx 'CPUAffinity=[0-9][0-9,-]*' "$f" || fail "$plan: $u: no CPUAffinity= with a CPU list"
    grep -qx 'User=hft' "$f" || fail "$plan: $u: no User=hft"
    grep -qx 'Restart=on-failure' "$f" || fail "$plan: $u: no Restart=on-failure"
    grep -Eqx 'ExecStartPre=/opt/hft/bin/[a-z_]+ .*--check-config' "$f" || fail "$plan: $u: no --check-config ExecStartPre"
    grep -Eq '^ReadWritePaths=.*/dev/shm' "$f" || fail "$plan: $u: /dev/shm not writable"
  done
  grep -Eq 'hft-(datafeed|order-executor)\.service' "$root/$UNIT_DIR/hft-strategy@.service" ||
    fail "$plan: strategies are not ordered after the datafeed and the executor"
  if grep -REn '@[A-Z_]+@' "$root/$UNIT_DIR" "$root/etc/hft"; then fail "$plan: placeholders left"; fi
  if [ -n "$(find "$root/etc/hft" -type f \( -iname '*secret*' -o -iname '*.key' -o -iname '*.pem' \))" ]; then
    fail "$plan: something like a secret was installed"
  fi
}

# Runs each ExecStartPre as systemd would, with the staged paths, on a bus of its own.
run_check_config() {  # ROOT PLAN_NAME
  local root="$1" plan="$2" u line cmd f name
  for u in "${SERVICES[@]}"; do
    line="$(grep -m1 '^ExecStartPre=' "$root/$UNIT_DIR/$u")"
    cmd="${line#ExecStartPre=}"
    cmd="${cmd//\/opt\/hft/$root/opt/hft}"
    cmd="${cmd//\/etc\/hft/$root/etc/hft}"
    cmd="${cmd//\/var\/lib\/hft/$root/var/lib/hft}"
    if [[ "$u" == hft-strategy@* ]]; then
      for f in "$root/etc/hft/strategies/"*.json; do
        name="$(basename "$f" .json)"
        # shellcheck disable=SC2086  # the command line is split like systemd splits it
        HFT_BUS_NAME="ops_$$" ${cmd//%i/$name} >/dev/null 2>"$WORK/err" || { fail "$plan: $u ($name): ${cmd//%i/$name}"; cat "$WORK/err"; }
      done
    else
      # shellcheck disable=SC2086
      HFT_BUS_NAME="ops_$$" $cmd >/dev/null 2>"$WORK/err" || { fail "$plan: $u: $cmd"; cat "$WORK/err"; }
    fi
  done
}

# 1. A dry run writes nothing.
install_into "$WORK/dry" "$WORK/dry.log" --cores "$REPO/scripts/systemd/cores/8-core.conf" --dry-run &&
  { [ ! -e "$WORK/dry" ] || fail "--dry-run wrote into $WORK/dry"; } &&
  { grep -q 'would' "$WORK/dry.log" || fail "--dry-run printed no plan"; }

# 2. Each shipped plan: install, verify, check; the 8-core plan with --realtime.
for plan in 2-core 8-core 16-core; do
  root="$WORK/$plan"
  extra=()
  [ "$plan" = 8-core ] && extra=(--realtime)
  install_into "$root" "$WORK/$plan.log" --cores "$REPO/scripts/systemd/cores/$plan.conf" "${extra[@]}" || continue
  verify_root "$root" "$plan"
  check_units "$root" "$plan"
  run_check_config "$root" "$plan"
  # Idempotent: the same install again changes nothing.
  install_into "$root" "$WORK/$plan.again.log" --cores "$REPO/scripts/systemd/cores/$plan.conf" "${extra[@]}" &&
    { grep -q '^install: 0 change(s)$' "$WORK/$plan.again.log" || { fail "$plan: second install changed something"; grep -v unchanged "$WORK/$plan.again.log"; }; }
done

# 3. Per-instance drop-ins: the strategy's own core replaces the template's set.
f="$WORK/8-core/$UNIT_DIR/hft-strategy@market_maker.service.d/10-hft-cpu.conf"
if [ -f "$f" ] && grep -qx 'CPUAffinity=' "$f" && grep -qx 'CPUAffinity=4' "$f"; then :; else fail "8-core: no core drop-in for market_maker"; fi
grep -qx 'CPUSchedulingPolicy=fifo' "$WORK/8-core/$UNIT_DIR/hft-datafeed.service.d/50-hft-realtime.conf" 2>/dev/null ||
  fail "8-core --realtime: no real-time drop-in for the datafeed"
if "$REPO/scripts/install" --dest "$WORK/rt2" --bin-dir "$BIN_DIR" --cores "$REPO/scripts/systemd/cores/2-core.conf" --realtime >"$WORK/rt2.log" 2>&1; then
  fail "--realtime was accepted with the 2-core plan (shared cores)"
fi

# 4. A new plan over an old one removes the old plan's drop-ins.
root="$WORK/8-core"
install_into "$root" "$WORK/replan.log" --cores "$REPO/scripts/systemd/cores/2-core.conf" &&
  { [ -z "$(find "$root/$UNIT_DIR" -name '10-hft-cpu.conf' -o -name '50-hft-realtime.conf')" ] || fail "replan: old drop-ins left"; } &&
  verify_root "$root" "8-core then 2-core"

if [ "$FAILURES" -ne 0 ]; then
  echo "$FAILURES failure(s)"
  exit 1
fi
echo "all checks passed"
