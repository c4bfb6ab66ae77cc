#!/usr/bin/env python3
# check-includes.py: every #include of the tree against the layers it may reach.
#
#   tests/boundary/check-includes.py [ROOT]      (ROOT: the source tree, default ../..)
#
# The layers are the folders below; dependencies point down only, so a change in a
# lower layer is the only kind that reaches the ones above it, and the registry and
# the drivers build without the record store. Each line of LAYERS names a folder and
# the folders it uses directly; what those use it may use too (live uses db, so live
# may include core). A folder that is renamed or added needs one line here: a folder of
# C sources that is not in the table is an error, so the table stays true.
#
# Besides the layers:
#   - a *-private.h header is included only from its own folder (and its subfolders),
#     and never from a public header, which would hand it on to everyone;
#   - a system header in SYSTEM_HEADERS is included only from its folder's .c/.cpp files
#     and private headers: <sqlite3.h> stays inside db/, so nothing else can run SQL,
#     and zxing-cpp's C++ <ReadBarcode.h> inside decode/ (behind its C shim);
#   - tests/ and bench/ may include anything: they check the layers from outside;
#   - third_party/ (vendored libraries) is not checked: its code is not ours.
#
# Prints one line per breach, "file:line: includes X: rule", and exits 1 if there is
# any; 0 and a one-line summary otherwise.
import os
import re
import sys

# folder: the folders it uses (lowest layers first)
LAYERS = {
    "core": [],
    "marking": ["core"],
    "scan": ["marking"],
    "decode": ["core"],
    "drivers": ["scan", "decode"],
    "db": ["scan"],
    "protocol": ["core"],
    "demo": ["core"],
    "live": ["drivers", "db"],
    "sync": ["db", "protocol"],
    "registry": ["protocol"],
    "ui": ["live", "sync"],
    "app": ["ui", "registry", "demo"],
}
# Folders that may include anything.
OUTSIDE = ["tests", "bench"]
# Vendored libraries (third_party/*/README.md): not ours, so their includes follow their
# rules and are not checked; ours reach them only as system headers (SYSTEM_HEADERS).
VENDORED = ["third_party"]
# Not sources: build trees (the mutation run keeps a copy of the tree in build/).
IGNORED = ["build", "tmp"]
# System headers only one folder includes, and only from .c files and private headers.
SYSTEM_HEADERS = {
    "sqlite3.h": "db",
    "gs1encoders.h": "marking",  # GS1's engine: only marking/gs1-syntax.c asks it
    "curl/curl.h": "sync",
    # zxing-cpp's C++ API stays behind decode/zxing-shim.h (the one C++ file).
    "ReadBarcode.h": "decode",
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')
PRIVATE_SUFFIX = "-private.h"


def reachable(folder):
    """The folders folder uses, directly or through others."""
    seen, todo = set(), list(LAYERS[folder])
    while todo:
        f = todo.pop()
        if f not in seen:
            seen.add(f)
            todo.extend(LAYERS[f])
    return seen


def sources(root):
    """Every .c, .cpp and .h below root (relative paths), build trees and hidden folders
    left out."""
    for top, dirs, files in os.walk(root):
        rel_top = os.path.relpath(top, root)
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".")
            and not (rel_top == "." and any(d == i or d.startswith(i) for i in IGNORED))
            and not os.path.exists(os.path.join(top, d, "CMakeCache.txt")))
        for name in sorted(files):
            if name.endswith((".c", ".cpp", ".h")):
                yield os.path.normpath(os.path.join(rel_top, name))


def top_folder(path):
    parts = path.split(os.sep)
    return parts[0] if len(parts) > 1 else None


def resolve(root, includer, target):
    """The tree path an #include "target" of includer names: beside the includer first,
    as the compiler looks, then from the root. None when it is not in the tree (a
    generated header)."""
    beside = os.path.normpath(os.path.join(os.path.dirname(includer), target))
    if os.path.isfile(os.path.join(root, beside)):
        return beside
    if os.path.isfile(os.path.join(root, target)):
        return os.path.normpath(target)
    return os.path.normpath(target) if top_folder(target) in LAYERS else None


def check_layer(folder, included):
    other = top_folder(included)
    if other is None or other == folder or other in OUTSIDE or folder in OUTSIDE:
        return None
    if other not in LAYERS:
        return f"{other}/ is not a layer in tests/boundary/check-includes.py"
    allowed = reachable(folder)
    if other in allowed:
        return None
    return (f"{folder}/ may not include {other}/ (it may include "
            f"{', '.join(sorted(allowed)) or 'nothing of ours'})")


def check_private(includer, included):
    if not included.endswith(PRIVATE_SUFFIX):
        return None
    if includer.endswith(".h") and not includer.endswith(PRIVATE_SUFFIX):
        return "a public header may not include a private one (it would hand it on)"
    if top_folder(includer) in OUTSIDE:
        return None
    own = os.path.dirname(included)
    if os.path.dirname(includer) == own or includer.startswith(own + os.sep):
        return None
    return f"a private header is included only from its own folder ({own}/)"


def check_system(includer, header):
    folder = SYSTEM_HEADERS.get(header)
    if folder is None or top_folder(includer) in OUTSIDE:
        return None
    if top_folder(includer) == folder and (includer.endswith((".c", ".cpp")) or
                                            includer.endswith(PRIVATE_SUFFIX)):
        return None
    return (f"<{header}> is included only by {folder}/'s .c/.cpp files and private headers")


def check_file(root, path):
    folder = top_folder(path)
    problems = []
    with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if m is None:
                continue
            kind, target = m.groups()
            if kind == "<":
                why = check_system(path, target)
                shown = f"<{target}>"
            else:
                included = resolve(root, path, target)
                if included is None:
                    continue
                why = check_layer(folder, included) or check_private(path, included)
                shown = included
            if why is not None:
                problems.append(f"{path}:{n}: includes {shown}: {why}")
    return problems


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..")
    problems, files, unknown = [], 0, {}
    for path in sources(root):
        folder = top_folder(path)
        if folder is None:
            problems.append(f"{path}: a source at the top of the tree has no layer")
            continue
        if folder in VENDORED:
            continue
        if folder not in LAYERS and folder not in OUTSIDE:
            unknown.setdefault(folder, path)
            continue
        files += 1
        problems += check_file(root, path)
    for folder, example in sorted(unknown.items()):
        problems.append(f"{example}: folder {folder}/ has no layer in the table "
                        f"(add it to LAYERS in tests/boundary/check-includes.py)")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) break the layers (tests/boundary/check-includes.py)",
              file=sys.stderr)
        return 1
    print(f"ok: {files} files, every include within its layer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
