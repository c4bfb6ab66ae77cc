#!/usr/bin/env bash
#
# test-boot.sh: ctest packaging/boot. The appliance booted as an armoury powers it on: a
# Debian 12 root with a kernel and the three packages (apt, as in test-install-root.sh),
# written to a disk image and started in a virtual machine (QEMU, software emulation),
# with systemd as PID 1, logind, a virtio GPU (DRM), a PS/2 keyboard and the units as
# the packages install them. Nothing in it is changed
# for the test but a drop-in that turns on the kiosk's debug log (its "first frame
# painted" line) and boot/boot-check.service, which runs boot/boot-check.sh as root once
# booted. That script checks, and reports on the machine's second serial port:
#   - the kiosk on screen at boot with no database: the setup screen;
#   - systemctl start to the kiosk's first frame (three runs), with a database;
#   - a count resumed on the simulated reader, and cage and the kiosk SIGKILLed
#     mid-count: systemd restarts them, on the same count, with every scan the kiosk
#     acknowledged in the database;
#   - the sandbox as the kernel applies it: seccomp, no capabilities, the mounts, and
#     which devices the kiosk's user can open;
#   - Ctrl+Alt+F2 typed on the keyboard leaves the kiosk on tty1;
#   - the backup service and timer;
#   - a registry on PostgreSQL (muster-registry.service) and the sync service pushing the
#     appliance's history to it.
# This script reads that port, takes the screenshots it asks for from QEMU's monitor
# (what the virtual screen shows: checked not blank, the setup screen unlike the sign-in
# screen) and types the keys it asks for. The screenshots stay in BUILD/boot-test/.
#
# Needs root (chroot, mounts), mmdebstrap, the Debian mirror, qemu-system-x86_64 and
# mkfs.ext4; skipped (77) without them outside CI.
#
# Usage: test-boot.sh BUILD_DIR DEBS_DIR   (DEBS_DIR: build-debs.sh's output)
# Environment: MUSTER_BOOT_ACCEL=kvm uses KVM (default: software emulation, which works
# everywhere); MUSTER_BOOT_TIMEOUT seconds for the boot and its checks (default 1500);
# for developers, MUSTER_BOOT_KEEP_IMAGE=PREFIX keeps the image before its boot and
# MUSTER_BOOT_IMAGE_FROM=PREFIX boots a kept one (with this tree's boot/ checks) instead
# of making a new root.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
debian_root_work=boot-test
# shellcheck source=debian-root.sh
source "$here/debian-root.sh" "$@"

debian_root_requirements qemu-system-x86_64 mkfs.ext4 python3
debian_base_root

# What the machine needs beyond the packages' own Depends: a kernel, systemd as init,
# PostgreSQL for the registry (its Recommends), and the tools boot-check.sh uses.
system_packages=(linux-image-amd64 systemd-sysv udev postgresql)
check_tools=(jq sqlite3 openssl procps)
image="$work/disk.img"
shots="$work"
serial="$work/serial.log"
console="$work/console.log"
qmp_socket="$work/qmp.sock"

# --- the machine's disk ---------------------------------------------------------------

start=$SECONDS
if [[ -n ${MUSTER_BOOT_IMAGE_FROM:-} ]]; then
  # A developer's shortcut: the image, kernel and initramfs a run kept
  # (MUSTER_BOOT_KEEP_IMAGE), copied instead of a new root, with this tree's checks.
  cp --sparse=always "$MUSTER_BOOT_IMAGE_FROM.img" "$image"
  cp "$MUSTER_BOOT_IMAGE_FROM.vmlinuz" "$work/vmlinuz"
  cp "$MUSTER_BOOT_IMAGE_FROM.initrd.img" "$work/initrd.img"
  rm -f "$shots"/*.png "$serial" "$console"
  mkdir -p "$work/mnt"
  mount -o loop "$image" "$work/mnt" || die "cannot mount $image"
  install -m 0755 "$here/boot/boot-check.sh" "$work/mnt/usr/local/sbin/muster-boot-check"
  install -m 0644 "$here/boot/boot-check.service" "$work/mnt/etc/systemd/system/"
  umount "$work/mnt"
else
new_root machine
rm -f "$image" "$shots"/*.png "$serial" "$console"
in_root apt-get update -q >"$work/apt.log" 2>&1 || die "apt-get update failed in the root"
in_root apt-get install -y -q --no-install-recommends "${system_packages[@]}" "${check_tools[@]}" \
  >"$work/apt-system.log" 2>&1 || {
  tail -n 30 "$work/apt-system.log"
  die "apt-get install ${system_packages[*]} failed in the root"
}
apt_install "$(deb_of muster)" "$(deb_of muster-kiosk)" "$(deb_of muster-registry)"
took "a Debian 12 root with a kernel and the three packages" $start

# As the README's "Install on an appliance" leaves it: the graphical target by default.
in_root systemctl set-default graphical.target >/dev/null 2>&1
echo muster-boot-test >"$root/etc/hostname"
echo "/dev/vda / ext4 rw,errors=remount-ro 0 1" >"$root/etc/fstab"
install -m 0755 "$here/boot/boot-check.sh" "$root/usr/local/sbin/muster-boot-check"
install -m 0644 "$here/boot/boot-check.service" "$root/etc/systemd/system/"
in_root systemctl enable boot-check.service >/dev/null 2>&1
mkdir -p "$root/etc/systemd/system/muster-kiosk.service.d"
printf '[Service]\nEnvironment=G_MESSAGES_DEBUG=Muster\n' \
  >"$root/etc/systemd/system/muster-kiosk.service.d/debug-log.conf"
in_root apt-get clean # the downloaded .debs: a smaller image, written sooner
rm -f "$root/usr/sbin/policy-rc.d" "$root/etc/machine-id"
touch "$root/etc/machine-id" # empty: systemd makes one at first boot, as on a fresh install

kernel="$(ls "$root"/boot/vmlinuz-* | sort -V | tail -n 1)"
initrd="$root/boot/initrd.img-${kernel##*/vmlinuz-}"
[[ -f $initrd ]] || die "the kernel's initramfs $initrd is missing"
cp "$kernel" "$work/vmlinuz"
cp "$initrd" "$work/initrd.img"
unmount_all
size_mb=$(($(du -sm "$root" | cut -f1) + 1536))
mkfs.ext4 -q -F -L muster-root -d "$root" "$image" "${size_mb}M" ||
  die "mkfs.ext4 could not write the root to $image"
remove_root
fi
if [[ -n ${MUSTER_BOOT_KEEP_IMAGE:-} && -z ${MUSTER_BOOT_IMAGE_FROM:-} ]]; then
  # Kept as booted never: NAME.img, NAME.vmlinuz, NAME.initrd.img for IMAGE_FROM.
  cp --sparse=always "$image" "$MUSTER_BOOT_KEEP_IMAGE.img"
  cp "$work/vmlinuz" "$MUSTER_BOOT_KEEP_IMAGE.vmlinuz"
  cp "$work/initrd.img" "$MUSTER_BOOT_KEEP_IMAGE.initrd.img"
fi
took "the disk image" $start

# --- the boot ---------------------------------------------------------------------------

# Software emulation (TCG, a thread a virtual CPU) unless asked for KVM: in a nested
# VM such as this project's machines, KVM's guest hung before its kernel printed a line,
# and "-cpu host" aborted QEMU (an MSR the outer hypervisor refuses).
accel=(-accel tcg)
if [[ ${MUSTER_BOOT_ACCEL:-tcg} == kvm ]]; then
  accel=(-accel kvm)
fi
echo "# booting with ${accel[*]}"
# The screen is a virtio GPU, not QEMU's standard VGA: wlroots' DRM backend needs a
# driver that imports PRIME buffers, as the usual ones do (i915, amdgpu, virtio-gpu), but
# bochs-drm (standard VGA) does not ("PRIME import not supported": no screen at all).
qemu_pid=""
stop_machine() {
  [[ -z $qemu_pid ]] || kill "$qemu_pid" 2>/dev/null || true
  remove_root
}
trap stop_machine EXIT
: >"$serial"
qemu-system-x86_64 "${accel[@]}" -m 2048 -smp 2 -nodefaults -no-user-config -no-reboot \
  -kernel "$work/vmlinuz" -initrd "$work/initrd.img" \
  -append "root=/dev/vda rw console=ttyS0 panic=-1" \
  -drive "file=$image,format=raw,if=virtio,cache=unsafe" \
  -vga none -device virtio-vga -display none -nic none \
  -chardev "file,id=console,path=$console" -serial chardev:console \
  -chardev "file,id=checks,path=$serial" -serial chardev:checks \
  -qmp "unix:$qmp_socket,server=on,wait=off" &
qemu_pid=$!
boot_start=$SECONDS

qmp() { python3 "$here/boot/qmp.py" "$qmp_socket" "$@"; }

# The machine's requests, as its lines come: a screenshot now, keys typed now.
handled=0
deadline=$((SECONDS + ${MUSTER_BOOT_TIMEOUT:-1500}))
done_line=""
while kill -0 "$qemu_pid" 2>/dev/null && ((SECONDS < deadline)); do
  mapfile -t lines < <(tr -d '\r' <"$serial")
  for ((; handled < ${#lines[@]}; handled++)); do
    line="${lines[handled]}"
    echo "$line"
    case "$line" in
      "SHOT "*)
        name="${line#SHOT }"
        qmp screendump "{\"filename\": \"$shots/$name.png\", \"format\": \"png\"}" >/dev/null ||
          fail "screenshot $name"
        check "the screen shows the kiosk ($name: $(python3 "$top/tests/kiosk/png-check.py" \
          "$shots/$name.png" 2>&1 | head -n 1))" python3 "$top/tests/kiosk/png-check.py" "$shots/$name.png"
        ;;
      "KEYS "*)
        keys="$(printf '%s' "${line#KEYS }" | tr '-' '\n' | jq -R '{type: "qcode", data: .}' | jq -s -c .)"
        qmp send-key "{\"keys\": $keys}" >/dev/null || fail "typing ${line#KEYS }"
        ;;
      "DONE "*) done_line="$line" ;;
      "not ok"*) status=1 ;;
    esac
  done
  [[ -z $done_line ]] || break
  sleep 0.2
done
took "the boot and its checks" $boot_start
if [[ -z $done_line ]]; then
  fail "the machine's checks did not finish within ${MUSTER_BOOT_TIMEOUT:-1500} s"
  tail -n 60 "$console" | sed 's/^/# console: /'
fi
for _ in $(seq 60); do kill -0 "$qemu_pid" 2>/dev/null || break; sleep 1; done
kill -0 "$qemu_pid" 2>/dev/null && fail "the machine did not power off within 60 s"

# The screens: each a picture, the setup screen not the sign-in screen.
if [[ -f $shots/first-boot.png && -f $shots/sign-in.png ]]; then
  check "the first-boot screen differs from the sign-in screen" \
    sh -c "! cmp -s '$shots/first-boot.png' '$shots/sign-in.png'"
else
  fail "the first-boot and sign-in screenshots were not both taken"
fi

# Figures: the median of the three starts.
figures="$(sed -n 's/^figure //p' <(tr -d '\r' <"$serial"))"
median="$(sed -n 's/^start_to_first_frame_ms_[0-9]=//p' <<<"$figures" | sort -n | sed -n 2p)"
echo "# systemctl start to the kiosk's first frame: median ${median:-?} ms (${accel[*]})"
echo "# boot to the kiosk's first frame: $(sed -n 's/^boot_to_first_frame_s=//p' <<<"$figures") s"
exit $status
