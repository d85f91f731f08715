"""Hostile files, generated rather than committed (some are large): what an import must refuse,
with the Chinese reason it must give. test_hostile_files.py imports each and checks the refusal
and that nothing was stored; `python3 hostile.py DIR` writes them all to DIR (to try one by
hand, or to seed a fuzzer).

Each entry of CATALOGUE: name -> (file name, kind, function returning the bytes, substrings
the error message must contain).
"""

import codecs
import io
import os
import sys
import zipfile

from harness import NS_MAIN, XML_HEAD, csv_text, make_id, xlsx_bytes

ID = make_id("20150304", 11)


def replace_parts(base, **parts):
    """An xlsx from base (bytes) with parts replaced: sheet=…, sst=… (bytes or str), or any
    member name through the `members` dict. Deflated."""
    names = {"sheet": "xl/worksheets/sheet1.xml", "sst": "xl/sharedStrings.xml"}
    new = {names.get(k, k): (v.encode() if isinstance(v, str) else v) for k, v in parts.items()}
    zin = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for item in zin.infolist():
            z.writestr(item.filename, new.get(item.filename, zin.read(item.filename)))
    return out.getvalue()


def base_xlsx():
    return xlsx_bytes([("花名册", [["姓名", "身份证号"], ["张三", ID]])])


def shared_string_bomb(length, rows):
    """One shared string of `length` bytes referenced by `rows` cells under a 姓名/身份证号
    header: a few kilobytes that expand to length * rows bytes."""
    big = "张" * (length // 3)
    sst = XML_HEAD + '<sst xmlns="%s"><si><t>姓名</t></si><si><t>身份证号</t></si><si><t>%s</t></si></sst>' % (
        NS_MAIN, big)
    body = ['<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>']
    body += ['<row r="%d"><c r="A%d" t="s"><v>2</v></c></row>' % (i, i) for i in range(2, rows + 2)]
    sheet = XML_HEAD + '<worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (NS_MAIN, "".join(body))
    return replace_parts(base_xlsx(), sheet=sheet, sst=sst)


def zip_bomb(size=200 << 20):
    """A worksheet of `size` bytes, nearly all spaces, deflated about 1000 to 1."""
    out = io.BytesIO()
    zin = zipfile.ZipFile(io.BytesIO(base_xlsx()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for item in zin.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                z.writestr(item.filename, zin.read(item.filename))
                continue
            with z.open(item.filename, "w", force_zip64=True) as f:
                f.write(('<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
                         '<c r="B1" t="s"><v>1</v></c></row>' % NS_MAIN).encode())
                chunk = b" " * (1 << 20)
                for _ in range(size >> 20):
                    f.write(chunk)
                f.write(b"</sheetData></worksheet>")
    return out.getvalue()


def deep_nesting():
    sheet = ('<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
             '<row r="2"><c r="A2" t="inlineStr">' % NS_MAIN + "<is>" * 200000
             + "</c></row></sheetData></worksheet>")
    return replace_parts(base_xlsx(), sheet=sheet)


def xxe():
    sheet = ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
             '<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
             '<c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>&e;</t>'
             '</is></c></row></sheetData></worksheet>' % NS_MAIN)
    return replace_parts(base_xlsx(), sheet=sheet)


def billion_laughs():
    ents = ['<!ENTITY lol "lol">'] + ['<!ENTITY lol%d "%s">' % (i, ("&lol%s;" % ("" if i == 1 else i - 1)) * 10)
                                       for i in range(1, 10)]
    sst = ('<?xml version="1.0"?><!DOCTYPE sst [%s]><sst xmlns="%s"><si><t>姓名</t></si>'
           '<si><t>身份证号</t></si><si><t>&lol9;</t></si></sst>' % ("".join(ents), NS_MAIN))
    return replace_parts(base_xlsx(), sst=sst)


def truncated_zip():
    rows = [["姓名", "身份证号"]] + [["孩子%d" % i, make_id("20150304", i % 1000)] for i in range(2000)]
    data = xlsx_bytes([("花名册", rows)])
    return data[: len(data) * 2 // 3]


def rows_backwards():
    sheet = ('<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
             '<c r="B1" t="s"><v>1</v></c></row><row r="5"><c r="A5" t="inlineStr"><is><t>张三</t></is>'
             '</c></row><row r="3"><c r="A3" t="inlineStr"><is><t>李四</t></is></c></row>'
             '</sheetData></worksheet>' % NS_MAIN)
    return replace_parts(base_xlsx(), sheet=sheet)


def bad_bytes_in_shared_strings():
    sst = ('<sst xmlns="%s"><si><t>姓名</t></si><si><t>身份证号</t></si><si><t>张' % NS_MAIN).encode() \
        + b"\xff\xfe" + "三</t></si></sst>".encode()
    sheet = ('<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
             '<c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c></row>'
             '</sheetData></worksheet>' % NS_MAIN)
    return replace_parts(base_xlsx(), sheet=sheet, sst=sst)


def huge_cell_csv():
    return csv_text([["姓名", "身份证号"], ["张" * 70000, ID]]).encode()


def csv_lines(n=8):
    return [["姓名", "身份证号", "性别"]] + [["孩子%d" % i, make_id("20150304", i), "男" if i % 2 else "女"]
                                       for i in range(1, n)]


def invalid_utf8_csv():
    lines = csv_text(csv_lines()).encode().split(b"\r\n")
    lines[4] = lines[4][:3] + b"\xc0\xaf" + lines[4][3:]  # an overlong '/' on the fifth line
    return b"\r\n".join(lines)


def invalid_gb18030_csv():
    lines = csv_text(csv_lines()).encode("gb18030").split(b"\r\n")
    lines[3] = lines[3] + b"\x81\x20"  # a lead byte followed by a space: no GB18030 sequence
    return b"\r\n".join(lines)


def utf16_lone_surrogate():
    text = csv_text(csv_lines()).encode("utf-16-le").split("\r\n".encode("utf-16-le"))
    text[2] = text[2] + b"\x00\xd8"  # a high surrogate and nothing after it
    return codecs.BOM_UTF16_LE + "\r\n".encode("utf-16-le").join(text)


def one_column_million_rows_csv():
    return "姓名\r\n".encode() + "张三\r\n".encode() * 1000000


def one_column_million_rows_xlsx():
    sst = '<sst xmlns="%s"><si><t>姓名</t></si><si><t>张三</t></si></sst>' % NS_MAIN
    rows = ['<row r="1"><c r="A1" t="s"><v>0</v></c></row>']
    rows += ['<row r="%d"><c r="A%d" t="s"><v>1</v></c></row>' % (i, i) for i in range(2, 1000001)]
    sheet = '<worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (NS_MAIN, "".join(rows))
    return replace_parts(base_xlsx(), sheet=sheet, sst=sst)


def names_of_100kb_csv():
    return csv_text([["姓名", "身份证号"]] + [["名" * 34000, make_id("20150304", i)] for i in range(1, 30)]).encode()


def population_as_enrollment_csv():
    return csv_text([["姓名", "身份证号", "性别", "户籍地址", "户籍状态"], ["张三", ID, "男", "郑庄镇", "正常"]]).encode()


CATALOGUE = {
    # the file: a 180 KB shared string in 5,000 cells (more than a cell may hold)
    "shared_string_180k": ("共享字符串炸弹.xlsx", "population", lambda: shared_string_bomb(180000, 5000),
                           ["单元格超过 128 KiB 的上限"]),
    # within the cell limit, 5,000 times: the expansion budget
    "shared_string_100k": ("共享字符串.xlsx", "population", lambda: shared_string_bomb(100000, 5000),
                           ["展开后却超过", "同一段长文字被大量单元格引用", "另存为 CSV"]),
    # a 50-character name in 200,000 cells: each a name, together 30 times the file
    "shared_string_short": ("重复姓名.xlsx", "population", lambda: shared_string_bomb(150, 200000),
                            ["展开后却超过", "文件大小的 20 倍"]),
    "zip_bomb": ("压缩炸弹.xlsx", "population", zip_bomb, ["解压后却超过", "压缩炸弹"]),
    "deep_nesting": ("深层嵌套.xlsx", "population", deep_nesting, ["嵌套超过 64 层"]),
    "xxe": ("外部实体.xlsx", "population", xxe, ["含有 DTD", "恶意构造"]),
    "billion_laughs": ("实体膨胀.xlsx", "population", billion_laughs, ["共享字符串表", "含有 DTD"]),
    "truncated_zip": ("半截.xlsx", "population", truncated_zip, ["损坏或不完整"]),
    "rows_backwards": ("行号颠倒.xlsx", "population", rows_backwards, ["第 3 行", "行号重复或顺序颠倒"]),
    "bad_bytes_in_shared_strings": ("坏字节.xlsx", "population", bad_bytes_in_shared_strings,
                                    ["共享字符串表（sharedStrings.xml）的第 3 个字符串", "不是 UTF-8 的字节"]),
    "huge_cell": ("大单元格.csv", "population", huge_cell_csv, ["第 2 行第 1 列", "单元格超过 128 KiB"]),
    "invalid_utf8": ("坏编码.csv", "population", invalid_utf8_csv, ["第 5 行", "不能按 UTF-8 解码"]),
    "invalid_gb18030": ("坏国标码.csv", "population", invalid_gb18030_csv, ["第 4 行", "不能按 GB18030 解码"]),
    "utf16_lone_surrogate": ("半个字符.csv", "population", utf16_lone_surrogate, ["第 3 行", "UTF-16LE"]),
    "one_column_million_rows_csv": ("一列百万行.csv", "population", one_column_million_rows_csv,
                                    ["没有找到户籍名单的表头"]),
    "one_column_million_rows_xlsx": ("一列百万行.xlsx", "population", one_column_million_rows_xlsx,
                                     ["没有找到户籍名单的表头"]),
    # every name 100 KB: each row refused with the reason, so nothing to import
    "names_of_100kb": ("超长姓名.csv", "population", names_of_100kb_csv, ["没有可导入的数据行"]),
    "population_as_enrollment": ("户籍当学籍.csv", "enrollment", population_as_enrollment_csv,
                                 ["缺少学籍名单必需的列：学校名称（或学校标识码）、学籍状态", "这不像学籍名单"]),
}


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: hostile.py DIR")
    os.makedirs(argv[1], exist_ok=True)
    for name, (file_name, kind, make, _) in CATALOGUE.items():
        path = os.path.join(argv[1], file_name)
        with open(path, "wb") as f:
            f.write(make())
        print("%s\t%s\t%d bytes\t--kind %s" % (name, path, os.path.getsize(path), kind))


if __name__ == "__main__":
    main(sys.argv)
