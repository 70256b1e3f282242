"""The site as a council runs it on several servers: nginx in front of gunicorn servers on one PostgreSQL.

Each app server is a gunicorn (sync workers) with its own search index folder
and a ``flask worker`` beside it, as ``docs/deploying.md`` sets them up; all of
them share one PostgreSQL database and one Redis (for the rate limits). nginx
(Debian's package) spreads requests over the servers and sends a request to the
next server when one cannot be reached. Used by ``tests/deployment/`` and by
``bench/several_servers.py``.
"""

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
from psycopg import conninfo, sql

from tests.servers import bare_environment, free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_HOW = "Install nginx (Debian: apt-get install nginx); the tests start a server of their own."
SECRET = "deployment-tests-only-" + "d" * 40


def prepare_database(url, env):
    """Create the database if missing, empty it, then migrate and load the demo directory (with ``env``)."""
    try:
        connection = psycopg.connect(url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise
        name = conninfo.conninfo_to_dict(url)["dbname"]
        with psycopg.connect(conninfo.make_conninfo(url, dbname="postgres"), autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        connection = psycopg.connect(url, autocommit=True)
    with connection:
        connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
        connection.execute("CREATE SCHEMA public")
    for command in (["db", "upgrade"], ["demo", "load"]):
        flask(env, *command)


def flask(env, *arguments, check=True):
    """Run a ``flask`` command with ``env`` (as an operator would on one of the servers)."""
    done = subprocess.run([str(BIN / "flask"), *arguments], cwd=ROOT, env={**env, "FLASK_APP": "wsgi.py"},
                          capture_output=True, text=True, timeout=600)
    if check and done.returncode:
        raise RuntimeError(f"flask {' '.join(arguments)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return done


def site_env(folder, database_url, redis_url, mail_port, **more):
    """Production settings, as every server of one site has them (each adds its own index folder)."""
    key_file = Path(folder) / "referral.key"
    if not key_file.exists():
        from cryptography.fernet import Fernet

        key_file.write_text(Fernet.generate_key().decode())
    settings = {
        "FAMILYHUB_ENV": "production", "DATABASE_URL": database_url, "SECRET_KEY": SECRET,
        "REFERRAL_ENCRYPTION_KEYS": key_file.read_text(), "SITE_URL": "http://127.0.0.1",
        "RATELIMIT_STORAGE_URI": redis_url, "TRUSTED_PROXIES": "1",
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail_port, "MAIL_TIMEOUT_SECONDS": 2, "MAIL_RETRY_SECONDS": 1,
        "WORKER_MAIL_SECONDS": 0.5, "ANALYTICS_FLUSH_SECONDS": 1, "DIRECTORY_CHECK_SECONDS": 1,
        **more,
    }
    return bare_environment(**settings)


class AppServer:
    """One app server: gunicorn with an access log of its own, a worker, and its own search index folder."""

    def __init__(self, name, folder, env, workers=2, worker=True):
        self.name, self.folder = name, Path(folder) / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.env = {**env, "SEARCH_INDEX_DIR": str(self.folder / "index")}
        self.workers, self.with_worker = workers, worker
        self.port = free_port()
        self.access_log = self.folder / "access.log"
        self.web = self.worker = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.web = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "30", "--log-level", "warning", "--access-logfile", str(self.access_log),
             "--access-logformat", "%(s)s %(m)s %(U)s", "wsgi:app"],
            cwd=ROOT, env=self.env, stdout=open(self.folder / "web.out", "a"), stderr=subprocess.STDOUT,
        )
        if self.with_worker:
            self.worker = subprocess.Popen([str(BIN / "flask"), "worker"], cwd=ROOT,
                                           env={**self.env, "FLASK_APP": "wsgi.py"},
                                           stdout=open(self.folder / "worker.out", "a"), stderr=subprocess.STDOUT)
        wait_for_port(self.port, self.web, what=f"gunicorn {self.name}")
        return self

    def readiness(self):
        """What /readyz says: (directory version, version this server's index was built from)."""
        with urllib.request.urlopen(self.url + "/readyz", timeout=10) as answer:
            text = answer.read().decode()
        version = int(re.search(r"directory version: (\d+)", text).group(1))
        built = re.search(r"search index built from version: (\d+)", text)
        return version, int(built.group(1)) if built else None

    def wait_until_current(self, seconds=60):
        """Wait until this server's index is built from the directory's version (its own build, in the background).

        A server still starting may not answer /readyz within a request's 10 s on a loaded machine (once, in a
        full run, server B's workers did not): it is asked again until the deadline."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                version, built = self.readiness()
            except (OSError, http.client.HTTPException) as error:  # not answering yet: refused, timed out, cut off
                version, built = None, repr(error)
            if version is not None and built == version:
                return version
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}'s index is at version {built}, the directory at {version}")
            time.sleep(0.2)

    def worker_pids(self):
        children = Path(f"/proc/{self.web.pid}/task/{self.web.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def stop(self):
        """As a deploy stops a server: SIGTERM, each process finishing what it holds."""
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (self.web, self.worker):
            if process is not None:
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def kill(self):
        """As a server dies: SIGKILL to gunicorn's workers, its master and the worker, at once."""
        pids = []
        if self.web is not None and self.web.poll() is None:
            pids = [*self.worker_pids(), self.web.pid]
        if self.worker is not None and self.worker.poll() is None:
            pids.append(self.worker.pid)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for process in (self.web, self.worker):
            if process is not None:
                process.wait()

    def served(self, status="200"):
        """(method, path) of each answer with ``status`` in this server's access log."""
        if not self.access_log.exists():
            return []
        lines = (line.split(" ", 2) for line in self.access_log.read_text().splitlines())
        return [(method, path) for code, method, path in lines if code == status]


NGINX_SITE = """
# An nginx site for Family Hub on {servers} app server(s): see docs/deploying.md.
upstream familyhub {{
{upstreams}
    keepalive 32;
}}

server {{
    listen 127.0.0.1:{port};
    server_name 127.0.0.1;
    client_max_body_size 256k;

    location / {{
        proxy_pass http://familyhub;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        # A server that cannot be reached, or drops the connection, is skipped and the request sent to the
        # next: POSTs too (each referral is stored once whichever server answers, see docs/deploying.md).
        proxy_next_upstream error timeout http_502 non_idempotent;
        proxy_next_upstream_tries 2;
        proxy_connect_timeout 2s;
        proxy_read_timeout 60s;
    }}
}}
"""

NGINX_MAIN = """
{user}worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""


class Nginx:
    def __init__(self, folder, servers):
        self.folder = Path(folder) / "nginx"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        upstreams = "\n".join(f"    server 127.0.0.1:{server.port} max_fails=1 fail_timeout=10s;" for server in servers)
        (self.folder / "site.conf").write_text(NGINX_SITE.format(servers=len(servers), upstreams=upstreams, port=self.port))
        user = "user root;\n" if os.geteuid() == 0 else ""
        (self.folder / "nginx.conf").write_text(NGINX_MAIN.format(user=user, folder=self.folder))
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen([NGINX, "-e", str(self.folder / "error.log"), "-c", str(self.folder / "nginx.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.process, what="nginx")
        return self

    def statuses(self):
        """The status of every answer nginx gave, in order (from its access log, in nginx's "combined" format)."""
        log = self.folder / "access.log"
        if not log.exists():
            return []
        return [int(found.group(1)) for line in log.read_text().splitlines()
                for found in [re.search(r'" (\d{3}) ', line)] if found]

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Cluster:
    """nginx in front of ``servers`` app servers sharing one PostgreSQL and one Redis."""

    def __init__(self, folder, env, servers=2, workers=2, worker=True):
        self.folder = Path(folder)
        self.servers = [AppServer(chr(ord("a") + number), folder, env, workers, worker) for number in range(servers)]
        self.nginx = Nginx(folder, self.servers)

    @property
    def url(self):
        return self.nginx.url

    @property
    def port(self):
        return self.nginx.port

    def __enter__(self):
        try:
            for server in self.servers:
                server.start()
            self.nginx.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        self.nginx.stop()
        for server in self.servers:
            server.stop()
