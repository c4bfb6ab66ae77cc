#!/usr/bin/env bash
# test-badges.sh: `muster user badge`: give a badge by UID or by tapping it on a reader,
# refusals (not an admin, a card someone else holds, no tap in time, a text barcode
# instead of a card), `user list` showing who has one, and taking it back.
#
# The tap comes from a scripted (sim) reader whose feed line is an NFC UID; the NFC
# driver itself is tested against the PN532 emulator in tests/nfc/.
source "$(dirname "$0")/lib.sh"
export MUSTER_RUNTIME_DIR="$T/run"
setup_armoury

# --- by UID, as printed on the card or read by `muster readers watch`
MUSTER_PIN=123456 m user badge --user admin bob 04:A1:B2:C3:D4:E5:F6 >/dev/null
assert_eq "true" "$(m --json user list | jq -r '.[] | select(.name == "bob") | .badge')" "bob's badge"
assert_eq "false" "$(m --json user list | jq -r '.[] | select(.name == "carol") | .badge')" "carol's badge"
assert_contains "$(m user list)" "BADGE" "user list header"
# the UID is nowhere in the database in clear
assert_eq 0 "$(sqlite3 "$DB" "SELECT count(*) FROM user_badge WHERE badge_hash LIKE '%A1B2C3%'")" "UID in clear"

# --- refusals
MUSTER_PIN=1234 expect_status 6 user badge --user sue carol 04112233445566   # supervisor
MUSTER_PIN=123456 expect_status 5 user badge --user admin carol 04A1B2C3D4E5F6  # bob's card
assert_contains "$(cat "$T/err")" "belongs to bob" "the holder is named"
MUSTER_PIN=123456 expect_status 3 user badge --user admin carol GL-1234        # not a UID
MUSTER_PIN=123456 expect_status 2 user badge --user admin carol                # nothing to give

# --- by tapping it on a reader: a barcode first (ignored, said so), then the card, as
# the NFC driver reports one (kind hf_uid)
printf 'GLK-1001\n{"value": "04:11:22:33:44:55:66", "kind": "hf_uid", "reader_kind": "nfc"}\n' >"$T/feed"
printf '[reader desk]\nkind=sim\nfeed=%s\nrate=20\n' "$T/feed" >"$T/readers.conf"
MUSTER_PIN=123456 m user badge --user admin carol --tap --readers "$T/readers.conf" \
  >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "badge by tap"; }
assert_contains "$(cat "$T/err")" "Not an NFC card" "the barcode is refused as a badge"
assert_eq "true" "$(m --json user list | jq -r '.[] | select(.name == "carol") | .badge')" "carol's badge"
# the card read by tap is the UID given: bob cannot be given it too
MUSTER_PIN=123456 expect_status 5 user badge --user admin bob 04112233445566
# no card within the time: a clear error, nothing given
printf 'GLK-1001\n' >"$T/feed2"
printf '[reader desk]\nkind=sim\nfeed=%s\n' "$T/feed2" >"$T/readers2.conf"
MUSTER_PIN=123456 expect_status 4 user badge --user admin vic --tap --readers "$T/readers2.conf" --timeout 1
assert_contains "$(cat "$T/err")" "No badge was tapped" "timeout message"

# a card whose originality signature failed (the NFC driver's verdict) is no badge
printf '{"value": "04998877665544", "kind": "hf_uid", "authenticity": "not_genuine"}\n' >"$T/feed3"
printf '[reader desk]\nkind=sim\nfeed=%s\n' "$T/feed3" >"$T/readers3.conf"
MUSTER_PIN=123456 expect_status 6 user badge --user admin vic --tap --readers "$T/readers3.conf" --timeout 5
assert_contains "$(cat "$T/err")" "authenticity" "a copied card is refused"
assert_eq "false" "$(m --json user list | jq -r '.[] | select(.name == "vic") | .badge')" "vic has no badge"

# --- taking it back; a second time there is nothing to take
MUSTER_PIN=123456 m user badge --user admin --revoke bob >/dev/null
MUSTER_PIN=123456 expect_status 4 user badge --user admin --revoke bob
assert_eq "false" "$(m --json user list | jq -r '.[] | select(.name == "bob") | .badge')" "bob's badge taken back"
assert_eq 3 "$(sqlite3 "$DB" "SELECT count(*) FROM audit_log WHERE action LIKE 'user.badge_%'")" "audited"
m audit verify >/dev/null || fail "audit verify"
echo "badges: ok"
