#!/usr/bin/env python3
"""The children list's search (issue 14): how much a search by spelling (pinyin, initials), by the
guardian's name or by the last 4 ID characters costs against the search by the exact name.

    bench/search.py [--children 20000] [--rounds 40] [--bin build/baoxue]

Writes the demo county (`baoxue demo --children N`) into a temporary directory, renames one
suspected child to 王宁佳 (guardian 王德厚) so that every query has one known answer, starts
`baoxue serve` on it, signs in as a township account of the child's township and as a county
account, and times GET /api/v1/children?q=… (one page of 50) `rounds` times per query, after two
warm-up calls, for the list of every child (status=all: the walk over the run's statuses) and the
suspected list (the SQL-paged one). Prints one table per account: median and 90th percentile in
milliseconds and the ratio of the medians to the exact-name search. Requests go one at a time over
a fresh connection, like the browser's; nothing else should run on the machine.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "bench-pass-2026"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--children", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "build", "baoxue"))
    a = ap.parse_args()
    env = dict(os.environ, LANG="C.UTF-8")
    d = tempfile.mkdtemp(prefix="baoxue-search-")
    proc = None
    try:
        demo = os.path.join(d, "demo")
        subprocess.run([a.bin, "demo", "--children", str(a.children), "--out", demo], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        db = os.path.join(demo, "baoxue.db")
        c = sqlite3.connect(db)
        rid, town, idn = c.execute(
            "SELECT r.id, r.township_code, r.id_number FROM child_status cs JOIN record r ON r.id = cs.record_id"
            " WHERE cs.run_id = (SELECT max(id) FROM match_run) AND cs.status IN ('not_enrolled', 'dropped_out')"
            " AND r.id_number IS NOT NULL ORDER BY r.id LIMIT 1").fetchone()
        c.execute("UPDATE record SET name = '王宁佳', guardian = '王德厚' WHERE id = ?", (rid,))
        c.commit()
        c.close()
        for name, args in (("bench_town", ["--role", "township", "--township", town]),
                           ("bench_county", ["--role", "county"])):
            subprocess.run([a.bin, "user", "add", "--db", db, name, *args, "--password-stdin"],
                           input=PASSWORD + "\n", text=True, check=True, stdout=subprocess.DEVNULL, env=env)
        proc = subprocess.Popen([a.bin, "serve", "--db", db, "--listen", "127.0.0.1:0"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
        port = None
        while port is None:
            line = proc.stdout.readline()
            if not line:
                sys.exit("the server did not start")
            if "127.0.0.1:" in line:
                port = int(re.search(r"127\.0\.0\.1:([0-9]+)", line).group(1))

        def call(path, cookie=None, body=None):
            h = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            headers = {"Cookie": cookie} if cookie else {}
            if body is not None:
                headers["Content-Type"] = "application/json"
            h.request("POST" if body is not None else "GET", path,
                      body=json.dumps(body) if body is not None else None, headers=headers)
            r = h.getresponse()
            data = r.read()
            h.close()
            return r, data

        queries = [("姓名（精确）", "王宁佳"), ("全拼", "wangningjia"), ("首字母", "wnj"),
                   ("拼音和首字母", "wangnj"), ("监护人姓名", "王德厚"), ("身份证号后 4 位", idn[-4:])]
        print("search: %d children, %d rounds, %s" % (a.children, a.rounds, a.bin))
        for user in ("bench_town", "bench_county"):
            r, data = call("/api/v1/session", body={"username": user, "password": PASSWORD})
            assert r.status == 200, data
            cookie = r.getheader("Set-Cookie").split(";")[0]
            print("\n%s\n" % ("township account (%s)" % town if user == "bench_town" else "county account"))
            print("| list | query | found | median ms | p90 ms | ratio |")
            print("|---|---|---:|---:|---:|---:|")
            for status in ("all", "suspected"):
                base = None
                for label, q in queries:
                    path = "/api/v1/children?status=%s&per_page=50&q=%s" % (status, urllib.parse.quote(q))
                    times = []
                    for i in range(a.rounds + 2):
                        t = time.perf_counter()
                        r, data = call(path, cookie)
                        dt = (time.perf_counter() - t) * 1000
                        assert r.status == 200, data
                        if i >= 2:
                            times.append(dt)
                    found = json.loads(data)["total"]
                    times.sort()
                    med = statistics.median(times)
                    base = base or med
                    print("| %s | %s %s | %d | %.2f | %.2f | %.2f |" % (
                        status, label, q, found, med, times[int(len(times) * 0.9) - 1], med / base))
    finally:
        if proc:
            proc.terminate()
            proc.wait()
        shutil.rmtree(d, True)


if __name__ == "__main__":
    main()
