#!/usr/bin/env python3
"""A throwaway PostgreSQL cluster for the tests (Python stdlib only).

    pg_cluster.py available          exit 0 when initdb and pg_ctl are installed
    pg_cluster.py run -- CMD ARGS    start a cluster, run CMD with BAOXUE_TEST_PG set to its
                                     DSN, stop and remove the cluster, exit with CMD's status
    pg_cluster.py start              start one and print its DSN and data directory; it runs
                                     until `pg_cluster.py stop DIR`

Standby(primary) is a streaming replica of a running cluster (pg_basebackup -R -X stream, hot
standby) in a temporary directory and on a port of its own; Cluster.attach(data) stands for the
cluster of `run` inside the command it runs (BAOXUE_TEST_PG_DATA).

The cluster lives in a fresh temporary directory: initdb there, the server listening only on a
unix socket in that directory (no TCP), on a free port number, fsync off (nothing in it has to
survive), and a database `baoxue`. initdb refuses to run as root, so as root the server runs as
the `postgres` user (or `nobody`) through runuser/setpriv, and the directory is theirs.
"""

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

DB = "baoxue"
SUPERUSER = "postgres"


def bindir():
    """The directory of initdb and pg_ctl, or None."""
    for d in (os.environ.get("BAOXUE_PG_BINDIR"),):
        if d and os.path.exists(os.path.join(d, "initdb")):
            return d
    try:
        d = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10).stdout.strip()
        if d and os.path.exists(os.path.join(d, "initdb")) and os.path.exists(os.path.join(d, "pg_ctl")):
            return d
    except (OSError, subprocess.SubprocessError):
        pass
    # Debian keeps the server binaries out of PATH, one directory per major version
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in p.split("/")[-2].split(".") if x.isdigit()], reverse=True):
        if os.path.exists(os.path.join(d, "initdb")):
            return d
    found = shutil.which("initdb")
    return os.path.dirname(found) if found else None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_as():
    """(prefix of a command run as the cluster's owner, uid, gid): empty unless root."""
    if os.geteuid() != 0:
        return [], None, None
    for user in ("postgres", "nobody"):
        try:
            pw = pwd.getpwnam(user)
        except KeyError:
            continue
        if shutil.which("runuser"):
            return ["runuser", "-u", user, "--"], pw.pw_uid, pw.pw_gid
        return ["setpriv", "--reuid=%d" % pw.pw_uid, "--regid=%d" % pw.pw_gid, "--init-groups"], pw.pw_uid, pw.pw_gid
    raise SystemExit("pg_cluster: running as root and no postgres or nobody user to run the server as")


class Cluster:
    def __init__(self):
        self.bin = bindir()
        if not self.bin:
            raise SystemExit("pg_cluster: initdb not found (install postgresql: scripts/install-deps)")
        self.prefix, uid, gid = run_as()
        self.dir = tempfile.mkdtemp(prefix="baoxue-pg-")
        if uid is not None:
            os.chown(self.dir, uid, gid)
        os.chmod(self.dir, 0o700 if uid is None else 0o755)
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.started = False

    def _run(self, *cmd):
        p = subprocess.run(self.prefix + list(cmd), capture_output=True, text=True, timeout=120,
                           stdin=subprocess.DEVNULL, cwd=self.dir)
        if p.returncode != 0:
            raise RuntimeError("%s failed (%d):\n%s%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
        return p.stdout

    def start(self):
        b = lambda name: os.path.join(self.bin, name)
        self._run(b("initdb"), "-D", self.data, "-A", "trust", "-U", SUPERUSER, "-E", "UTF8",
                  "--locale=C.UTF-8", "-N")
        # wal_level=replica (the default, said here): a Standby may follow it; initdb's pg_hba
        # lets local (unix socket) replication connections in
        opts = "-c listen_addresses='' -k %s -p %d -c fsync=off -c synchronous_commit=off " \
               "-c full_page_writes=off -c max_connections=200 -c wal_level=replica" % (self.dir, self.port)
        self._run(b("pg_ctl"), "start", "-w", "-t", "60", "-D", self.data, "-l",
                  os.path.join(self.dir, "server.log"), "-o", opts)
        self.started = True
        self._run(b("createdb"), "-h", self.dir, "-p", str(self.port), "-U", SUPERUSER, "-T", "template0", DB)
        return self

    @property
    def dsn(self):
        return "postgresql:///%s?host=%s&port=%d&user=%s" % (DB, self.dir, self.port, SUPERUSER)

    @classmethod
    def attach(cls, data):
        """The running cluster whose data directory is data (its port from postmaster.pid)."""
        c = cls.__new__(cls)
        c.bin = os.environ.get("BAOXUE_TEST_PG_BIN") or bindir()
        c.prefix = run_as()[0]
        c.data, c.dir = data, os.path.dirname(data)
        with open(os.path.join(data, "postmaster.pid")) as f:
            c.port = int(f.read().split("\n")[3])
        c.started = False  # not ours to stop
        return c

    def sql(self, statement, db=DB):
        """Run one statement with psql as the superuser; its output, unaligned."""
        return self._run(os.path.join(self.bin, "psql"), "-h", self.dir, "-p", str(self.port), "-U",
                         SUPERUSER, "-d", db, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c",
                         statement).strip()

    def restart(self):
        """Stop and start the server (the tests of reconnection)."""
        b = lambda name: os.path.join(self.bin, name)
        # -l: the restarted server must not inherit (and hold open) our captured stdout
        self._run(b("pg_ctl"), "restart", "-w", "-t", "60", "-m", "fast", "-D", self.data, "-l",
                  os.path.join(self.dir, "server.log"))

    def stop(self):
        if self.started:
            try:
                self._run(os.path.join(self.bin, "pg_ctl"), "stop", "-w", "-m", "immediate", "-D", self.data)
            except Exception as e:  # still remove the directory
                sys.stderr.write("pg_cluster: %s\n" % e)
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()


class Standby(Cluster):
    """A hot standby streaming from primary (a running Cluster): a base backup taken with
    pg_basebackup -R -X stream over the primary's unix socket, as a replication role of its own,
    started on another port. stop() ends and removes it; the primary goes on."""

    ROLE = "baoxue_replication"

    def __init__(self, primary):
        super().__init__()
        self.primary = primary

    def start(self):
        b = lambda name: os.path.join(self.bin, name)
        self.primary.sql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%s')"
                         " THEN CREATE ROLE %s REPLICATION LOGIN; END IF; END $$"
                         % (self.ROLE, self.ROLE))
        self._run(b("pg_basebackup"), "-h", self.primary.dir, "-p", str(self.primary.port), "-U",
                  self.ROLE, "-D", self.data, "-R", "-X", "stream", "-c", "fast")
        opts = "-c listen_addresses='' -k %s -p %d -c fsync=off -c hot_standby=on " \
               "-c max_connections=200" % (self.dir, self.port)
        self._run(b("pg_ctl"), "start", "-w", "-t", "60", "-D", self.data, "-l",
                  os.path.join(self.dir, "server.log"), "-o", opts)
        self.started = True
        return self

    def dsn_of(self, dsn):
        """dsn (a database of the primary, with its options) on this replica."""
        dsn = dsn.replace("host=%s" % self.primary.dir, "host=%s" % self.dir)
        return dsn.replace("port=%d" % self.primary.port, "port=%d" % self.port)


def main(argv):
    if len(argv) >= 2 and argv[1] == "available":
        return 0 if bindir() else 1
    if len(argv) >= 2 and argv[1] == "run":
        cmd = argv[2:]
        if cmd and cmd[0] == "--":
            cmd = cmd[1:]
        if not cmd:
            sys.stderr.write("usage: pg_cluster.py run -- CMD ARGS\n")
            return 2
        # a ctest timeout sends SIGTERM: stop the cluster on the way out
        signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
        with Cluster() as c:
            env = dict(os.environ, BAOXUE_TEST_PG=c.dsn, BAOXUE_TEST_PG_DATA=c.data,
                       BAOXUE_TEST_PG_BIN=c.bin)
            return subprocess.call(cmd, env=env)
    if len(argv) == 2 and argv[1] == "start":
        c = Cluster().start()
        print(c.dsn)
        print(c.dir)
        return 0
    if len(argv) == 3 and argv[1] == "stop":
        c = Cluster.__new__(Cluster)
        c.bin, c.dir, c.data, c.started = bindir(), argv[2], os.path.join(argv[2], "data"), True
        c.prefix = run_as()[0]
        c.stop()
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
