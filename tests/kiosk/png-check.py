#!/usr/bin/env python3
# png-check.py PNG: says whether a captured frame shows something — the kiosk drawn, not
# a black or one-colour output. Prints "WIDTHxHEIGHT COLOURS DIFFER%" and exits 0 when
# there are at least 16 colours and 2 % of the pixels unlike the top-left one (the
# kiosk tests' own measure of "not blank", tests/ui/ui-test.c), else 1.
#
# The standard library only (zlib): the test needs no imaging package. Reads the 8-bit
# RGB and RGBA PNGs grim writes.
import struct
import sys
import zlib


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def rows(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    pos, idat, width, height, bpp = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                raise SystemExit(f"{path}: only 8-bit RGB or RGBA PNGs are read")
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw, stride, prev, off = zlib.decompress(idat), width * bpp, bytearray(width * bpp), 0
    for _ in range(height):
        kind, line = raw[off], bytearray(raw[off + 1 : off + 1 + stride])
        off += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            c = prev[x - bpp] if x >= bpp else 0
            add = (0, a, prev[x], (a + prev[x]) // 2, paeth(a, prev[x], c))[kind]
            line[x] = (line[x] + add) & 0xFF
        yield [bytes(line[x : x + 3]) for x in range(0, stride, bpp)]
        prev = line
    print(f"{width}x{height}", end=" ")


def main():
    colours, first, differ, total = set(), None, 0, 0
    for row in rows(sys.argv[1]):
        first = first if first is not None else row[0]
        colours.update(row)
        differ += sum(1 for px in row if px != first)
        total += len(row)
    share = 100.0 * differ / max(total, 1)
    print(f"{len(colours)} colours, {share:.1f}% unlike the corner")
    sys.exit(0 if len(colours) >= 16 and share >= 2.0 else 1)


main()
