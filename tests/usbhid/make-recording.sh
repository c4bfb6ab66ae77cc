#!/usr/bin/env bash
# make-recording.sh: writes the lines of a umockdev ioctl recording (.ioctl) for a
# scanner that sends the given scans. There is no scanner hardware here, so every
# recording in this folder is made by this script: `make-recording.sh all` writes them
# all again (the commands are at the end of this file).
#
#   make-recording.sh keyboard ITEM...   8-byte boot-keyboard reports, as a keyboard-wedge
#                                        scanner types them (press, then release, per key)
#   make-recording.sh hidpos AIM ITEM... 64-byte HID POS scanned data reports (report ID 2,
#                                        length, AIM symbology id, data, continued flag)
#   make-recording.sh unplug REPORTSIZE  the reap that fails with -19 (ENODEV): an unplug
#   make-recording.sh setproto           the SET_PROTOCOL(boot) control request on interface 0
#   make-recording.sh all                rewrites every recording of tests/usbhid
#
# Keyboard ITEMs are text, typed with US key codes, or one of the tokens:
#   {ENTER} {TAB} {GS} {RS} {EOT} (Ctrl+] Ctrl+^ Ctrl+D), {ALT:NNN} (Alt + keypad code),
#   {RAW:hex16} (one report as given: malformed reports), {RAWLEN:n:hex} (a report of n bytes).
# HID POS ITEMs are text; \x1d-style escapes are expanded (printf %b); {RAW:hex} is one
# 64-byte report as given (other report IDs, malformed reports).
#
# Line format (umockdev ioctl tree): USBDEVFS_REAPURBNDELAY ret type endpoint status
# flags buffer_length actual_length error_count data; type 1 = interrupt, 2 = control;
# endpoint 129 = 0x81 (IN). buffer_length must equal what the driver submits (the
# endpoint's wMaxPacketSize).
set -euo pipefail

reap() { # type endpoint status buffer_length actual_length hex
  echo "USBDEVFS_REAPURBNDELAY 0 $1 $2 $3 0 $4 $5 0 $6"
}

kbd() { # modifier usage
  reap 1 129 0 8 8 "$(printf '%02X00%02X0000000000' "$1" "$2")"
}

release() { reap 1 129 0 8 8 0000000000000000; }

# US layout: character → "modifier usage".
key_of() {
  local c=$1 plain='abcdefghijklmnopqrstuvwxyz1234567890' i
  local row1='-=[]\;'"'"'`,./' row1s='_+{}|:"~<>?' digits_s='!@#$%^&*()'
  local row1_usage=(0x2D 0x2E 0x2F 0x30 0x31 0x33 0x34 0x35 0x36 0x37 0x38)
  for ((i = 0; i < ${#plain}; i++)); do
    if [[ ${plain:i:1} == "$c" ]]; then echo "0 $((0x04 + i))"; return; fi
  done
  local upper=${plain^^}
  for ((i = 0; i < 26; i++)); do
    if [[ ${upper:i:1} == "$c" ]]; then echo "2 $((0x04 + i))"; return; fi
  done
  for ((i = 0; i < 10; i++)); do
    if [[ ${digits_s:i:1} == "$c" ]]; then echo "2 $((0x1E + i))"; return; fi
  done
  for ((i = 0; i < ${#row1}; i++)); do
    if [[ ${row1:i:1} == "$c" ]]; then echo "0 $((row1_usage[i]))"; return; fi
    if [[ ${row1s:i:1} == "$c" ]]; then echo "2 $((row1_usage[i]))"; return; fi
  done
  if [[ $c == ' ' ]]; then echo "0 $((0x2C))"; return; fi
  echo "make-recording.sh: no US key types '$c'" >&2
  exit 2
}

type_text() {
  local text=$1 i
  for ((i = 0; i < ${#text}; i++)); do
    # shellcheck disable=SC2046
    kbd $(key_of "${text:i:1}")
    release
  done
}

alt_code() { # digits
  local code=$1 i d
  for ((i = 0; i < ${#code}; i++)); do
    d=${code:i:1}
    kbd 4 $((d == 0 ? 0x62 : 0x59 + d - 1))
    reap 1 129 0 8 8 0400000000000000
  done
  release
}

keyboard() {
  local item
  for item in "$@"; do
    case $item in
      '{ENTER}') kbd 0 $((0x28)); release ;;
      '{TAB}') kbd 0 $((0x2B)); release ;;
      '{GS}') kbd 1 $((0x30)); release ;;
      '{RS}') kbd 3 $((0x23)); release ;;
      '{EOT}') kbd 1 $((0x07)); release ;;
      '{ALT:'*'}') code=${item#\{ALT:}; alt_code "${code%\}}" ;;
      '{RAW:'*'}') hex=${item#\{RAW:}; reap 1 129 0 8 8 "${hex%\}}" ;;
      '{RAWLEN:'*'}')
        spec=${item#\{RAWLEN:}; spec=${spec%\}}
        reap 1 129 0 8 "${spec%%:*}" "${spec#*:}" ;;
      *) type_text "$item" ;;
    esac
  done
}

hidpos() { # aim items...
  local aim=$1 item data hex chunk n flag
  shift
  for item in "$@"; do
    if [[ $item == '{RAW:'* ]]; then
      hex=${item#\{RAW:}
      reap 1 129 0 64 64 "${hex%\}}"
      continue
    fi
    data=$(printf '%b' "$item" | od -An -v -tx1 | tr -d ' \n')
    while :; do
      chunk=${data:0:116} # 58 bytes of data per 64-byte report
      data=${data:116}
      n=$((${#chunk} / 2))
      flag=00
      [[ -n $data ]] && flag=01
      hex=$(printf '02%02X%s%s' "$n" "$(printf '%s' "$aim" | od -An -tx1 | tr -d ' \n')" "$chunk")
      while ((${#hex} < 126)); do hex+=00; done
      reap 1 129 0 64 64 "${hex^^}$flag"
      [[ -z $data ]] && break
    done
  done
}

# Every recording of tests/usbhid, as the tests expect them (see README.md).
all() {
  local here kbd pos long reports
  here=$(dirname "${BASH_SOURCE[0]}")
  kbd=$here/zebra-keyboard pos=$here/hidpos-scanner
  { echo "@DEV /dev/bus/usb/001/002"; "$0" setproto
    "$0" keyboard 'gl-123456' '{ENTER}' \
      '[)>' '{RS}' '06' '{GS}' '17VABC12' '{GS}' '1PMP5A3' '{GS}' 'S03-933905' '{RS}' '{EOT}' \
      '{ENTER}' 'AB' '{ALT:029}' 'cd' '{ALT:30}' '{ENTER}'
    "$0" unplug 8; } > "$kbd/three-scans.ioctl"
  { echo "@DEV /dev/bus/usb/001/002"; "$0" setproto; "$0" keyboard 'HA11'
    "$0" unplug 8; } > "$kbd/unplug-mid-scan.ioctl"
  { echo "@DEV /dev/bus/usb/001/003"; "$0" setproto; "$0" keyboard 'HA112' '{ENTER}'
    "$0" unplug 8; } > "$kbd/replugged-scan.ioctl"
  { echo "@DEV /dev/bus/usb/001/002"; "$0" setproto
    "$0" keyboard 'X1' '{RAW:0000010101010101}' '{RAWLEN:5:0000040000}' 'Y' '{ENTER}' \
      '{ALT:999}' '{RAW:FFFFFFFFFFFFFFFF}' '{RAW:0000000000000000}' 'Z9' '{ENTER}'
    "$0" unplug 8; } > "$kbd/malformed.ioctl"
  { echo "@DEV /dev/bus/usb/001/002"; "$0" setproto
    "$0" keyboard 'LOOP-1' '{ENTER}'; } > "$kbd/endless.ioctl"
  long=$(printf 'C%03d' $(seq 1 25)) # 100 characters: two reports
  { echo "@DEV /dev/bus/usb/001/004"
    "$0" hidpos ']d1' '[)>\x1e06\x1d17VABC12\x1dSX1\x1e\x04' \
      "{RAW:04$(printf '%0124d' 0)01}" \
      "{RAW:02C85D6431424144$(printf '%0110d' 0)00}"
    "$0" hidpos ']C0' "$long"
    "$0" unplug 64; } > "$pos/two-scans.ioctl"
  # One GS1 Data Matrix both ways (docs/scan-data.md): HID POS with "]d2" in the
  # report's identifier bytes, a wedge typing "]d2" and Ctrl+] for GS; then data GS1's
  # engine refuses (a wrong check digit) and an identifier with an unknown code character.
  { echo "@DEV /dev/bus/usb/001/004"
    "$0" hidpos ']d2' '010950600013435210LOT7\x1d21ABC123' '010950600013435321ABC123'
    "$0" hidpos ']w1' 'GL-1'
    "$0" unplug 64; } > "$pos/gs1-scans.ioctl"
  { echo "@DEV /dev/bus/usb/001/002"; "$0" setproto
    "$0" keyboard ']d2010950600013435210LOT7' '{GS}' '21ABC123' '{ENTER}'
    "$0" unplug 8; } > "$kbd/gs1-scan.ioctl"
  reports=$("$0" hidpos ']C0' "$long")
  { echo "@DEV /dev/bus/usb/001/004"
    echo "${reports%%$'\n'*}" # the first of two reports, flagged continued
    "$0" unplug 64; } > "$pos/unplug-mid-scan.ioctl"
}

case ${1:-} in
  all) all ;;
  keyboard) shift; keyboard "$@" ;;
  hidpos) shift; hidpos "$@" ;;
  unplug) reap 1 129 -19 "$2" 0 "" ;;
  setproto) reap 2 0 0 8 0 210B000000000000 ;;
  *) sed -n '2,25s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
