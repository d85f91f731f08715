#!/usr/bin/env python3
"""The layers of src/ point one way: a folder may include its own headers and those of folders
below it, never one above it or beside it. Fails naming every edge that breaks the order.

    util → core → store → link → ingest → render → domain → casework → report → verb → demo
         → http → cli

(docs/ARCHITECTURE.md says why each folder sits where it does.) main.c, at the top of src/,
may include anything.

Usage: tests/layers.py [SRC]      (SRC defaults to the src/ beside this file's folder)
"""
import os
import re
import sys

ORDER = ["util", "core", "store", "link", "ingest", "render", "domain", "casework", "report",
         "verb", "demo", "http", "cli"]
RANK = {name: i for i, name in enumerate(ORDER)}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"/]+)/([^"]+)"', re.M)


def edges(src):
    """(file, line, its folder, the included folder, the header) for every project include."""
    for root, _, files in os.walk(src):
        for f in sorted(files):
            if not f.endswith((".c", ".h", ".S")):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, src)
            if os.sep not in rel:
                continue  # main.c
            folder = rel.split(os.sep)[0]
            text = open(path, encoding="utf-8", errors="replace").read()
            for m in INCLUDE.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                yield rel, line, folder, m.group(1), m.group(1) + "/" + m.group(2)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "src")
    bad, unknown, count = [], [], 0
    for rel, line, folder, target, header in edges(src):
        count += 1
        if folder not in RANK or target not in RANK:
            unknown.append("src/%s:%d: %s (folder %s is not in the layer order)"
                           % (rel, line, header, folder if folder not in RANK else target))
        elif RANK[target] > RANK[folder]:
            bad.append("src/%s:%d: %s → %s points up (%s is above %s)"
                       % (rel, line, folder, header, target, folder))
    for msg in unknown + bad:
        print(msg)
    if unknown or bad:
        print("%d of %d includes break the layer order: %s"
              % (len(unknown) + len(bad), count, " → ".join(ORDER)))
        return 1
    print("%d includes, all pointing down: %s" % (count, " → ".join(ORDER)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
