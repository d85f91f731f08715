"""Two `baoxue serve` on one PostgreSQL database behind Debian's nginx (round robin), black box:
sessions, CSRF and the login lockout hold whichever server answers (the lockout counting the
client's address, which the servers read from nginx's X-Forwarded-For); an import uploaded through
nginx runs on the server that received its file and its progress is read through either; two
cross-checks started at once each run exactly once; a server frozen mid-job loses the job to the
other when its lease expires, and once killed (kill -9) the other keeps answering alone.

nginx runs as the test's user on a temporary config (`nginx -p DIR -c CONF`, daemon off), its
access log naming the server (upstream) that answered each request. The servers hold their
jobs under a lease of 3 s (--job-lease), so that the test stays short. PostgreSQL only: run as
cli.test_cluster.pg.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from harness import (PG, SLOW, Api, csv_text, db_rows, db_scalar, db_value, drain, enrollment_csv, http_call,
                     init_county, make_id, multipart, new_db, population_csv, start_server,
                     stop_drained)

LEASE = 3
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)

CONF = """
daemon off;
master_process off;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 256; }}
http {{
    log_format served '$request_method $request_uri $status $upstream_addr';
    access_log {dir}/access.log served;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream baoxue {{
        server 127.0.0.1:{p1} max_fails=1 fail_timeout=30s;
        server 127.0.0.1:{p2} max_fails=1 fail_timeout=30s;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 100m;
        location / {{
            proxy_pass http://baoxue;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_request_buffering off;
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@unittest.skipUnless(PG and NGINX, "PostgreSQL and nginx only: run as cli.test_cluster.pg")
class ClusterTest(Api, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="baoxue-cluster-")
        cls.db = new_db(cls.dir)
        init_county(cls.db)
        cls.user_add("county", "--role", "county")
        cls.user_add("admin", "--role", "admin")
        cls.servers = []  # (process, port, log lines, log thread)
        for i in (1, 2):
            data = os.path.join(cls.dir, "data%d" % i)
            os.makedirs(data)
            p, port = start_server(cls.db, "--data-dir", data, "--job-lease", str(LEASE),
                                   "--job-threads", "1", "--per-address-limit", "0",
                                   "--trusted-proxy", "127.0.0.1",
                                   "--max-body", "65536")
            lines, t = drain(p)
            cls.servers.append((p, port, lines, t))
        cls.ngx_dir = os.path.join(cls.dir, "nginx")
        os.makedirs(cls.ngx_dir)
        cls.port = free_port()
        conf = os.path.join(cls.ngx_dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(CONF.format(dir=cls.ngx_dir, p1=cls.servers[0][1], p2=cls.servers[1][1],
                                port=cls.port))
        cls.nginx = subprocess.Popen([NGINX, "-p", cls.ngx_dir, "-c", conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", cls.port), 1).close()
                break
            except OSError:
                if cls.nginx.poll() is not None or time.time() > deadline:
                    raise AssertionError("nginx did not start: %r" % cls.nginx.stderr.read())
                time.sleep(0.05)

    @classmethod
    def tearDownClass(cls):
        cls.nginx.terminate()
        cls.nginx.wait(30)
        cls.nginx.stderr.close()
        for p, _, lines, t in cls.servers:
            log = stop_drained(p, lines, t)
            assert "Sanitizer" not in log, log[-4000:]
        shutil.rmtree(cls.dir, True)

    def served(self):
        """The nginx access log as (method, uri, status, upstream port) lines, so far."""
        out = []
        with open(os.path.join(self.ngx_dir, "access.log")) as f:
            for line in f:
                m = re.match(r"(\S+) (\S+) (\d+) .*:(\d+)$", line.strip())
                if m:
                    out.append((m.group(1), m.group(2), int(m.group(3)), int(m.group(4))))
        return out

    probes = 0

    def probe(self, path):
        """path with a query no other request has, to find its line in the access log."""
        ClusterTest.probes += 1
        return "%s?probe=%d" % (path, ClusterTest.probes)

    def ports(self, uris, status=None):
        """The servers that answered these requests (nginx logs a request after its answer has
        left: the lines are waited for)."""
        deadline = time.time() + 10
        while True:
            lines = {u: (st, p) for _, u, st, p in self.served()}
            if all(u in lines for u in uris) or time.time() > deadline:
                break
            time.sleep(0.05)
        self.assertTrue(all(u in lines for u in uris), uris)
        return {lines[u][1] for u in uris if status is None or lines[u][0] == status}

    def owner_port(self, job_id):
        """The port of the server that ran (or holds) a job, by its pid in the job's owner."""
        owner = db_rows(self.db, "SELECT owner FROM job WHERE id = %d" % job_id)[0][0]
        pid = int(owner.split(":")[-2])
        return next(port for p, port, _, _ in self.servers if p.pid == pid)

    def upload(self, session, kind, name, data):
        """An import uploaded through nginx: (its job's id, the server that received it)."""
        body, ctype = multipart({"kind": kind, "force": "1"}, [("file", name, data)])
        uri = self.probe("/api/v1/imports")
        r, j, _ = self.call("POST", uri, body, cookie=session[0], csrf=session[1],
                            headers={"Content-Type": ctype})
        self.assertEqual(r.status, 202, j)
        return j["id"], self.ports([uri]).pop()

    # the tests run in the order of their names: the last kills a server

    def test_1_sessions_csrf_and_lockout_on_both(self):
        both = {self.servers[0][1], self.servers[1][1]}
        s = self.login("county")
        # a session made by one server is read by the other
        uris = [self.probe("/api/v1/session") for _ in range(4)]
        for uri in uris:
            r, j, _ = self.call("GET", uri, cookie=s[0])
            self.assertEqual(r.status, 200, j)
            self.assertEqual(j["user"]["name"], "county")
        self.assertEqual(self.ports(uris), both)
        # a wrong CSRF token is refused by both (the right one is accepted by both: test_2)
        uris = [self.probe("/api/v1/runs") for _ in range(4)]
        for uri in uris:
            r, j, _ = self.call("POST", uri, cookie=s[0], csrf="0" * len(s[1]))
            self.assertError(r, j, 403, "csrf")
        self.assertEqual(self.ports(uris), both)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM job"), 0)
        # the lockout counts a client's failures wherever they land, by the client's address
        # (the servers read X-Forwarded-For from nginx, --trusted-proxy): five wrong passwords
        # from 127.0.0.5, then even the right one is refused from there, by either server; what
        # the client claims in its own X-Forwarded-For counts for nothing
        spoof = {"X-Forwarded-For": "127.0.0.9"}
        wrong = [self.probe("/api/v1/session") for _ in range(5)]
        for uri in wrong:
            r, j = self.login_from("127.0.0.5", uri, "wrong-1", spoof)
            self.assertEqual(r.status, 401, j)
        locked = [self.probe("/api/v1/session") for _ in range(2)]
        for uri in locked:
            r, j = self.login_from("127.0.0.5", uri, "correct-horse-1", spoof)
            self.assertEqual(r.status, 429, j)
        self.assertEqual(self.ports(wrong), both)
        self.assertEqual(self.ports(locked), both)
        self.assertEqual(db_rows(self.db, "SELECT DISTINCT origin FROM audit WHERE action IN"
                                          " ('login_failed', 'login_locked')"), [["api 127.0.0.5"]])
        # another client behind the same nginx is not locked out with it
        r, j = self.login_from("127.0.0.6", "/api/v1/session", "correct-horse-1")
        self.assertEqual(r.status, 200, j)
        # straight to a server, not from nginx: the header is not read
        r, j = self.login_from("127.0.0.7", "/api/v1/session", "wrong-1", spoof,
                               port=self.servers[0][1])
        self.assertEqual(r.status, 401, j)
        self.assertEqual(db_value(self.db, "SELECT origin FROM audit WHERE action = 'login_failed'"
                                           " ORDER BY id DESC LIMIT 1"), "api 127.0.0.7")

    def login_from(self, addr, uri, password, headers=None, port=None):
        """POST /api/v1/session as admin from a loopback address of the client's own."""
        c = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=30,
                                       source_address=(addr, 0))
        try:
            c.request("POST", uri, json.dumps({"username": "admin", "password": password}),
                      dict(headers or {}, **{"Content-Type": "application/json"}))
            r = c.getresponse()
            return r, json.loads(r.read() or b"{}")
        finally:
            c.close()

    def test_2_import_and_two_matches(self):
        s = self.login("county")
        for kind, name, data in [("population", "户籍.csv", population_csv()),
                                 ("enrollment", "学籍.csv", enrollment_csv())]:
            jid, received = self.upload(s, kind, name, data)
            done = self.wait_job(s, jid, timeout=60 * SLOW)
            self.assertEqual(done["state"], "done", done)
            # run by the server whose disk has the file: the one that received the upload
            self.assertEqual(self.owner_port(jid), received)
            # two reads in a row go to the two servers: both read the job as done
            uris = [self.probe("/api/v1/jobs/%d" % jid) for _ in range(2)]
            for uri in uris:
                r, j, _ = self.call("GET", uri, cookie=s[0])
                self.assertEqual((j["state"], j["progress"]), ("done", 1), j)
            self.assertEqual(self.ports(uris), {self.servers[0][1], self.servers[1][1]})
        # two cross-checks asked for at once: each runs exactly once
        runs_before = db_scalar(self.db, "SELECT count(*) FROM match_run")
        ids = []
        uris = [self.probe("/api/v1/runs") for _ in range(2)]

        def start(uri):
            r, j, _ = http_call(self.port, "POST", uri, cookie=s[0], csrf=s[1])
            self.assertEqual(r.status, 202, j)
            ids.append(j["id"])

        threads = [threading.Thread(target=start, args=(uri,)) for uri in uris]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(len(ids), 2)
        results = [self.wait_job(s, jid, timeout=60 * SLOW) for jid in ids]
        for r in results:
            self.assertEqual(r["state"], "done", r)
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM match_run"), runs_before + 2)
        self.assertEqual(len({r["result"]["run_id"] for r in results}), 2)
        # the session's CSRF token was accepted by both servers
        self.assertEqual(self.ports(uris, 202), {self.servers[0][1], self.servers[1][1]})
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM audit WHERE action = 'match'"),
                         runs_before + 2)

    def test_3_a_server_stops_mid_job(self):
        s = self.login("county")
        rows = [["姓名", "性别", "公民身份号码", "出生日期", "乡镇（街道）", "户籍状态"]]
        for i in range(30000):
            birth = "201%d%02d%02d" % (2 + i % 7, 1 + i % 12, 1 + i % 28)
            rows.append(["儿童%d" % i, "男", make_id(birth, 100 + i % 800), birth, "郑庄镇", "正常"])
        jid, _ = self.upload(s, "population", "大名单.csv", csv_text(rows).encode("utf-8"))
        deadline = time.time() + 60 * SLOW
        while True:
            j = self.job(s, jid)
            if j["state"] == "running" and j["progress"] > 0:
                break
            self.assertIn(j["state"], ("queued", "running"), j)
            self.assertLess(time.time(), deadline, j)
            time.sleep(0.05)
        port = self.owner_port(jid)
        victim = next(p for p, pt, _, _ in self.servers if pt == port)
        other = next(pt for _, pt, _, _ in self.servers if pt != port)
        # frozen: its process still exists, but it renews nothing; the other server marks the
        # job failed once the lease has expired (read from the other server directly: nginx
        # would wait on the frozen one)
        victim.send_signal(signal.SIGSTOP)
        try:
            deadline = time.time() + (LEASE * 4 + 10) * SLOW
            while True:
                r, j, _ = http_call(other, "GET", "/api/v1/jobs/%d" % jid, cookie=s[0])
                self.assertEqual(r.status, 200, j)
                if j["state"] != "running":
                    break
                self.assertLess(time.time(), deadline, "not marked failed: %r" % j)
                time.sleep(0.2)
        finally:
            victim.send_signal(signal.SIGKILL)
            victim.wait(30)
        self.assertEqual(j["state"], "failed", j)
        self.assertEqual(j["error"],
                         "处理该任务的服务器已停止，任务中断：本次导入未保存（名单没有改变），请重新上传")
        # killed: the other keeps answering through nginx, and reads the job the same
        for _ in range(4):
            j = self.job(s, jid)
            self.assertEqual(j["state"], "failed")
        r, j, _ = self.call("GET", "/api/v1/session", cookie=s[0])
        self.assertEqual(r.status, 200, j)
        # a new cross-check runs on the survivor
        r, j, _ = self.call("POST", "/api/v1/runs", cookie=s[0], csrf=s[1])
        self.assertEqual(r.status, 202, j)
        done = self.wait_job(s, j["id"], timeout=60 * SLOW)
        self.assertEqual(done["state"], "done", done)
        self.assertEqual(self.owner_port(j["id"]), other)
        # the killed import left nothing: its transaction was rolled back
        self.assertEqual(db_scalar(self.db, "SELECT count(*) FROM batch WHERE file_name = '大名单.csv'"), 0)


if __name__ == "__main__":
    unittest.main()
