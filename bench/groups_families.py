#!/usr/bin/env python3
"""Priority-group matching against list trouble our demo generator does not write, family by family.

bench/groups_quality.py measures group tags on the lists `baoxue demo` writes, and the matching
rules were tuned on that same generator. This script takes the demo's files of each seed and
writes mutated copies of them, one county per family, with the trouble real lists have:

  twins        a twin added to the register (same household, guardian, birth date; a name one
               character apart, or a homophone of it), the child's list row without its ID
               (sub-rows: 异音字 / 同音字 / 名单写小名);
  siblings     a sibling added (same household and guardian, another birth date; a different
               name, a homophone, or the row writes the child's 小名), the row without its ID;
  names        the row writes the child's name otherwise than 户籍: 小名, a homophone, traditional
               characters, spaces between characters, another dot in a minority name (户籍
               "阿依古丽·买买提"); each with and without the child's ID;
  twice_same   the poverty and 低保 lists imported again: the same file (refused as a duplicate),
               the same file forced (--force), then the same rows in another order (a re-export);
  twice_changed the poverty list sent again with a few rows removed and changed (the child's ID
               filled in or cleared, the category changed);
  half_filled  birth date, township or head's/guardian's ID empty for many rows;
  excel_ids    IDs as Excel mangles them: scientific notation, trailing lowercase x, a leading
               apostrophe; the head's ID as a 15-digit old ID (the child's own ID missing);
  not_in_register rows for children the register does not have, each a look-alike of a register
               child (same name, township and birth with a valid ID of its own; birth a day off;
               another township; or nothing to tell them apart at all);
  no_guardian_ids the 户籍 file without 监护人身份证号 (every row): how the household match degrades.

Each family is imported into a fresh database (population, enrollment, outside, the group lists)
and cross-checked; the script then reads group_member of the run (SQLite) row by row: a family
row whose truth is a school-age register child is a tag expected, found when it is linked to
that child; a family row linked to anyone is a tag given, right when it is that child. Rows for
children in no register are expected to link nobody. Rows left uncertain (the review queue) and
unmatched (the unmatched list) are counted apart. "baseline" is the demo's files unchanged.

Usage: bench/groups_families.py [--bin build/baoxue] [--children 20000] [--seeds 1,2,3]
       [--families twins,siblings,...] [--keep DIR] [--wrong FILE]
Exits 1 when a family row's tag goes to the wrong child where the rows carry the information
to tell them apart (the sub-rows marked "信息不足" are reported but not held to it).
"""
import argparse
import csv
import datetime
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import groups_quality as gq  # noqa: E402

FAMILIES = ["baseline", "twins", "siblings", "names", "twice_same", "twice_changed",
            "half_filled", "excel_ids", "not_in_register", "no_guardian_ids"]
LABELS = {
    "baseline": "演示数据原样（对照）",
    "twins": "双胞胎（同户同日，名字差一字，名单无本人号码）",
    "siblings": "兄弟姐妹（同户不同日，名单上一人，无本人号码）",
    "names": "小名和其他写法",
    "twice_same": "同一名单再次导入（同一文件、强制再导、换行序重导）",
    "twice_changed": "名单第二次报送（少数行有改动）",
    "half_filled": "半填的表（出生日期、乡镇、户主/监护人身份证号空）",
    "excel_ids": "Excel 弄坏的身份证号",
    "not_in_register": "户籍中没有的儿童（有相似的户籍儿童）",
    "no_guardian_ids": "户籍没有监护人身份证号",
}

# the group files: stem, import kind, truth list, columns (name, own ID, birth, township,
# village, head's/guardian's ID, head's/guardian's name)
FILES = [
    ("防返贫监测对象家庭成员信息", "poverty", "poverty",
     dict(name="姓名", id="证件号码", birth="出生日期", town="乡镇", village="行政村",
          head_id="户主证件号码", head_name="户主姓名")),
    ("低保特困保障对象名册", "welfare", "welfare",
     dict(name="成员姓名", id="成员身份证号", birth=None, town="乡镇", village="村",
          head_id="户主身份证号", head_name="户主姓名")),
    ("孤儿和事实无人抚养儿童名册", "welfare", "orphan",
     dict(name="姓名", id="身份证号", birth=None, town="乡镇", village="村",
          head_id="监护人身份证号", head_name="监护人姓名")),
    ("残疾人基本信息", "disability", "disability", None),
    ("农村留守儿童信息登记表", "left_behind", "left_behind",
     dict(name="姓名", id="身份证号", birth="出生日期", town=None, village=None,
          head_id="受委托监护人身份证号", head_name="受委托监护人姓名")),
    ("学生资助资金发放明细", "aid", "aid", None),
]
MUTABLE = ["poverty", "welfare", "left_behind"]  # the lists the families change
POP = "户籍适龄儿童花名册"
POP_COLS = dict(name="姓名", id="公民身份号码", birth="出生日期", town="乡镇（街道）",
                village="村（社区）", guardian="监护人", guardian_id="监护人身份证号")

HOMOPHONE_PAIRS = ["明铭", "雨语", "文雯", "杰洁", "婷庭", "静靖", "华桦", "丽莉", "军君",
                   "伟玮", "涛韬", "浩昊", "睿瑞", "轩萱", "欣馨", "佳嘉", "怡宜", "涵晗",
                   "磊蕾", "晨辰", "宁凝", "鹏朋", "思丝", "俊骏", "子梓", "诗师", "梦孟",
                   "志智", "凯楷", "龙隆", "飞菲", "彬斌", "然冉", "琪琦", "璐露", "媛园",
                   "瑶遥", "妍言", "欢环", "鑫欣", "强蔷", "雪学", "宇语", "博波", "一依"]
HOMOPHONE = {}
for p in HOMOPHONE_PAIRS:
    HOMOPHONE.setdefault(p[0], p[1])
    HOMOPHONE.setdefault(p[1], p[0])
OTHER_SOUND = "亮芳敏平安乐红东洋松柏菊兵勇玲燕霞梅"
TRAD = dict(zip("伟华国丽军红东乐兰凤龙刚杰涛宁晓颖鹏飞玮静欢贝宝云韩刘张陈杨赵黄吴郑孙马冯许邓叶罗钟梦诗凯轩锦语铭丰龚萧齐贾汉亚芸嘉庆达荣业义",
                "偉華國麗軍紅東樂蘭鳳龍剛傑濤寧曉穎鵬飛瑋靜歡貝寶雲韓劉張陳楊趙黃吳鄭孫馬馮許鄧葉羅鍾夢詩凱軒錦語銘豐龔蕭齊賈漢亞蕓嘉慶達榮業義"))
MINORITY = [("阿依古丽", "买买提"), ("古丽娜", "艾力"), ("迪丽娜尔", "吐尔逊"), ("艾尔肯", "阿不都"),
            ("热依汗", "库尔班"), ("帕提古丽", "阿布拉"), ("努尔兰", "麦麦提"), ("阿力木", "依明")]
DOTS = ["\u2022", "\u30fb", "\uff0e", ".", ""]  # 户籍 writes U+00B7


def check_digit(id17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * x for c, x in zip(id17, w)) % 11]


def make_id(region, birth, used, rng, parity=None):
    for _ in range(1000):
        seq = rng.randrange(1, 999)
        if parity is not None and seq % 2 != parity:
            seq += 1
        id17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        idn = id17 + check_digit(id17)
        if idn not in used:
            used.add(idn)
            return idn
    raise SystemExit("no free ID")


def read_table(path):
    """(rows before the header, header, data rows) of a demo file (xlsx or csv)."""
    if path.endswith(".xlsx"):
        tmp = path + ".tmp.csv"
        subprocess.run([sys.executable, os.path.join(HERE, "xlsx2csv.py"), path, tmp],
                       check=True, capture_output=True)
        with open(tmp, encoding="utf-8") as f:
            rows = list(csv.reader(f))
        os.unlink(tmp)
    else:
        raw = open(path, "rb").read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        rows = list(csv.reader(text.splitlines()))
    for i, r in enumerate(rows):
        if "姓名" in r or "成员姓名" in r:
            width = len(r)
            return r, [x + [""] * (width - len(x)) for x in rows[i + 1:] if any(x)]
    raise SystemExit(f"{path}: no header row")


def write_table(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


class Table:
    """A file's header and rows, each row with its truth: the register child's key (None: in
    no register) and the family sub-row it belongs to (None: not a family row)."""

    def __init__(self, header, rows, keys):
        self.header = header
        self.rows = [list(r) for r in rows]
        self.key = list(keys)
        self.sub = [None] * len(rows)

    def col(self, name):
        return self.header.index(name) if name and name in self.header else None

    def copy(self):
        t = Table(self.header, self.rows, self.key)
        t.sub = list(self.sub)
        for a in ("case", "offer", "lst"):
            if hasattr(self, a):
                setattr(t, a, list(getattr(self, a)) if a != "lst" else self.lst)
        return t


class County:
    """One seed's demo files, read once."""

    def __init__(self, out, as_of):
        self.out = out
        self.children, self.by_id, _, self.band = gq.load_truth(out, as_of)
        truth = {}
        with open(os.path.join(out, "truth_groups.csv"), encoding="utf-8") as f:
            for r in csv.DictReader(f):
                truth[(r["list"], int(r["row"]))] = r
        self.truth = truth
        self.tables = {}
        for stem, kind, lst, cols in FILES:
            header, rows = read_table(gq.pick(out, stem))
            keys = []
            for i in range(len(rows)):
                t = truth.get((lst, i + 1))
                keys.append(int(t["key"]) if t and t["key"] else None)
            tb = Table(header, rows, keys)
            tb.case = [(truth.get((lst, i + 1)) or {}).get("case", "") for i in range(len(rows))]
            tb.offer = [(truth.get((lst, i + 1)) or {}).get("offer", "") for i in range(len(rows))]
            self.tables[lst] = tb
        header, rows = read_table(gq.pick(out, POP))
        self.pop = Table(header, rows, [None] * len(rows))
        c = self.pop.col(POP_COLS["id"])
        self.pop_row = {r[c]: i for i, r in enumerate(self.pop.rows)}
        self.used_ids = set(self.pop_row)
        self.enrollment = gq.pick(out, "学籍数据")
        self.outside = gq.pick(out, "外出就读学生名单")


def child_rows(county, lists, rng, case_free=True, need_id=False):
    """(list, row index) of rows for school-age register children, shuffled."""
    out = []
    for lst in lists:
        t = county.tables[lst]
        idc = t.col(FILES_BY_LIST[lst][3]["id"])
        for i, k in enumerate(t.key):
            if k is None or k not in county.band or t.sub[i] is not None:
                continue
            if case_free and t.case[i]:
                continue
            if need_id and not t.rows[i][idc]:
                continue
            if county.children[k]["true_id"] not in county.pop_row:
                continue
            out.append((lst, i))
    rng.shuffle(out)
    return out


FILES_BY_LIST = {f[2]: f for f in FILES}


def other_char(c, rng):
    pool = [x for x in OTHER_SOUND if x != c and HOMOPHONE.get(c) != x]
    return rng.choice(pool)


def nickname(name):
    return name[0] + "小" + name[-1] if len(name) >= 2 else name


def add_register_child(county, pop, key, name, birth, rng):
    """A child added to the register beside `key`'s row: same household, guardian, address."""
    src = pop.rows[county.pop_row[county.children[key]["true_id"]]]
    c = {k: pop.col(v) for k, v in POP_COLS.items()}
    row = list(src)
    region = src[c["id"]][:6]
    row[c["name"]] = name
    row[c["birth"]] = birth.isoformat()
    row[c["id"]] = make_id(region, birth, county.used_ids, rng)
    seqc = pop.col("序号")
    if seqc is not None:
        row[seqc] = str(len(pop.rows) + 1)
    pop.rows.append(row)
    pop.key.append(None)
    pop.sub.append(None)
    return row[c["id"]]


def birth_of(county, key):
    return datetime.date.fromisoformat(county.children[key]["birth_date"])


def set_cell(t, i, field, value):
    cols = FILES_BY_LIST[t.lst][3]
    c = t.col(cols.get(field))
    if c is not None:
        t.rows[i][c] = value
    return c is not None


def get_cell(t, i, field):
    c = t.col(FILES_BY_LIST[t.lst][3].get(field))
    return t.rows[i][c] if c is not None else ""


def family_files(county, family, seed):
    """The population table and the group tables (list -> [Table, ...], imported in order) of
    one family's county."""
    rng = random.Random(seed * 7919 + FAMILIES.index(family))
    pop = county.pop.copy()
    tabs = {lst: county.tables[lst].copy() for lst in county.tables}
    for lst, t in tabs.items():
        t.lst = lst
    sends = {lst: [tabs[lst]] for lst in tabs}

    def pick(n, lists=MUTABLE, **kw):
        return child_rows(county, lists, rng, **kw)[:n]

    if family == "baseline":
        for lst, t in tabs.items():
            if lst not in gq.LISTS:
                continue
            for i, k in enumerate(t.key):
                if k is not None and t.offer[i] in gq.OFFER_RANK:
                    t.sub[i] = t.offer[i]
    elif family in ("twins", "siblings"):
        rows = pick(10 ** 9)
        third = len(rows) // 10  # a tenth of the list's children, in three sub-rows
        seen = set()
        for n, (lst, i) in enumerate(rows[:3 * third]):
            t = tabs[lst]
            k = t.key[i]
            name = county.children[k]["name"]
            if len(name) < 2 or k in seen:
                continue
            seen.add(k)
            kind = n % 3
            last = name[-1]
            if family == "twins":
                birth = birth_of(county, k)
                if kind == 1 and last in HOMOPHONE:
                    other, sub = name[:-1] + HOMOPHONE[last], "双胞胎名字同音"
                elif kind == 2:
                    other, sub = name[:-1] + other_char(last, rng), "信息不足：双胞胎且名单写小名"
                else:
                    other, sub = name[:-1] + other_char(last, rng), "双胞胎名字差一字"
            else:
                b = birth_of(county, k)
                years = rng.choice([-3, -2, 2, 3])
                birth = b.replace(year=b.year + years, day=min(b.day, 28))
                if kind == 1 and last in HOMOPHONE:
                    other, sub = name[:-1] + HOMOPHONE[last], "兄弟姐妹名字同音"
                elif kind == 2:
                    other, sub = name[0] + rng.choice(OTHER_SOUND) + rng.choice(OTHER_SOUND), \
                        "兄弟姐妹，名单写小名"
                else:
                    other, sub = name[:-1] + other_char(last, rng), "兄弟姐妹名字差一字"
            add_register_child(county, pop, k, other, birth, rng)
            set_cell(t, i, "id", "")
            set_cell(t, i, "name", nickname(name) if kind == 2 else name)
            if not get_cell(t, i, "birth") and t.col(FILES_BY_LIST[lst][3].get("birth")) is None:
                sub += "（名单无出生日期）"
            t.sub[i] = sub
    elif family == "names":
        rows = pick(10 ** 9)
        variants = ["小名", "同音字", "繁体字", "字间空格", "少数民族姓名间隔点"]
        per = max(1, len(rows) // 12)
        pos = 0
        seen = set()
        for vi, v in enumerate(variants):
            done = 0
            while done < per and pos < len(rows):
                lst, i = rows[pos]
                pos += 1
                t = tabs[lst]
                k = t.key[i]
                if k in seen:
                    continue
                seen.add(k)
                name = county.children[k]["name"]
                if v == "小名":
                    new = nickname(name)
                elif v == "同音字":
                    js = [j for j in range(1, len(name)) if name[j] in HOMOPHONE]
                    if not js:
                        continue
                    j = js[0]
                    new = name[:j] + HOMOPHONE[name[j]] + name[j + 1:]
                elif v == "繁体字":
                    new = "".join(TRAD.get(ch, ch) for ch in name)
                    if new == name:
                        continue
                elif v == "字间空格":
                    new = name[0] + "\u3000" + name[1] if len(name) == 2 else " ".join(name)
                else:
                    a, b = rng.choice(MINORITY)
                    pr = pop.rows[county.pop_row[county.children[k]["true_id"]]]
                    pr[pop.col(POP_COLS["name"])] = a + "\u00b7" + b
                    new = a + rng.choice(DOTS) + b
                set_cell(t, i, "name", new)
                noid = done % 2 == 1
                if noid:
                    set_cell(t, i, "id", "")
                t.sub[i] = v + ("，无本人号码" if noid else "，有本人号码")
                done += 1
    elif family == "twice_same":
        for lst in ("poverty", "welfare"):
            t = tabs[lst]
            for i, k in enumerate(t.key):
                if k is not None:
                    t.sub[i] = "再次导入（同一文件，或同样的行换了顺序）"
            again = t.copy()
            order = list(range(len(t.rows)))
            rng.shuffle(order)
            again.rows = [t.rows[i] for i in order]
            again.key = [t.key[i] for i in order]
            again.sub = [t.sub[i] for i in order]
            forced = t.copy()
            forced.force = True
            # the same bytes (refused), the same bytes forced (再次导入), the same rows re-exported
            sends[lst] = [t, t, forced, again]
    elif family == "twice_changed":
        first = tabs["poverty"]
        second = first.copy()
        second.lst = "poverty"
        cand = [i for i, k in enumerate(second.key) if k is not None and k in county.band]
        rng.shuffle(cand)
        n = max(3, len(cand) // 30)
        removed = set(cand[:n])
        for i in cand[n:2 * n]:  # the child's ID filled in where it was missing, or cleared
            if get_cell(second, i, "id"):
                set_cell(second, i, "id", "")
                second.sub[i] = "第二次报送：删去本人号码"
            else:
                set_cell(second, i, "id", county.children[second.key[i]]["true_id"])
                second.sub[i] = "第二次报送：补上本人号码"
        for i in cand[2 * n:3 * n]:
            second.sub[i] = "第二次报送：脱贫属性改变"
            c = second.col("脱贫属性")
            second.rows[i][c] = "边缘易致贫户" if second.rows[i][c] != "边缘易致贫户" else "脱贫户"
        for i, k in enumerate(second.key):
            if k is not None and second.sub[i] is None and i not in removed:
                second.sub[i] = "第二次报送：未改动"
        keep = [i for i in range(len(second.rows)) if i not in removed]
        second.rows = [second.rows[i] for i in keep]
        second.key = [second.key[i] for i in keep]
        second.sub = [second.sub[i] for i in keep]
        # the removed children must lose the tag: rows in no table now, checked apart
        second.removed = {first.key[i] for i in removed}
        sends["poverty"] = [first, second]
    elif family == "half_filled":
        for lst, i in pick(10 ** 9, case_free=False):
            t = tabs[lst]
            blanks = []
            for field, label in (("birth", "出生日期空"), ("town", "乡镇空"),
                                 ("head_id", "户主或监护人身份证号空")):
                if rng.random() < 0.4 and get_cell(t, i, field):
                    set_cell(t, i, field, "")
                    blanks.append(label)
            if blanks:
                t.sub[i] = "、".join(blanks) + ("" if get_cell(t, i, "id") else "，无本人号码")
    elif family == "excel_ids":
        rows = pick(10 ** 9, need_id=True)
        per = max(1, len(rows) // 10)
        for n, (lst, i) in enumerate(rows[:4 * per]):
            t = tabs[lst]
            idn = get_cell(t, i, "id")
            v = n // per
            if v == 0:
                if idn.endswith("X"):
                    continue
                set_cell(t, i, "id", "%.5E" % int(idn))  # "1.40521E+17"
                t.sub[i] = "科学计数法（号码只剩前六位）"
            elif v == 1:
                if not idn.endswith("X"):
                    continue
                set_cell(t, i, "id", idn[:-1] + "x")
                t.sub[i] = "末位小写 x"
            elif v == 2:
                set_cell(t, i, "id", "'" + idn)
                t.sub[i] = "前面有撇号"
            else:
                hid = get_cell(t, i, "head_id")
                if len(hid) != 18 or not hid[6:8] == "19":
                    continue
                set_cell(t, i, "head_id", hid[:6] + hid[8:17])
                set_cell(t, i, "id", "")
                t.sub[i] = "户主/监护人为 15 位旧号，无本人号码"
        # the ID a 15-digit head's ID is read for must reach every row of its household
        for lst in MUTABLE:
            t = tabs[lst]
            c = t.col(FILES_BY_LIST[lst][3]["head_id"])
            conv = {r[c] for i, r in enumerate(t.rows)
                    if t.sub[i] and t.sub[i].startswith("户主/监护人为 15 位")}
            for r in t.rows:
                if len(r[c]) == 18 and r[c][:6] + r[c][8:17] in conv:
                    r[c] = r[c][:6] + r[c][8:17]
    elif family == "not_in_register":
        for lst in ("poverty", "left_behind"):
            t = tabs[lst]
            srcs = [i for lst2, i in child_rows(county, [lst], rng)]
            per = max(2, len(srcs) // 20)
            for n, i in enumerate(srcs[:4 * per]):
                k = t.key[i]
                ch = county.children[k]
                birth = birth_of(county, k)
                row = list(t.rows[i])
                v = n // per
                region = ch["true_id"][:6]
                newid = ""
                if v == 0:
                    newid = make_id(region, birth, county.used_ids, rng)
                    sub = "同名同日同乡镇，本人号码不同（有效）"
                elif v == 1:
                    birth = birth + datetime.timedelta(days=rng.choice([-1, 1]))
                    sub = "同名同乡镇，出生差一天，无号码"
                elif v == 2:
                    sub = "同名同日，另一乡镇，无号码"
                else:
                    sub = "信息不足：同名同日同乡镇无号码"
                if lst == "left_behind" and v == 2:
                    continue  # the register of 留守 names no township
                b = get_cell(t, i, "birth")
                cols = FILES_BY_LIST[lst][3]
                r2 = Table(t.header, [row], [None])
                r2.lst = lst
                row = r2.rows[0]
                set_cell(r2, 0, "id", newid)
                if b:
                    set_cell(r2, 0, "birth", birth.isoformat())
                hid = make_id(region, datetime.date(1980 + rng.randrange(15), 1 + rng.randrange(12),
                                                     1 + rng.randrange(28)), county.used_ids, rng)
                set_cell(r2, 0, "head_id", hid)
                set_cell(r2, 0, "head_name", "".join(rng.choice(OTHER_SOUND) for _ in range(3)))
                if v == 2:
                    towns = sorted({r[t.col(cols["town"])] for r in t.rows} - {row[t.col(cols["town"])]})
                    set_cell(r2, 0, "town", rng.choice(towns))
                    vc = t.col(cols.get("village"))
                    if vc is not None:
                        row[vc] = "外乡村"
                hc = t.col("户编号")
                if hc is not None:
                    row[hc] = "9" + row[hc][1:]
                rc = t.col("与户主关系")
                if rc is not None:
                    row[rc] = "之子"
                t.rows.append(row)
                t.key.append(None)
                t.sub.append(sub)
    elif family == "no_guardian_ids":
        c = pop.col(POP_COLS["guardian_id"])
        for r in pop.rows:
            r[c] = ""
        for lst, t in tabs.items():
            for i, k in enumerate(t.key):
                if lst in gq.LISTS and k is not None and t.offer[i] in gq.OFFER_RANK:
                    t.sub[i] = "户籍无监护人号码：" + gq.OFFER_LABELS[t.offer[i]]
    return pop, sends


def run(cmd, env):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    return r.stdout


refusals = []


def run_family(args, env, county, family, seed, work, tally, wrong):
    pop, sends = family_files(county, family, seed)
    d = os.path.join(work, family)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    db = os.path.join(d, "f.db")
    run([args.bin, "init", "--db", db], env)
    pop_path = os.path.join(d, POP + ".csv")
    write_table(pop_path, pop.header, pop.rows)
    for kind, path in (("population", pop_path), ("enrollment", county.enrollment),
                       ("outside", county.outside)):
        run([args.bin, "import", "--db", db, "--kind", kind, path], env)
    imported = []  # (batch order, list, Table, final?)
    for stem, kind, lst, _ in FILES:
        for n, t in enumerate(sends[lst]):
            path = os.path.join(d, f"{stem}-{n + 1}.csv")
            force = ["--force"] if getattr(t, "force", False) else []
            if force:
                path = os.path.join(d, f"{stem}-1.csv")  # the very file sent first
            else:
                write_table(path, t.header, t.rows)
            r = subprocess.run([args.bin, "import", "--db", db, "--kind", kind] + force + [path],
                               capture_output=True, text=True, env=env)
            if r.returncode != 0:
                # a refused import is no batch; its rows are not the list's
                why = "内容完全相同" if "内容完全相同" in r.stderr else r.stderr.strip()[-80:]
                refusals.append(f"{family}, seed {seed}: {stem}, sending {n + 1} refused ({why})")
                continue
            imported.append([lst, t, False])
        sent = [e for e in imported if e[0] == lst]
        if sent:
            sent[-1][2] = True  # the list is its latest sending the import took
    run([args.bin, "match", "--db", db, "--as-of", args.as_of], env)
    measure(db, county, family, seed, imported, tally, wrong)
    if not args.keep:
        shutil.rmtree(d, ignore_errors=True)


def measure(db, county, family, seed, imported, tally, wrong):
    con = sqlite3.connect(db)
    run_id, pop_b = con.execute("SELECT id, population_batch FROM match_run"
                                " ORDER BY id DESC LIMIT 1").fetchone()
    batches = [b for (b,) in con.execute(
        "SELECT id FROM batch WHERE kind NOT IN ('population', 'enrollment', 'outside')"
        " ORDER BY id")]
    if len(batches) != len(imported):
        sys.exit(f"{family}: {len(batches)} group batches for {len(imported)} imports")
    header = dict(con.execute("SELECT id, header_row FROM batch"))
    reg = dict(con.execute("SELECT id, id_number FROM record WHERE batch_id = ?", (pop_b,)))
    res = {}
    for rec, grp_rec, unc, b, row_no, by, detail in con.execute(
            "SELECT gm.record_id, gm.group_record, gm.uncertain, r.batch_id, r.row_no,"
            " gm.matched_by, gm.detail"
            " FROM group_member gm JOIN record r ON r.id = gm.group_record"
            " WHERE gm.run_id = ?", (run_id,)):
        res[(b, row_no - header[b] - 1)] = (reg.get(rec) if rec else None, unc,
                                             path_of(by, detail))
    con.close()
    # every child a row of each list links to in the run, whichever sending the row is of
    tagged = {}
    for (lst, t, final), b in zip(imported, batches):
        for i in range(len(t.rows)):
            got = res.get((b, i))
            if got and got[0]:
                tagged.setdefault(lst, set()).add(county.by_id.get(got[0], got[0]))
    # the latest sending of each list is the list; rows of earlier ones linked are doubled tags
    for (lst, t, final), b in zip(imported, batches):
        for i in range(len(t.rows)):
            sub = t.sub[i]
            got = res.get((b, i))
            if not final:
                if got and got[0]:
                    s = tally.setdefault((family, sub or "（未改动的行）"), Counter())
                    s["given"] += 1
                    s["doubled"] += 1
                continue
            if sub is None:
                continue
            k = t.key[i]
            s = tally.setdefault((family, sub), Counter())
            s["rows"] += 1
            linked = got[0] if got else None
            lk = county.by_id.get(linked, linked) if linked else None
            if k is not None and k in county.band:
                s["expected"] += 1
                s["found"] += lk == k
            if linked:
                paths = tally.setdefault((family, None), Counter())
                paths[got[2]] += 1
                if k is not None and k not in county.band and lk == k:
                    continue  # right, outside the band: not counted (groups_quality.py)
                s["given"] += 1
                s["right"] += lk == k and k is not None
                if lk != k:
                    wrong.append((family, seed, lst, i + 1, sub, k, linked))
            elif got and got[1]:
                s["review"] += 1
            elif got:
                s["unmatched"] += 1
            else:
                s["not_stored"] += 1
        removed = getattr(t, "removed", None)
        if final and removed:
            # a child dropped from the list keeps no tag of it (unless another row names it)
            s = tally.setdefault((family, "第二次报送：删去的行（儿童不应再有此标签）"), Counter())
            still = set(k for k in t.key if k is not None)
            for k in removed:
                if k in county.band and k not in still:
                    s["rows"] += 1
                    if k in tagged.get(lst, ()):
                        s["given"] += 1
                        wrong.append((family, seed, lst, "", "removed row", k, "still tagged"))


# how a linked row was found: matched_by, the household split by what it compared (the run's
# sentence, domain/groups.c path_what)
def path_of(by, detail):
    if by != "household" or not detail:
        return by or ""
    if "户籍监护人姓名是" in detail:
        return "household（监护人姓名）"
    if "身份证号与户籍记录的户主或监护人相同" in detail:
        return "household（户主/监护人身份证号）"
    return "household（其他：小名、双胞胎号码等）"


class Counter(dict):
    def __missing__(self, key):
        return 0


def pct(a, b):
    return f"{a / b:.2%}" if b else "—"


def report(args, tally):
    print(f"\nSummed over seeds {args.seeds}, {args.children} children each (as of {args.as_of}):")
    print("| family / what the rows have | rows | tags expected | found | recall | tags given |"
          " right | precision | to review | unmatched | not stored |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    bad = False
    for fam in args.families:
        subs = sorted(k[1] for k in tally if k[0] == fam and k[1] is not None)
        tot = Counter()
        for sub in subs:
            for f, v in tally[(fam, sub)].items():
                tot[f] += v
        line = lambda name, s: (
            f"| {name} | {s['rows']} | {s['expected']} | {s['found']} |"
            f" {pct(s['found'], s['expected'])} | {s['given']} | {s['right']} |"
            f" {pct(s['right'], s['given'])} | {s['review']} | {s['unmatched']} |"
            f" {s['not_stored']} |")
        print(line(f"**{LABELS[fam]}**", tot))
        for sub in subs:
            s = tally[(fam, sub)]
            print(line(f"↳ {sub}", s))
            if not sub.startswith("信息不足") and s["given"] > s["right"]:
                bad = True
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(HERE, "../build/baoxue"))
    ap.add_argument("--gen-bin", help="the baoxue that writes the demo files (default --bin)")
    ap.add_argument("--children", type=int, default=20000)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--keep")
    ap.add_argument("--wrong", help="write the family rows linked to another child to this CSV")
    args = ap.parse_args()
    args.families = args.families.split(",")
    for f in args.families:
        if f not in FAMILIES:
            sys.exit(f"unknown family {f}; families: {', '.join(FAMILIES)}")
    args.as_of = os.environ.get("BAOXUE_TODAY", "2026-11-20")
    as_of = datetime.date.fromisoformat(args.as_of)
    env = dict(os.environ, BAOXUE_TODAY=args.as_of)
    tally, wrong = {}, []
    for seed in [int(s) for s in args.seeds.split(",")]:
        work = args.keep or tempfile.mkdtemp(prefix="baoxue-gfam-")
        try:
            out = os.path.join(work, f"demo-{seed}")
            shutil.rmtree(out, ignore_errors=True)
            run([args.gen_bin or args.bin, "demo", "--files-only", "--out", out, "--children",
                 str(args.children), "--seed", str(seed), "--as-of", args.as_of], env)
            county = County(out, as_of)
            for fam in args.families:
                run_family(args, env, county, fam, seed, os.path.join(work, f"s{seed}"),
                           tally, wrong)
                print(f"seed {seed} {fam}: done", flush=True)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    if args.wrong:
        with open(args.wrong, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["family", "seed", "list", "row", "what", "true_key", "linked_id"])
            w.writerows(wrong)
    bad = report(args, tally)
    print("\nFamily rows linked, by path:")
    for fam in args.families:
        p = tally.get((fam, None), {})
        print(f"  {LABELS[fam]}: " + ", ".join(f"{k} {v}" for k, v in sorted(p.items())))
    for line in refusals:
        print(f"  refused import: {line}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
