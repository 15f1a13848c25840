#!/usr/bin/python3
"""Writes a tiny synthetic dataset in DeepFashion In-Shop layout (list_eval_partition.txt + img/) for the
scale-out test: CLASSES classes of PER_CLASS 48x48 PNGs, each class a colour and stripe pattern with noise.
Per class: half train, then query/gallery alternating. Standard library only (zlib PNG writer); deterministic.

usage: make-tiny-inshop.py ROOT [--classes N] [--per-class N] [--size PX]
"""
import argparse
import os
import random
import struct
import zlib


def png_bytes(width, height, rgb_rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(row) for row in rgb_rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def image(cls, index, size, rng):
    base = [(cls * 97 + 40) % 256, (cls * 53 + 90) % 256, (cls * 29 + 160) % 256]
    period = 3 + cls % 5
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            stripe = 60 if ((x + y * (cls % 2) + index) // period) % 2 == 0 else -60
            for c in range(3):
                row.append(max(0, min(255, base[c] + stripe + rng.randint(-25, 25))))
        rows.append(row)
    return png_bytes(size, size, rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root")
    parser.add_argument("--classes", type=int, default=8)
    parser.add_argument("--per-class", type=int, default=6)
    parser.add_argument("--size", type=int, default=48)
    args = parser.parse_args()
    if args.classes < 2 or args.per_class < 4 or args.size < 8:
        parser.error("need --classes >= 2, --per-class >= 4, --size >= 8")
    rng = random.Random(8)
    rows = []
    for cls in range(args.classes):
        item = "id_%08d" % (cls + 1)
        folder = os.path.join(args.root, "img", "SYNTH", "Shapes", item)
        os.makedirs(folder, exist_ok=True)
        for i in range(args.per_class):
            name = "%02d_%d_front.png" % (i + 1, i)
            with open(os.path.join(folder, name), "wb") as f:
                f.write(image(cls, i, args.size, rng))
            # Classes alternate between the train split and the query/gallery (test) split, as In-Shop does.
            status = "train" if cls % 2 == 0 else ("query" if i % 2 == 0 else "gallery")
            rows.append(("img/SYNTH/Shapes/%s/%s" % (item, name), item, status))
    tmp = os.path.join(args.root, "list_eval_partition.txt.tmp")
    with open(tmp, "w") as f:
        f.write("%d\nimage_name item_id evaluation_status\n" % len(rows))
        for name, item, status in rows:
            f.write("%-50s %s %s\n" % (name, item, status))
    os.replace(tmp, os.path.join(args.root, "list_eval_partition.txt"))
    print("make-tiny-inshop: %d images, %d classes -> %s" % (len(rows), args.classes, args.root))


if __name__ == "__main__":
    main()
