"""
Every write of the API, sent bad input, answers in Chinese prose: no command-line option ("--date"),
no English key or enum ("not_enrolled", "state=open"), no key=value string, in any message a person
reads. The operations are those of the OpenAPI document the server serves, so a new action is
tried without this file changing; each is sent, as an account that may and as one that may not:
an empty body, a body that is not JSON, each field alone with a value of the wrong shape (a word
for a number or a date, a date that is no date, a word outside a vocabulary, text far too long),
and ids that name nothing. The program's own command-line messages may name their options; the
library's, which both front ends show, may not.
"""

import json
import os
import re
import subprocess
import unittest

from harness import (BIN, DemoServerTest, db_value, env, multipart, served_openapi,
                     user_add)


# Latin words a Chinese sentence may carry: names of file formats and of the ID's letter
ALLOWED_WORDS = {"CSV", "XLSX", "XLS", "JSON", "PDF", "UTF", "GB", "ID", "X", "Excel", "WPS"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*[A-Za-z0-9]|[A-Za-z]")


def leaks(message):
    """What in a message a person should not read: options, keys, key=value strings. What the
    person typed, quoted back in “”, is theirs."""
    message = re.sub(r"“[^”]*”", "“”", message)
    found = []
    if "--" in message:
        found.append("--")
    if re.search(r"\b\w+=\S", message):
        found.append("key=value")
    for w in WORD.findall(message):
        if w not in ALLOWED_WORDS:
            found.append(w)
    return found


def bad_values(prop):
    """Values of the wrong shape for one field of a request body."""
    t = prop.get("type")
    out = [None, {"nested": 1}, ["a"], "x" * 5000]
    if t == "integer" or t == "number":
        out += ["十二", -1, 10 ** 12]
    elif t == "boolean":
        out += ["maybe", 7]
    else:
        out += [12, True, "不是日期2026-13-45", "nonsense", ""]
    for v in prop.get("enum", []):
        out.append(v + "x")
    return out


class Messages(DemoServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        user_add(cls.db, "victim", "--role", "county")
        cls.doc = served_openapi(cls.port)

    def ids(self):
        """Real and unknown values of each path parameter."""
        def first(sql):
            return str(db_value(self.db, sql) or 1)
        return {
            "/verify/": [first("SELECT min(id) FROM verify_task WHERE state = 'open'"), "999999", "abc"],
            "/cases/": [first("SELECT min(id) FROM case_file WHERE state = 'open'"), "999999", "-3"],
            "/review/": [first("SELECT min(id) FROM candidate"), "999999"],
            "/people/": [first("SELECT min(id) FROM person"), "999999"],
            "/imports/": [first("SELECT max(id) FROM batch"), "999999"],
            "/settings/": ["visits_per_week", "no_such_setting"],
            "/users/": ["victim", "nobody"],
            "/children/": [first("SELECT min(id) FROM record"), "999999", "abc"],
            "/jobs/": [first("SELECT max(id) FROM job"), "999999"],
            "/runs/": [first("SELECT max(id) FROM match_run"), "999999"],
            "/reports/": ["summary", "ledger-dropout", "nonsense"],
        }

    def concrete(self, path):
        for prefix, values in self.ids().items():
            if prefix in path:
                return [re.sub(r"\{[^}]+\}", v, path) for v in values]
        return [path]

    def send(self, session, method, path, body, raw=None):
        headers = None
        if raw is not None:
            headers = {"Content-Type": "application/json"}
        r, j, text = self.call(method, path, body if raw is None else raw, cookie=session[0],
                               csrf=session[1], headers=headers)
        return r, j, text

    def check(self, what, r, j):
        if not isinstance(j, dict):
            return
        messages = []
        if isinstance(j.get("error"), str):
            messages.append(j["error"])  # a job's failure
        if isinstance(j.get("error"), dict):
            messages.append(j["error"].get("message", ""))
            if r.status >= 400 and not re.search("[\u4e00-\u9fff]", j["error"]["message"]):
                self.leaked.setdefault(j["error"]["message"][:300], what[:200])
        for k in ("message", "summary"):
            if isinstance(j.get(k), str):
                messages.append(j[k])
        for m in messages:
            if leaks(m):
                self.leaked.setdefault(m[:300], what[:200])

    def test_every_write_with_bad_input(self):
        county = self.login("county")
        admin = self.login("admin")
        township = self.login("tz")
        sup = self.login("sup")
        tried = 0
        self.leaked = {}
        for path, ops in self.doc["paths"].items():
            for method, op in ops.items():
                if method not in ("post", "put", "patch") or path == "/api/v1/session":
                    continue
                content = op.get("requestBody", {}).get("content", {})
                if "multipart/form-data" in content:
                    for s in (county, township, sup):
                        for fields, files in [({}, []), ({"kind": "nonsense"}, []),
                                              ({"kind": "population"}, [("file", "乱码.csv", b"\xff\xfe\x00garbage")]),
                                              ({"kind": "population", "mapping": "{"}, [("file", "a.csv", b"a,b\n1,2\n")])]:
                            body, ctype = multipart(fields, files)
                            r, j, _ = self.call("POST", path, body, cookie=s[0], csrf=s[1],
                                                headers={"Content-Type": ctype})
                            self.check("%s %s %r" % (method, path, fields), r, j)
                            tried += 1
                    continue
                schema = content.get("application/json", {}).get("schema", {})
                props = schema.get("properties", {})
                for p in self.concrete(path):
                    for s in (county, admin, township, sup):
                        bodies = [{}, []] + [{k: v} for k, prop in props.items()
                                             for v in bad_values(prop)]
                        for body in bodies:
                            r, j, _ = self.send(s, method.upper(), p, body)
                            self.check("%s %s %r" % (method, p, body), r, j)
                            tried += 1
                        for raw in (b"{not json", json.dumps("文本").encode(), b"\xff\xfe"):
                            r, j, _ = self.send(s, method.upper(), p, None, raw=raw)
                            self.check("%s %s %r" % (method, p, raw), r, j)
        self.assertGreater(tried, 1000)
        self.assertEqual(self.leaked, {}, "\n".join("%s  ← %s" % (m, w) for m, w in self.leaked.items()))

    def test_every_read_with_bad_query(self):
        county = self.login("county")
        township = self.login("tz")
        self.leaked = {}
        tried = 0
        for path, ops in self.doc["paths"].items():
            op = ops.get("get")
            if not op:
                continue
            params = [x["name"] for x in op.get("parameters", []) if x.get("in") == "query"]
            for p in self.concrete(path):
                for s in (county, township):
                    for name in params:
                        for v in ("nonsense", "-1", "9" * 30, "%E4%B8%8D"):
                            r, j, _ = self.call("GET", "%s?%s=%s" % (p, name, v), cookie=s[0])
                            self.check("GET %s?%s=%s" % (p, name, v), r, j)
                            tried += 1
        self.assertGreater(tried, 300)
        self.assertEqual(self.leaked, {}, "\n".join("%s  ← %s" % (m, w) for m, w in self.leaked.items()))

    def test_the_account_list_reads_as_prose(self):
        # `baoxue user list` names each account's role in words, not by its key
        user_add(self.db, "msg_school", "--role", "supervisor")
        p = subprocess.run([BIN, "user", "list", "--db", self.db], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=env(), timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode("utf-8", "replace"))
        lines = p.stdout.decode("utf-8").splitlines()
        self.assertTrue(any(l.startswith("msg_school") and "督导" in l for l in lines), lines)
        for line in lines:
            name = line.split(" ", 1)[0]
            self.assertEqual(leaks(line[len(name):]), [], line)

    def test_the_check_finds_leaks(self):
        # the check itself: what it must catch, and Chinese it must let through
        self.assertEqual(leaks("核查日期不能晚于今天"), [])
        self.assertEqual(leaks("文件不是 XLSX 或 CSV"), [])
        self.assertIn("--", leaks("核查日期 --date 不能晚于今天"))
        self.assertIn("not_enrolled", leaks("状态应为 not_enrolled"))
        self.assertIn("key=value", leaks("参数 state=open 无效"))


if __name__ == "__main__":
    unittest.main()
