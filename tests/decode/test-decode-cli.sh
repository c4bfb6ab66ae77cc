#!/usr/bin/env bash
# test-decode-cli.sh: `muster decode` end to end: images rendered by zint, decoded by the
# real command; its text and JSON output, and its exit status and message for images
# without a code and for missing, damaged and non-image files.
set -euo pipefail
: "${MUSTER:?set MUSTER to the muster binary}"
zint=${MUSTER_ZINT:-zint}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_status() { # expect_status WANT CMD...: runs CMD, checks its exit status
  local want=$1; shift
  set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?; set -e
  [[ $got == "$want" ]] || { cat "$tmp/out" "$tmp/err" >&2; fail "$* exited $got, not $want"; }
}

"$zint" --barcode=DATAMATRIX --esc --data='[)>\R06\G17V1A2B3\G1PAK47\GSGL-123456\R\E' \
  --quietzones --output="$tmp/iuid.png"
"$zint" --barcode=CODE128 --data='HA112-X' --quietzones --output="$tmp/c128.png"
"$zint" --barcode=DATAMATRIX --gs1 --data='[01]09506000134352[21]ABC123[10]L1' --quietzones \
  --output="$tmp/gs1dm.png"
"$zint" --barcode=QRCODE --data='GL-2' --quietzones --scale=3 --output="$tmp/qr.png"
"$zint" --barcode=QRCODE --data='GL-2' --quietzones --scale=3 --reverse --output="$tmp/qr-light.png"
# A grey picture with no code (PGM: gdk-pixbuf reads it too).
printf 'P5\n64 48\n255\n' >"$tmp/blank.pgm"
head -c $((64 * 48)) /dev/zero | tr '\0' '\200' >>"$tmp/blank.pgm"

# Text: file, symbology, GS/RS/EOT shown, and the marking.
expect_status 0 "$MUSTER" decode "$tmp/iuid.png" "$tmp/c128.png"
grep -qxF "$tmp/iuid.png: datamatrix [)><RS>06<GS>17V1A2B3<GS>1PAK47<GS>SGL-123456<RS><EOT>" "$tmp/out" ||
  fail "Data Matrix line missing: $(cat "$tmp/out")"
grep -q "^  marking datamatrix_uii .* (iso15434)$" "$tmp/out" || fail "no IUID marking: $(cat "$tmp/out")"
grep -qxF "$tmp/c128.png: code128 HA112-X" "$tmp/out" || fail "Code 128 line missing"
grep -qxF "  marking barcode HA112-X (plain)" "$tmp/out" || fail "Code 128 marking missing"

# JSON: the exact text and bytes, per file.
expect_status 0 "$MUSTER" --json decode "$tmp/iuid.png" "$tmp/qr-light.png"
[[ $(jq -r '.[0].symbols[0].text' "$tmp/out") == $'[)>\x1e06\x1d17V1A2B3\x1d1PAK47\x1dSGL-123456\x1e\x04' ]] ||
  fail "JSON text differs: $(cat "$tmp/out")"
[[ $(jq -r '.[0].symbols[0].raw_hex' "$tmp/out") == 5B293E1E30361D31375631413242331D3150414B34371D53474C2D3132333435361E04 ]] ||
  fail "raw_hex differs"
[[ $(jq -r '.[1].symbols[0] | "\(.symbology) \(.text) \(.inverted) \(.marking.value)"' "$tmp/out") == "qrcode GL-2 true GL-2" ]] ||
  fail "light-on-dark QR: $(cat "$tmp/out")"
[[ $(jq -r '.[0].symbols[0] | "\(.aim) \(.gs1)"' "$tmp/out") == "]d1 false" ]] ||
  fail "IUID identifier: $(cat "$tmp/out")"

# GS1 (docs/scan-data.md): the identifier says so; text and raw_hex have no leading GS.
expect_status 0 "$MUSTER" --json decode "$tmp/gs1dm.png"
[[ $(jq -r '.[0].symbols[0] | "\(.aim) \(.gs1) \(.text) \(.raw_hex)"' "$tmp/out") == \
   $']d2 true 010950600013435221ABC123\x1d10L1 3031303935303630303031333433353232314142433132331D31304C31' ]] ||
  fail "GS1 Data Matrix JSON: $(cat "$tmp/out")"
expect_status 0 "$MUSTER" decode "$tmp/gs1dm.png"
grep -qxF "$tmp/gs1dm.png: datamatrix (GS1) 010950600013435221ABC123<GS>10L1" "$tmp/out" ||
  fail "GS1 Data Matrix line: $(cat "$tmp/out")"

# No code in the image: exit 4, a message naming the file; the others still printed.
expect_status 4 "$MUSTER" decode "$tmp/blank.pgm" "$tmp/qr.png"
grep -qF "$tmp/blank.pgm: no barcode, QR code or Data Matrix found" "$tmp/err" || fail "no-code message"
grep -qxF "$tmp/qr.png: qrcode GL-2" "$tmp/out" || fail "the good image after a blank one"

# Missing (4), damaged (3), not an image (3): a clean message, no crash.
expect_status 4 "$MUSTER" decode "$tmp/missing.png"
grep -qxF "muster: $tmp/missing.png: no such file" "$tmp/err" || fail "missing-file message: $(cat "$tmp/err")"
head -c 200 "$tmp/qr.png" >"$tmp/cut.png"
expect_status 3 "$MUSTER" decode "$tmp/cut.png"
grep -qF "muster: $tmp/cut.png is damaged or not a complete image" "$tmp/err" || fail "damaged: $(cat "$tmp/err")"
echo 'GL-123456' >"$tmp/notes.png"
expect_status 3 "$MUSTER" --json decode "$tmp/notes.png" "$tmp/qr.png"
grep -qF "$tmp/notes.png is not an image" "$tmp/err" || fail "not-an-image message"
[[ $(jq -r '.[0].error != null and .[1].symbols[0].text == "GL-2"' "$tmp/out") == true ]] ||
  fail "JSON with an error: $(cat "$tmp/out")"

# Usage errors.
expect_status 2 "$MUSTER" decode
echo "ok: muster decode"
