# umockdev.sh WRAPPER PROGRAM [ARGS...]: runs a test program under umockdev-wrapper
# (WRAPPER, the one configure found), which preloads umockdev so that libusb finds the
# emulated devices. umockdev not installed is a missing precondition
# (tests/support/missing.sh): the test is skipped, and fails under CI. A program that
# starts without the preload in effect says so itself (test_missing_exit).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../support/missing.sh"
missing_command "$1" "install umockdev (apt-get install umockdev; packaging/debian-packages.txt)"
exec "$@"
