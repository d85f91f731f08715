#!/usr/bin/env python3
"""What the read replica costs a small read: GET /api/v1/people (an empty registry: the request
itself, not the query, is what is timed) 1000 times on one kept-alive connection, from `baoxue
serve` without --db-read (the primary answers) and with it (a probe of the replica, then the read
there), alternately twice, on a throwaway primary and hot standby (tests/pg_cluster.py).

    python3 bench/replica.py [build/baoxue]

Prints milliseconds per request for each run.
"""
import http.client
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "cli"))
os.environ["BAOXUE_BIN"] = os.path.abspath(sys.argv[1] if len(sys.argv) > 1
                                           else os.path.join(HERE, "..", "build", "baoxue"))
import pg_cluster  # noqa: E402

N = 1000

with pg_cluster.Cluster() as primary:
    os.environ["BAOXUE_TEST_PG"] = primary.dsn
    import harness  # noqa: E402  (reads BAOXUE_TEST_PG and BAOXUE_BIN when imported)
    standby = pg_cluster.Standby(primary).start()
    work = tempfile.mkdtemp(prefix="baoxue-bench-replica-")
    try:
        db = harness.new_db(work)
        harness.init_county(db)
        harness.user_add(db, "li", "--role", "county")
        while standby.sql("SELECT count(*) FROM pg_stat_wal_receiver") != "1":
            time.sleep(0.05)
        for label, extra in (("primary", []), ("replica", ["--db-read", standby.dsn_of(db)])) * 2:
            p, port = harness.start_server(db, "--threads", "2", *extra)
            harness.drain(p)
            r, _, _ = harness.http_call(port, "POST", "/api/v1/session",
                                        {"username": "li", "password": harness.PASSWORD})
            cookie = r.getheader("Set-Cookie").split(";")[0]
            conn = http.client.HTTPConnection("127.0.0.1", port)

            def get():
                conn.request("GET", "/api/v1/people", headers={"Cookie": cookie})
                resp = conn.getresponse()
                resp.read()
                assert resp.status == 200

            for _ in range(50):
                get()
            t = time.perf_counter()
            for _ in range(N):
                get()
            print("%-8s %.3f ms/request" % (label, (time.perf_counter() - t) * 1000 / N), flush=True)
            harness.stop_server(p)
    finally:
        standby.stop()
        os.rmdir(work) if not os.listdir(work) else None
