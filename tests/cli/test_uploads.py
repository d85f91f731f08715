"""Jobs that end badly (issue 11), black box. Uploads left behind: the file of an upload has a
name the server makes, the user's file name (any length, UTF-8 or GBK bytes) is only what the
import and its batch are called, and nothing stays in the data directory's uploads/ once a job
ends, nor after the server was killed (kill -9) during an upload or a job and started again.
A cross-check killed after its run was committed says that the run was saved, and which.
"""

import os
import re
import shutil
import signal
import socket
import tempfile
import time
import unittest

from harness import (Api, csv_text, enrollment_csv, init_county, make_id, multipart, new_db,
                     population_csv, start_server, stop_server)


def big_population_csv(n):
    rows = [["姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "户籍状态"]]
    for i in range(n):
        birth = "201%d%02d%02d" % (3 + i % 6, 1 + i % 12, 1 + i % 28)
        rows.append(["儿童%d" % i, "男" if i % 2 else "女", make_id(birth, i % 1000),
                     "%s-%s-%s" % (birth[:4], birth[4:6], birth[6:]), "郑庄镇", "正常"])
    return csv_text(rows).encode("utf-8")


class UploadsTest(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-uploads-")
        cls.db = new_db(cls.dir)
        init_county(cls.db)
        cls.user_add("county", "--role", "county")
        cls.data = os.path.join(cls.dir, "data")
        os.makedirs(cls.data)
        cls.proc = None

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, True)

    def setUp(self):
        self.proc, self.port = start_server(self.db, "--data-dir", self.data, "--job-threads", "1")
        self.addCleanup(self.stop)

    def stop(self):
        if self.proc is not None:
            err = stop_server(self.proc)
            self.assertNotIn("Sanitizer", err)
            self.proc = None

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        self.proc.stdout.close()
        self.proc.stderr.close()
        self.proc = None

    def uploads(self):
        d = os.path.join(self.data, "uploads")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def upload(self, session, kind, filename_bytes, data):
        # the class shares one database, and the kill test's large list may have been committed
        # just before the kill: the later, smaller lists are confirmed as a shrink
        body, ctype = multipart({"kind": kind, "confirm_shrink": "1"},
                                [("file", filename_bytes, data)])
        r, j, _ = self.call("POST", "/api/v1/imports", body, cookie=session[0], csrf=session[1],
                            headers={"Content-Type": ctype})
        self.assertEqual(r.status, 202, j)
        return j["id"]

    def test_long_chinese_and_gbk_file_names(self):
        s = self.login("county")
        # 306 bytes of UTF-8: more than a file name may have on disk
        long_name = "沁水县" + "端氏镇郑庄镇" * 16 + "户籍人口名单.csv"
        self.assertGreater(len(long_name.encode()), 255)
        done = self.wait_job(s, self.upload(s, "population", long_name.encode(), population_csv()))
        self.assertEqual(done["state"], "done", done)
        self.assertEqual(done["result"]["file_name"], long_name)
        # a GBK name, as an old browser or a script on a Chinese Windows sends it
        done = self.wait_job(s, self.upload(s, "enrollment", "学籍名单.csv".encode("gbk"),
                                            enrollment_csv()))
        self.assertEqual(done["state"], "done", done)
        self.assertEqual(done["result"]["file_name"], "学籍名单.csv")
        r, j, _ = self.call("GET", "/api/v1/imports", cookie=s[0])
        names = [b["file_name"] for b in j["items"]]
        self.assertIn(long_name, names)
        self.assertIn("学籍名单.csv", names)
        # a failed job (no header in the file) names the file as uploaded, and leaves no file
        done = self.wait_job(s, self.upload(s, "population", long_name.encode(), b"a,b\r\n1,2\r\n"))
        self.assertEqual(done["state"], "failed", done)
        self.assertIn(long_name, done["error"])
        self.assertNotIn("uploads", done["error"])
        self.assertEqual(self.uploads(), [])

    def test_kill_during_upload_and_during_a_job(self):
        s = self.login("county")
        # an upload half sent when the server is killed
        body, ctype = multipart({"kind": "population"},
                                [("file", "半截.csv".encode(), big_population_csv(20000))])
        sk = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        sk.sendall(("POST /api/v1/imports HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n"
                    "X-CSRF-Token: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                    % (s[0], s[1], ctype, len(body))).encode() + body[:len(body) // 2])
        deadline = time.time() + 30
        while not self.uploads() and time.time() < deadline:
            time.sleep(0.05)
        self.assertNotEqual(self.uploads(), [], "the upload never reached the disk")
        self.kill9()
        sk.close()
        self.proc, self.port = start_server(self.db, "--data-dir", self.data, "--job-threads", "1")
        self.assertEqual(self.uploads(), [])

        # a large import running and a small one queued behind it when the server is killed
        s = self.login("county")
        # large enough to be still running when a loaded machine gets round to polling it
        big = self.upload(s, "population", "大名单.csv".encode(), big_population_csv(150000))
        small = self.upload(s, "enrollment", "学籍.csv".encode(), enrollment_csv())
        self.wait_job(s, big, states=("running", "done", "failed"))
        left = self.uploads()
        state = self.job(s, big)["state"]
        self.kill9()
        self.assertEqual(state, "running", "the large import ended before the kill")
        self.assertGreaterEqual(len(left), 1)
        self.proc, self.port = start_server(self.db, "--data-dir", self.data, "--job-threads", "1")
        self.assertEqual(self.uploads(), [])
        s = self.login("county")
        for jid in (big, small):
            j = self.job(s, jid)
            self.assertEqual(j["state"], "failed", j)

    def test_match_killed_after_its_commit(self):
        s = self.login("county")
        done = self.wait_job(s, self.upload(s, "population", "户籍.csv".encode(),
                                            big_population_csv(30000)))
        self.assertEqual(done["state"], "done", done)
        body, ctype = multipart({"kind": "enrollment"},
                                [("file", "学籍.csv".encode(), enrollment_csv())])
        r, j, _ = self.call("POST", "/api/v1/imports", body + b"", cookie=s[0], csrf=s[1],
                            headers={"Content-Type": ctype})
        if r.status == 202:  # the same file may have been imported by another test already
            self.wait_job(s, j["id"])
        r, j, _ = self.call("POST", "/api/v1/runs", {}, cookie=s[0], csrf=s[1])
        self.assertEqual(r.status, 202, j)
        jid = j["id"]
        # killed while it makes the verification tasks: the run itself is committed by then
        deadline = time.time() + 300
        while True:
            j = self.job(s, jid)
            # (a job still queued has not begun: wait for it too)
            if j["state"] not in ("queued", "running") or \
                    j.get("phase", "").startswith("生成核查任务"):
                break
            self.assertLess(time.time(), deadline, j)
            time.sleep(0.02)
        self.kill9()
        self.assertEqual(j["state"], "running", "the cross-check ended before the kill: %r" % j)
        run_id = int(re.search(r"第 (\d+) 次比对", j["phase"]).group(1))
        self.proc, self.port = start_server(self.db, "--data-dir", self.data, "--job-threads", "1")
        s = self.login("county")
        j = self.job(s, jid)
        self.assertEqual(j["state"], "failed", j)
        self.assertIn("第 %d 次比对的结果已保存" % run_id, j["error"])
        r, runs, _ = self.call("GET", "/api/v1/runs", cookie=s[0])
        self.assertIn(run_id, [x["id"] for x in runs["items"]])


if __name__ == "__main__":
    unittest.main()
