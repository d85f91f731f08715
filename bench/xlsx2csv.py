#!/usr/bin/env python3
"""Convert the first worksheet of an .xlsx file to UTF-8 CSV (no BOM), streaming.

Used by bench/linkage.sh only, to give DuckDB (which reads no .xlsx without an extension)
the same rows baoxue imports from 学籍数据.xlsx. Not timed. Standard library only.

Every row is written, including the title row above the header, so the CSV has the same
layout as the .csv the demo writes above ~1.05M rows (title row, header on row 2). Cells keep
their stored value: strings as text, numbers as written (dates stay Excel serials), and
missing cells in a row become empty fields. Usage: xlsx2csv.py in.xlsx out.csv
"""
import csv
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def col_index(ref):
    m = re.match(r"([A-Z]+)", ref or "")
    if not m:
        return None
    n = 0
    for ch in m.group(1):
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def text_of(el):
    # <is> or <si>: either <t> directly or rich-text runs <r><t>
    return "".join(t.text or "" for t in el.iter(NS + "t"))


def first_sheet_path(z):
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    sheet = wb.find(NS + "sheets/" + NS + "sheet")
    rid = sheet.get(REL_NS + "id")
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(PKG_REL_NS + "Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    raise SystemExit("xlsx2csv: first worksheet not found")


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: xlsx2csv.py in.xlsx out.csv")
    src, dst = sys.argv[1], sys.argv[2]
    with zipfile.ZipFile(src) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            with z.open("xl/sharedStrings.xml") as f:
                for _, el in ET.iterparse(f):
                    if el.tag == NS + "si":
                        shared.append(text_of(el))
                        el.clear()
        rows = 0
        with z.open(first_sheet_path(z)) as f, open(dst, "w", newline="", encoding="utf-8") as out:
            w = csv.writer(out, lineterminator="\n")
            for _, el in ET.iterparse(f):
                if el.tag != NS + "row":
                    continue
                cells = []
                for c in el.iter(NS + "c"):
                    i = col_index(c.get("r"))
                    if i is None:
                        i = len(cells)
                    t = c.get("t")
                    if t == "inlineStr":
                        is_el = c.find(NS + "is")
                        val = text_of(is_el) if is_el is not None else ""
                    else:
                        v = c.find(NS + "v")
                        val = v.text if v is not None and v.text is not None else ""
                        if t == "s" and val != "":
                            val = shared[int(val)]
                    while len(cells) < i:
                        cells.append("")
                    cells.append(val)
                w.writerow(cells)
                rows += 1
                el.clear()
    print(rows)


if __name__ == "__main__":
    main()
