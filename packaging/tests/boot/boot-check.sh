#!/bin/bash
# boot-check.sh: the checks test-boot.sh runs inside the appliance's virtual machine, as
# root, once it has booted (boot-check.service). The appliance is the packages as apt
# installed them, with nothing changed but this script, its unit and one drop-in that
# sets G_MESSAGES_DEBUG=Muster for the kiosk (its "first frame painted" line).
#
# It writes TAP lines ("ok - ...", "not ok - ..."), figures ("figure NAME=VALUE") and
# requests to the host ("SHOT NAME": take a screenshot now; "KEYS COMBO": type it) on
# the second serial port, which the host reads, then "DONE" and powers the machine off.
# After each request it waits long enough for the host to act (it polls every 0.2 s).
#
# In order: the kiosk at first boot (no database: the setup screen), the database made,
# the kiosk's unit restarted and timed from `systemctl start` to its first frame, a
# count resumed on the simulated reader and the unit SIGKILLed mid-count (systemd
# restarts it; nothing acknowledged is lost), the unit's sandbox as the kernel applies
# it, Ctrl+Alt+F2, the backup service and timer, then a registry on PostgreSQL and the
# sync service pushing the appliance's history to it.
set -u
exec >/dev/ttyS1 2>&1
stty -onlcr 2>/dev/null || true

DB=/var/lib/muster/armoury.db
ITEMS=300
SEED=11
status=0
ok() { echo "ok - $*"; }
fail() {
  echo "not ok - $*"
  status=1
}
check() { # description command...
  local what="$1" out
  shift
  if out="$("$@" 2>&1)"; then ok "$what"; else
    fail "$what"
    printf '%s\n' "$out" | tail -n 20 | sed 's/^/#   /'
  fi
}
check_eq() { # want got description
  if [[ $1 == "$2" ]]; then ok "$3"; else fail "$3: want '$1', got '$2'"; fi
}
figure() { echo "figure $1=$2"; }
request() { # what: asks the host for a screenshot or keys, and gives it time
  echo "$1"
  sleep 4
}
finish() {
  kiosk_journal -o short-monotonic | tail -n 40 | sed 's/^/# kiosk: /'
  echo "DONE status=$status"
  systemctl poweroff
  exit 0
}
uptime_s() { cut -d' ' -f1 /proc/uptime; }
# kiosk_journal ARGS...: this boot's journal of the kiosk's unit, cage and the kiosk. The
# last two log from their logind session's scope, not the unit, so `-u` alone misses
# them (packaging/README.md, "The units").
kiosk_journal() {
  journalctl -b --no-pager "$@" _SYSTEMD_UNIT=muster-kiosk.service + _COMM=muster-kiosk \
    + _COMM=cage + UNIT=muster-kiosk.service
}
mu() { runuser -u muster -- /usr/bin/env MUSTER_DB=$DB "$@"; }

# kiosk_log_after T PATTERN [TIMEOUT]: the uptime (journal's monotonic clock) of the
# first line of the kiosk's unit matching PATTERN logged after T; fails after TIMEOUT s.
kiosk_log_after() {
  local after=$1 pattern=$2 deadline=$((SECONDS + ${3:-240})) t
  while ((SECONDS < deadline)); do
    t="$(kiosk_journal -o short-monotonic |
      grep -E -- "$pattern" | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p' |
      awk -v a="$after" '$1 > a {print; exit}')"
    [[ -z $t ]] || {
      echo "$t"
      return 0
    }
    sleep 0.2
  done
  return 1
}
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%d", (b - a) * 1000}'; }
committed_scans() { # count: the scan ids the kiosk logged as committed to it, sorted
  kiosk_journal -o cat |
    sed -n "s/.*Scan \([0-9]*\) committed in count $1:.*/\1/p" | sort -n -u
}
restarts() { systemctl show -p NRestarts --value muster-kiosk.service; }

# --- 1. first boot: no database, the setup screen --------------------------------------

if t="$(kiosk_log_after 0 'first frame painted' 300)"; then
  ok "the kiosk is on screen at boot, with no database"
  figure boot_to_first_frame_s "$t"
else
  fail "the kiosk painted no frame within 300 s of boot"
  systemctl status muster-kiosk.service --no-pager | sed 's/^/#   /'
  finish
fi
check "it shows the first-boot setup screen" \
  grep -q 'showing the first-boot setup screen' <<<"$(kiosk_journal -o cat)"
check_eq "" "$(ls /var/lib/muster/armoury.db 2>/dev/null)" "the setup screen created no database by itself"
check_eq "tty1" "$(cat /sys/class/tty/tty0/active)" "the kiosk holds tty1"
request "SHOT first-boot"

# --- 2. a database; systemctl start to the first frame ----------------------------------

mu muster demo --items $ITEMS --seed $SEED >/tmp/demo.log 2>&1 || {
  fail "muster demo as the muster user"
  sed 's/^/#   /' /tmp/demo.log
  finish
}
count="$(mu MUSTER_PIN=1234 MUSTER_WITNESS_PIN=1234 muster --json count start --user cpl.okafor \
  --witness pte.lindqvist --all | jq -r .id)"
check "a count started ($count)" test -n "$count"
for i in 1 2 3; do
  systemctl stop muster-kiosk.service
  t0="$(uptime_s)"
  systemctl start muster-kiosk.service
  if t="$(kiosk_log_after "$t0" 'first frame painted' 120)"; then
    figure "start_to_first_frame_ms_$i" "$(ms_between "$t0" "$t")"
  else
    fail "no first frame within 120 s of systemctl start (run $i)"
  fi
done
if kiosk_log_after "$t0" 'first-boot setup' 1 >/dev/null; then
  fail "with a database, the kiosk still shows the setup screen"
else
  ok "with a database, the kiosk opens it (no setup screen)"
fi
request "SHOT sign-in"

# --- 3. a power cut: SIGKILL mid-count -------------------------------------------------

# As a counter does after the kiosk came back: sign in and resume (--resume-as, the
# PIN from the environment), with the demo's feed on the simulated reader.
mkdir -p /run/systemd/system/muster-kiosk.service.d
cat >/run/systemd/system/muster-kiosk.service.d/resume.conf <<EOF
[Service]
Environment=MUSTER_PIN=1234
ExecStart=
ExecStart=/usr/bin/cage -d -- /usr/bin/muster-kiosk --sim-demo --demo-items $ITEMS --demo-seed $SEED --sim-rate 25 --resume-as cpl.okafor
EOF
systemctl daemon-reload
t0="$(uptime_s)"
systemctl restart muster-kiosk.service
if kiosk_log_after "$t0" "Counting count $count as" 120 >/dev/null; then
  ok "the kiosk resumes count $count"
else
  fail "the kiosk did not resume count $count"
fi
# The reader feeds the count from its start; under emulation the screen may come later.
kiosk_log_after "$t0" 'first frame painted' 180 >/dev/null || fail "the counting kiosk painted no frame"
deadline=$((SECONDS + 120))
while (($(committed_scans "$count" | wc -l) < 30 && SECONDS < deadline)); do sleep 0.5; done
request "SHOT counting"
before="$(restarts)"
t_kill="$(uptime_s)"
# As a power cut leaves them: cage (the unit's main process) and the kiosk (in the
# session's scope, which `systemctl kill` of the unit would not reach) at once.
kill -KILL "$(systemctl show -p MainPID --value muster-kiosk.service)" \
  $(pgrep -u muster -x muster-kiosk) 2>/dev/null
# Read after the kill: a scan acknowledged as it landed must be there too.
acked_at_kill="$(committed_scans "$count")"
figure scans_acknowledged_before_kill "$(wc -l <<<"$acked_at_kill")"
check "at least 30 scans were acknowledged before the kill" test "$(wc -l <<<"$acked_at_kill")" -ge 30
if t="$(kiosk_log_after "$t_kill" "Counting count $count as" 120)"; then
  ok "systemd restarted the kiosk, back on count $count"
  figure kill_to_counting_again_ms "$(ms_between "$t_kill" "$t")"
else
  fail "the kiosk was not back on count $count within 120 s of the kill"
fi
check_eq $((before + 1)) "$(restarts)" "systemd counted one restart (NRestarts)"
deadline=$((SECONDS + 60))
while [[ $(committed_scans "$count" | wc -l) -le $(wc -l <<<"$acked_at_kill") && $SECONDS -lt $deadline ]]; do
  sleep 0.5
done
check "it goes on counting into the same count" \
  test "$(committed_scans "$count" | wc -l)" -gt "$(wc -l <<<"$acked_at_kill")"
in_db="$(mu sqlite3 -readonly $DB "SELECT id FROM scan WHERE count_id = $count ORDER BY id")"
lost="$(comm -23 <(echo "$acked_at_kill") <(sort -n <<<"$in_db") | tr '\n' ' ')"
check_eq "" "$lost" "every scan acknowledged before the kill is in the database"
check_eq "ok" "$(mu sqlite3 -readonly $DB 'PRAGMA integrity_check')" "the database's integrity_check"
check "muster audit verify passes" mu muster audit verify

# --- 4. the sandbox, as the kernel applies it --------------------------------------------

cage_pid="$(systemctl show -p MainPID --value muster-kiosk.service)"
kiosk_pid="$(pgrep -u muster -x muster-kiosk | head -n 1)"
for p in "cage:$cage_pid" "muster-kiosk:$kiosk_pid"; do
  name=${p%%:*} pid=${p#*:}
  check_eq "muster" "$(ps -o user= -p "$pid" 2>&1)" "$name runs as muster"
  check_eq "1" "$(awk '/^NoNewPrivs:/ {print $2}' /proc/"$pid"/status)" "$name: NoNewPrivileges"
  check_eq "2" "$(awk '/^Seccomp:/ {print $2}' /proc/"$pid"/status)" "$name: a seccomp filter (SystemCallFilter)"
  check_eq "0000000000000000" "$(awk '/^CapBnd:/ {print $2}' /proc/"$pid"/status)" \
    "$name: no capabilities, even bounding"
done
# The PAM session puts both in the session's scope, out of the unit's cgroup: why the unit
# has no DevicePolicy or IPAddressDeny (cgroup filters that would confine nothing there).
check "cage runs in its logind session's scope" grep -q 'session-.*\.scope' /proc/"$cage_pid"/cgroup
# The mount namespace, as the unit's processes see it (root entering it: only the
# mounts, not the process's user or filters, so these are the mounts' own limits).
in_ns() { nsenter -t "$cage_pid" -m "$@"; }
if out="$(in_ns touch /etc/muster/boot-test 2>&1)"; then
  fail "in the kiosk's mount namespace, /etc is writable"
else
  check "in the kiosk's mount namespace, /etc is read-only (ProtectSystem=strict)" \
    grep -q 'Read-only file system' <<<"$out"
fi
check "in it, /var/lib/muster is writable (ReadWritePaths)" \
  in_ns sh -c 'touch /var/lib/muster/.boot-test && rm /var/lib/muster/.boot-test'
check_eq "" "$(in_ns ls -A /home /root 2>&1 | grep -v ':$' | tr -d '\n')" "in it, /home and /root are empty (ProtectHome)"
check "in it, the session's Wayland socket is there (BindPaths=/run/user)" \
  in_ns test -S /run/user/"$(id -u muster)"/wayland-0
# Devices, as the kiosk's user opens them: the active session's DRM device (logind's
# ACL), not the disk.
as_muster() { runuser -u muster -- "$@"; }
if out="$(as_muster head -c 1 /dev/vda 2>&1)"; then
  fail "the muster user can read the disk /dev/vda"
else
  check "the muster user cannot open the disk" grep -q 'Permission denied' <<<"$out"
fi
check "the muster user can open the seat's DRM device while its session is active" \
  as_muster sh -c 'exec 3<>/dev/dri/card0'

# --- 5. no way to another console -------------------------------------------------------

request "KEYS ctrl-alt-f2"
check_eq "tty1" "$(cat /sys/class/tty/tty0/active)" "Ctrl+Alt+F2 leaves the kiosk on tty1"
check_eq "inactive" "$(systemctl is-active getty@tty2.service)" "no login prompt on tty2"
check_eq "active" "$(systemctl is-active muster-kiosk.service)" "the kiosk runs on"

# --- 6. the backup service and timer -----------------------------------------------------

check_eq "active" "$(systemctl is-active muster-backup.timer)" "the backup timer is active from boot"
check "the timer has its next run" test -n "$(systemctl show -p NextElapseUSecRealtime --value muster-backup.timer)"
backups_before="$(ls /var/lib/muster/backups/*.muster-backup 2>/dev/null | wc -l)"
check "systemctl start muster-backup.service succeeds" systemctl start muster-backup.service
check_eq $((backups_before + 1)) "$(ls /var/lib/muster/backups/*.muster-backup 2>/dev/null | wc -l)" \
  "it wrote one backup into /var/lib/muster/backups"
newest="$(ls -t /var/lib/muster/backups/*.manifest.json | head -n 1)"
check_eq "timer" "$(jq -r .reason "$newest")" "the backup's manifest gives the timer as its reason"
check "the journal has its 'backup done' event (MESSAGE_ID)" \
  test -n "$(journalctl -b MESSAGE_ID=3205f9d7c50e46b1a11b3846c81a25fc -o cat)"

# --- 7. a registry on PostgreSQL, and the sync service -----------------------------------

deadline=$((SECONDS + 120))
until runuser -u postgres -- pg_isready -q || ((SECONDS > deadline)); do sleep 1; done
check "PostgreSQL is up" runuser -u postgres -- pg_isready
runuser -u postgres -- createuser muster-registry
runuser -u postgres -- createdb -O muster-registry muster_registry
(
  cd /etc/muster-registry &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
      -out ca.pem -days 2 -subj "/CN=boot test CA" &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout tls.key \
      -out tls.csr -subj /CN=localhost &&
    openssl x509 -req -in tls.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out tls.pem -days 2 \
      -extfile <(echo "subjectAltName=IP:127.0.0.1") &&
    chgrp muster-registry tls.key && chmod 0640 tls.key && cp ca.pem /etc/muster/registry-ca.pem
) >/tmp/openssl.log 2>&1 || fail "the registry's TLS certificate: $(tail -n 3 /tmp/openssl.log)"
systemctl start muster-registry.service
deadline=$((SECONDS + 60))
until (exec 3<>/dev/tcp/127.0.0.1/8443) 2>/dev/null || ((SECONDS > deadline)); do sleep 0.5; done
check_eq "active" "$(systemctl is-active muster-registry.service)" "muster-registry.service runs"
key_json="$(mu muster --json sync key)"
uuid="$(jq -r .armoury_uuid <<<"$key_json")"
check "the registry enrols the appliance" runuser -u muster-registry -- muster-registry enroll \
  --armoury "$uuid" --code DEMO-01 --public-key "$(jq -r .public_key <<<"$key_json")"
registry_key="$(runuser -u muster-registry -- muster-registry key --key /var/lib/muster-registry/signing.key)"
check "the admin configures the sync" mu MUSTER_PIN=123456 muster sync configure --user admin \
  --url https://127.0.0.1:8443 --ca /etc/muster/registry-ca.pem --registry-key "$registry_key"
check_eq "disabled" "$(systemctl is-enabled muster-sync.service)" "the sync service waits to be enabled"
check "systemctl enable --now muster-sync.service" systemctl enable --now muster-sync.service
deadline=$((SECONDS + 180))
backlog=""
while ((SECONDS < deadline)); do
  backlog="$(mu muster --json sync status | jq -r .backlog)"
  [[ $backlog != 0 ]] || break
  sleep 1
done
check_eq 0 "$backlog" "the sync service sent the appliance's whole history"
check_eq "null" "$(mu muster --json sync status | jq -r .last_error)" "with no error"
check "the journal has its 'sync done' event (MESSAGE_ID)" \
  test -n "$(journalctl -b MESSAGE_ID=69e84e17d3aa46b7a0010e19a332c5fb -o cat)"
IFS='|' read -r serial item_uuid <<<"$(mu sqlite3 -readonly $DB 'SELECT serial, uuid FROM item LIMIT 1')"
check "the registry traces a weapon of the appliance's ($serial)" \
  sh -c "runuser -u muster-registry -- muster-registry trace '$serial' | grep -q '$item_uuid'"
check_eq "active" "$(systemctl is-active muster-sync.service)" "the sync service runs on"

finish
