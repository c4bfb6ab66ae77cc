# test-demo.sh: the README's first command ends in `muster demo`; it must find exactly
# the problems it planted, for several armouries, and leave a database that verifies.
source "$(dirname "$0")/lib.sh"

for seed in 1 7 2026; do
  db="$T/demo-$seed.db"
  m --db "$db" --json demo --items 600 --seed "$seed" >"$T/demo.json" \
    || fail "demo seed $seed: reconciliation differs from the planted problems"
  jq -e '.all_planted_found and (.check | all(.ok))' "$T/demo.json" >/dev/null \
    || fail "demo seed $seed: self-check"
  jq -e '.count.state == "reconciled" and .count.unresolved == (.discrepancies | length)' \
    "$T/demo.json" >/dev/null || fail "demo seed $seed: count state"
  m --db "$db" audit verify >/dev/null || fail "demo seed $seed: audit chain"
done
# The demo never overwrites a database.
expect_status 5 --db "$T/demo-1.db" demo --items 600
echo ok
