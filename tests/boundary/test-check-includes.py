#!/usr/bin/env python3
# test-check-includes.py: the include check fails on what it is there to find.
#
#   tests/boundary/test-check-includes.py [ROOT]
#
# A check that passes proves nothing unless it can fail. This copies the tree's sources
# to a temporary folder, checks that the copy passes as the tree does, then plants one
# breach of each rule (an upward include, a private header used from another folder or
# handed on by a public one, <sqlite3.h> outside db/, a folder with no layer) and checks
# that check-includes.py fails naming each one with its file and line. Files are found
# by folder, not by name, so renaming a driver or a screen does not break this test.
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "check-includes.py")

# (folder to plant in, kind of file, the line planted, what the report must say)
PLANTS = [
    ("drivers", ".c", '#include "db/store.h"', "drivers/ may not include db/"),
    ("db", ".c", '#include "sync/client.h"', "db/ may not include sync/"),
    ("core", ".c", '#include "db/store.h"', "core/ may not include db/"),
    ("registry", ".c", '#include "db/store.h"', "registry/ may not include db/"),
    ("protocol", ".c", '#include "sync/client.h"', "protocol/ may not include sync/"),
    ("ui", ".c", '#include "db/store-private.h"',
     "a private header is included only from its own folder (db/)"),
    ("db", ".h", '#include "db/store-private.h"', "a public header may not include a private one"),
    ("ui", ".c", "#include <sqlite3.h>", "<sqlite3.h> is included only by db/"),
]


def run_checker(root):
    p = subprocess.run([sys.executable, CHECKER, root], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def copy_sources(root, dest):
    spec = importlib.util.spec_from_file_location("check_includes", CHECKER)
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)
    for path in checker.sources(root):
        os.makedirs(os.path.join(dest, os.path.dirname(path)), exist_ok=True)
        shutil.copyfile(os.path.join(root, path), os.path.join(dest, path))


def first_file(root, folder, ext, skip):
    """The first file of the folder with that ending (public headers only), not one
    planted in already."""
    for top, dirs, files in sorted(os.walk(os.path.join(root, folder))):
        dirs.sort()
        for name in sorted(files):
            path = os.path.relpath(os.path.join(top, name), root)
            if name.endswith(ext) and not name.endswith("-private.h") and path not in skip:
                return path
    raise SystemExit(f"Bail out! no {ext} file in {folder}/ to plant in")


def plant(root, path, line):
    """Appends line to the file; returns its line number."""
    with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
        n = sum(1 for _ in f)
    with open(os.path.join(root, path), "a", encoding="utf-8") as f:
        f.write("\n" + line + "\n")
    return n + 2


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="muster-boundary-") as tmp:
        copy_sources(root, tmp)
        print(f"1..{len(PLANTS) + 2}")
        rc, out = run_checker(tmp)
        ok = rc == 0
        failures += not ok
        print(f"{'ok' if ok else 'not ok'} 1 - the copy of the tree passes as the tree does")
        if not ok:
            print("# " + out.replace("\n", "\n# "))
        wanted, planted = [], set()
        for folder, ext, line, rule in PLANTS:
            path = first_file(tmp, folder, ext, planted)
            planted.add(path)
            n = plant(tmp, path, line)
            wanted.append((f"{path}:{n}:", rule, line))
        os.makedirs(os.path.join(tmp, "newpart"))
        with open(os.path.join(tmp, "newpart", "part.c"), "w") as f:
            f.write('#include "core/muster-error.h"\n')
        wanted.append(("newpart/part.c:", "folder newpart/ has no layer in the table",
                       "a new folder"))
        rc, out = run_checker(tmp)
        for i, (where, rule, what) in enumerate(wanted, 2):
            ok = rc == 1 and any(where in l and rule in l for l in out.splitlines())
            failures += not ok
            print(f"{'ok' if ok else 'not ok'} {i} - {what}: found at {where} ({rule})")
        if failures:
            print("# the checker said:\n# " + out.replace("\n", "\n# "))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
