# test-sync-cli.sh: `muster sync` and `muster-registry` as an administrator runs them:
# enrol, configure, push, status, a central change pulled, a removable-media round
# trip, and a registry that cannot be verified. PostgreSQL not installed, or not
# starting, skips it (exit 77), and fails it under CI (tests/support/missing.sh).
source "$MUSTER_TESTS/e2e/lib.sh"
source "$MUSTER_TESTS/support/missing.sh"
: "${MUSTER_REGISTRY:?MUSTER_REGISTRY must point at the muster-registry binary}"

# PostgreSQL in $T (as nobody when root: initdb refuses root), a CA and a certificate.
PG=/usr/lib/postgresql/15/bin
PG_HOW="install postgresql (apt-get install postgresql; packaging/debian-packages.txt)"
[ -x "$PG/initdb" ] || missing "PostgreSQL 15 is not installed (no $PG/initdb)" "$PG_HOW"
as_pg() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown nobody "$T"
start_pg() {
  as_pg "$PG/initdb" -D "$T/pg" -A trust -U muster --no-sync >"$T/pg-start.log" 2>&1 &&
    as_pg "$PG/pg_ctl" -D "$T/pg" -o "-k $T -c listen_addresses= -c fsync=off" \
      -l "$T/pg.log" -w start >>"$T/pg-start.log" 2>&1
}
if ! start_pg; then
  cat "$T/pg-start.log" >&2
  [ ! -e "$T/pg.log" ] || cat "$T/pg.log" >&2
  missing "PostgreSQL did not start (its output is above)" \
    "$PG_HOW, and make sure initdb and pg_ctl run here"
fi
REGISTRY_PID=
trap '[ -n "$REGISTRY_PID" ] && kill $REGISTRY_PID; as_pg "$PG/pg_ctl" -D "$T/pg" -m immediate stop >/dev/null; rm -rf "$T"' EXIT
psql -q -h "$T" -U muster -d postgres -c "CREATE DATABASE reg"
RDB="host=$T user=muster dbname=reg"
(cd "$T" &&
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
    -out ca.pem -days 1 -subj "/CN=test CA" &&
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout srv.key \
    -out srv.csr -subj /CN=localhost &&
  echo "subjectAltName=IP:127.0.0.1" >san &&
  openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 1 \
    -extfile san) >/dev/null 2>&1

echo "s3cret-query-token" >"$T/token"
"$MUSTER_REGISTRY" --db "$RDB" serve --port 0 --cert "$T/srv.pem" --cert-key "$T/srv.key" \
  --key "$T/registry.key" --query-token-file "$T/token" >"$T/serve.out" &
REGISTRY_PID=$!
for _ in $(seq 100); do grep -q listening "$T/serve.out" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on \(https:[^ ]*[0-9]\)\/*$/\1/p' "$T/serve.out")
assert_contains "$URL" "https://127.0.0.1:" "registry address"

setup_armoury
MUSTER_PIN=123456 m item import --user admin "$MUSTER_TEST_DATA/small-armoury.csv" >/dev/null
m --json sync key >"$T/key.json"
ARMOURY=$(jq -r .armoury_uuid "$T/key.json")
"$MUSTER_REGISTRY" --db "$RDB" enroll --armoury "$ARMOURY" --code TEST-01 \
  --public-key "$(jq -r .public_key "$T/key.json")"
RKEY=$("$MUSTER_REGISTRY" key --key "$T/registry.key")
MUSTER_PIN=1234 expect_status 6 sync configure --user bob --url "$URL" --ca "$T/ca.pem"
MUSTER_PIN=123456 m sync configure --user admin --url "$URL" --ca "$T/ca.pem" --registry-key "$RKEY"

BACKLOG=$(m --json sync status | jq .backlog)
[ "$BACKLOG" -gt 0 ] || fail "the import queued nothing for the registry"
m --json sync push >"$T/push.json"
m --json sync status >"$T/status.json"
assert_eq 0 "$(jq .backlog "$T/status.json")" "backlog after push"
assert_eq null "$(jq .last_error "$T/status.json")" "no error after push"
LAST=$(jq .last_seq "$T/status.json")
STORED=$(psql -tA -h "$T" -U muster -d reg -c "SELECT count(*) FROM event")
assert_eq "$LAST" "$STORED" "events at the registry"

# The registry's anchors vouch for this appliance's history.
"$MUSTER_REGISTRY" --db "$RDB" anchors "$ARMOURY" >"$T/anchors.json"
[ "$(jq '.anchors | length' "$T/anchors.json")" -ge 1 ] || fail "no audit anchor at the registry"
m --json audit verify --anchors "$T/anchors.json" >"$T/verify.json"
assert_eq true "$(jq .intact "$T/verify.json")" "history intact against the anchors"

# A central change comes back; a serial imported here is traced at the registry.
ITEM=$(m --json item show GLK-1001 | jq -r ".[0].uuid")
"$MUSTER_REGISTRY" --db "$RDB" change --armoury "$ARMOURY" --kind item.status \
  --payload "{\"item_uuid\":\"$ITEM\",\"status\":\"stolen\",\"reason\":\"report 9\"}" >/dev/null
assert_eq 1 "$(m --json sync pull | jq .changes_applied)" "changes applied"
assert_eq stolen "$(m --json item show GLK-1001 | jq -r ".[0].status")" "status after pull"
assert_contains "$("$MUSTER_REGISTRY" --db "$RDB" trace GLK-1001)" "$ITEM" "trace by serial"
# The same answer over HTTPS, for the registry's query token only.
CODE=$(curl -s -o "$T/trace.json" -w '%{http_code}' --cacert "$T/ca.pem" "$URL/v1/trace?marking=GLK-1001")
assert_eq 401 "$CODE" "trace without the token"
CODE=$(curl -s -o "$T/trace.json" -w '%{http_code}' --cacert "$T/ca.pem" \
  -H "Authorization: Bearer wrong" "$URL/v1/trace?marking=GLK-1001")
assert_eq 401 "$CODE" "trace with a wrong token"
CODE=$(curl -s -o "$T/trace.json" -w '%{http_code}' --cacert "$T/ca.pem" \
  -H "Authorization: Bearer s3cret-query-token" "$URL/v1/trace?marking=glk-1001")
assert_eq 200 "$CODE" "trace with the token"
assert_eq "$ITEM" "$(jq -r '.items[0].item_uuid' "$T/trace.json")" "traced item over HTTPS"

# Removable media: export, import at the registry, answer imported here.
MUSTER_PIN=123456 m sync export --user admin "$T/out.json" >/dev/null
"$MUSTER_REGISTRY" --db "$RDB" import "$T/out.json" --answer "$T/back.json" --key "$T/registry.key"
MUSTER_PIN=123456 m --json sync import --user admin "$T/back.json" >"$T/import.json"
assert_eq 0 "$(m --json sync status | jq .backlog)" "backlog after the media round trip"

# A new address alone keeps the CA and the registry's key: answers still verify.
MUSTER_PIN=123456 m sync configure --user admin --url "$URL/"
assert_eq 0 "$(m --json sync pull | jq .changes_applied)" "pull after giving only the address"

# A registry the configured CA does not vouch for: refused, recorded, nothing lost.
MUSTER_PIN=123456 m sync configure --user admin --url "$URL" --ca /etc/ssl/certs/ca-certificates.crt \
  --registry-key "$RKEY"
expect_status 14 sync pull
assert_contains "$(cat "$T/err")" "SSL certificate problem" "TLS verification"
assert_contains "$(m --json sync status | jq -r .last_error)" "certificate" "last error recorded"
echo "ok: muster sync"
