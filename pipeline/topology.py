"""The production topology on one machine, without Docker: PostgreSQL, Redis, the Airflow scheduler,
dag-processor and api-server, and Celery workers, each a process this module started and stops by PID.

Used by the integration test (``tests/test_topology.py``, ``make integration``) and by
``benchmarks``-style measurements in ``docs/scaling.md``. Everything listens on 127.0.0.1 only:
PostgreSQL and Redis are bound to loopback, the api-server is started with ``--host 127.0.0.1``, and
the workers run with ``--skip-serve-logs`` (the worker log server would bind every interface; the
api-server reads the task logs from the shared log folder instead).

PostgreSQL refuses to run as root, so as root it runs as the ``postgres`` user with a data folder
that user owns (outside pytest's private tmp folders, which ``postgres`` cannot enter).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.airflow_local import LOCAL_HOST, airflow_env

WAREHOUSE_QUEUE = "warehouse"
#: moto accepts any credentials; these keep boto3 from looking for real ones.
S3_TEST_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1"}
PG_BIN_DIRS = ["/usr/local/bin", *sorted(map(str, Path("/usr/lib/postgresql").glob("*/bin")), reverse=True)]


class TopologyError(RuntimeError):
    """A component did not start or stopped early; the message carries the tail of its log."""


def worker_hostname() -> str:
    """``[core] hostname_callable`` for the workers: their name, so task instances tell them apart."""
    return os.environ.get("ENVOY_WORKER_NAME") or socket.getfqdn()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCAL_HOST, 0))
        return s.getsockname()[1]


def pg_tool(name: str) -> str:
    """A PostgreSQL server binary (``initdb``, ``pg_ctl``): /usr/local/bin, else the newest Debian one."""
    for d in PG_BIN_DIRS:
        if (Path(d) / name).exists():
            return str(Path(d) / name)
    found = shutil.which(name)
    if not found:
        raise TopologyError(f"{name} not found: install PostgreSQL (apt-get install postgresql)")
    return found


def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses root: as root, run the command as the ``postgres`` user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _wait_port(port: int, timeout: float, proc: subprocess.Popen | None = None,
               log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise TopologyError(f"process {proc.args[:3]} exited ({proc.returncode}):\n{_tail(log)}")
        with contextlib.suppress(OSError), socket.create_connection((LOCAL_HOST, port), timeout=1):
            return
        time.sleep(0.3)
    raise TopologyError(f"nothing listens on {LOCAL_HOST}:{port} after {timeout:.0f}s:\n{_tail(log)}")


def _tail(path: Path | None, n: int = 4000) -> str:
    if path is None or not path.exists():
        return ""
    return path.read_text(errors="replace")[-n:]


@dataclass
class Topology:
    """A Celery Airflow for envoy under ``root``; ``envoy_env`` are the ENVOY_* settings its tasks use."""

    root: Path
    envoy_env: Mapping[str, str]
    workers: int = 2
    warehouse_databases: tuple[str, ...] = ()  # extra PostgreSQL databases (a shared warehouse)
    s3_bucket: str | None = None  # start a moto S3 server on loopback with this bucket (the S3 lake)
    s3_port: int = field(default_factory=free_port)
    pg_port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    api_port: int = field(default_factory=free_port)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    pg_data: Path | None = None
    password: str = field(default_factory=lambda: secrets.token_hex(12))
    _token: str | None = None

    # --- environment

    @property
    def pg_url(self) -> str:
        return f"postgresql+psycopg2://postgres@{LOCAL_HOST}:{self.pg_port}/airflow"

    def pg_dsn(self, database: str) -> str:
        return f"postgresql://postgres@{LOCAL_HOST}:{self.pg_port}/{database}"

    @property
    def s3_endpoint(self) -> str:
        return f"http://{LOCAL_HOST}:{self.s3_port}"

    @property
    def home(self) -> Path:
        return self.root / "airflow_home"

    @property
    def api(self) -> str:
        return f"http://{LOCAL_HOST}:{self.api_port}"

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of every Airflow process: CeleryExecutor, Postgres metadata, Redis broker."""
        env = {**os.environ, **airflow_env(self.home, parallelism=8, api_port=self.api_port)}
        env.update(self.envoy_env)
        env.update({
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.pg_url,
            "AIRFLOW__CELERY__BROKER_URL": f"redis://{LOCAL_HOST}:{self.redis_port}/0",
            "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql://postgres@{LOCAL_HOST}:{self.pg_port}/airflow",
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": "1",
            "AIRFLOW__API_AUTH__JWT_SECRET": "topology-" + self.password,
            "AIRFLOW__API__SECRET_KEY": "topology-" + self.password,
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(self.home / "passwords.json"),
            "AIRFLOW__CORE__HOSTNAME_CALLABLE": "pipeline.topology.worker_hostname",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(self.home / "logs"),
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",  # only the runs the test triggers
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL": "5",
            "ENVOY_WAREHOUSE_QUEUE": WAREHOUSE_QUEUE,
            "PYTHONUNBUFFERED": "1",
        })
        if self.s3_bucket:
            env.update(S3_TEST_CREDENTIALS)
        env.update(extra)
        return env

    # --- components

    def start(self) -> Topology:
        """Start everything; on any failure, stop what was started and raise."""
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            (self.home / "passwords.json").write_text(json.dumps({"admin": self.password}))
            self.start_postgres()
            self.start_redis()
            if self.s3_bucket:
                self.start_s3()
            self._airflow_setup()
            self.spawn("scheduler", ["scheduler"])
            self.spawn("dag-processor", ["dag-processor"])
            self.spawn("api-server", ["api-server", "--host", LOCAL_HOST, "--port", str(self.api_port)])
            for i in range(1, self.workers + 1):
                queues = f"default,{WAREHOUSE_QUEUE}" if i == 1 else "default"
                self.spawn(f"worker{i}", ["celery", "worker", "--skip-serve-logs", "-q", queues,
                                          "--concurrency", "1", "--celery-hostname", f"worker{i}@%h"],
                           ENVOY_WORKER_NAME=f"worker{i}")
            _wait_port(self.api_port, 180, self.procs["api-server"], self.log("api-server"))
        except BaseException:
            self.stop()
            raise
        return self

    def log(self, name: str) -> Path:
        return self.root / "logs" / f"{name}.log"

    def _popen(self, name: str, cmd: list[str], env: Mapping[str, str]) -> subprocess.Popen:
        path = self.log(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as fh:  # the child keeps its own copy of the descriptor
            proc = subprocess.Popen(cmd, env=dict(env), stdout=fh, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        self.procs[name] = proc
        return proc

    def spawn(self, name: str, args: list[str], **extra: str) -> subprocess.Popen:
        return self._popen(name, [sys.executable, "-m", "airflow", *args], self.env(**extra))

    def start_postgres(self) -> None:
        self.pg_data = Path(tempfile.mkdtemp(prefix="envoy-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.pg_data, "postgres", "postgres")
        data = self.pg_data / "data"
        run = lambda cmd: subprocess.run(_as_postgres(cmd), capture_output=True, text=True, timeout=180)  # noqa: E731
        out = run([pg_tool("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"])
        if out.returncode:
            raise TopologyError(f"initdb failed: {out.stderr[-2000:]}")
        opts = f"-c listen_addresses={LOCAL_HOST} -p {self.pg_port} -k {self.pg_data} -c max_connections=200"
        out = run([pg_tool("pg_ctl"), "-D", str(data), "-o", opts, "-l", str(self.pg_data / "pg.log"),
                   "-w", "-t", "60", "start"])
        if out.returncode:
            log = _tail(self.pg_data / "pg.log")
            raise TopologyError(f"pg_ctl start failed: {out.stderr[-2000:]}\n{log}")
        import psycopg2

        con = psycopg2.connect(self.pg_dsn("postgres"))
        con.autocommit = True
        with con.cursor() as cur:
            for db in ("airflow", *self.warehouse_databases):
                cur.execute(f'CREATE DATABASE "{db}"')
        con.close()

    def postgres_pid(self) -> int | None:
        pidfile = self.pg_data / "data" / "postmaster.pid" if self.pg_data else None
        if pidfile and pidfile.exists():
            return int(pidfile.read_text().split()[0])
        return None

    def start_redis(self) -> None:
        exe = shutil.which("redis-server")
        if not exe:
            raise TopologyError("redis-server not found: apt-get install redis-server")
        proc = self._popen("redis", [exe, "--bind", LOCAL_HOST, "--port", str(self.redis_port), "--save", "",
                                     "--appendonly", "no", "--protected-mode", "yes"], os.environ)
        _wait_port(self.redis_port, 30, proc, self.log("redis"))

    def start_s3(self) -> None:
        """A moto S3 server on loopback (credentials are moto's dummies, in :meth:`env`)."""
        env = {**os.environ, **S3_TEST_CREDENTIALS}
        cmd = [sys.executable, "-m", "moto.server", "-H", LOCAL_HOST, "-p", str(self.s3_port)]
        proc = self._popen("s3", cmd, env)
        _wait_port(self.s3_port, 60, proc, self.log("s3"))
        import boto3

        boto3.client("s3", endpoint_url=self.s3_endpoint, **{
            "aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1",
        }).create_bucket(Bucket=self.s3_bucket)

    def _airflow_setup(self) -> None:
        env = self.env()
        out = subprocess.run([sys.executable, "-m", "pipeline.airflow_local", "setup"], env=env,
                             capture_output=True, text=True, timeout=900)
        if out.returncode:
            raise TopologyError(f"airflow db migrate / pool failed:\n{out.stderr[-4000:]}")

    def stop(self) -> None:
        """Stop every process started here, by PID (its whole process group), then PostgreSQL."""
        for _name, proc in reversed(list(self.procs.items())):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for proc in self.procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            with contextlib.suppress(ProcessLookupError):  # children that outlived their leader
                os.killpg(proc.pid, signal.SIGKILL)
        pid = self.postgres_pid()
        if pid:
            subprocess.run(_as_postgres([pg_tool("pg_ctl"), "-D", str(self.pg_data / "data"), "-m", "fast",
                                         "-w", "-t", "30", "stop"]), capture_output=True, timeout=60)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 0)
                os.kill(pid, signal.SIGKILL)
        if self.pg_data:
            shutil.rmtree(self.pg_data, ignore_errors=True)

    def alive(self) -> list[int]:
        """PIDs started here that still run (empty after :meth:`stop`)."""
        pids = [p.pid for p in self.procs.values() if p.poll() is None]
        pg = self.postgres_pid()
        if pg:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pg, 0)
                pids.append(pg)
        return pids

    # --- REST API

    def token(self) -> str:
        if self._token is None:
            creds = {"username": "admin", "password": self.password}
            body = self._request("POST", "/auth/token", creds, auth=False)
            self._token = body["access_token"]
        return self._token

    def _request(self, method: str, path: str, payload: Any = None, auth: bool = True,
                 accept: str = "application/json") -> Any:
        data = json.dumps(payload).encode() if payload is not None else None
        req = urllib.request.Request(self.api + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        req.add_header("Accept", accept)
        if auth:
            req.add_header("Authorization", f"Bearer {self.token()}")
        with urllib.request.urlopen(req, timeout=60) as resp:
            raw = resp.read().decode()
        return json.loads(raw) if raw and accept == "application/json" else raw

    def get(self, path: str) -> Any:
        return self._request("GET", path)

    def wait_for_dag(self, dag_id: str, timeout: float = 240) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_running()
            with contextlib.suppress(urllib.error.HTTPError, urllib.error.URLError, ConnectionError):
                return self.get(f"/api/v2/dags/{dag_id}")
            time.sleep(2)
        log = _tail(self.log("dag-processor"))
        raise TopologyError(f"DAG {dag_id} was not parsed within {timeout:.0f}s:\n{log}")

    def trigger(self, dag_id: str, conf: dict, run_id: str) -> dict:
        return self._request("POST", f"/api/v2/dags/{dag_id}/dagRuns",
                             {"dag_run_id": run_id, "logical_date": None, "conf": conf})

    def wait_for_runs(self, dag_id: str, run_ids: list[str], timeout: float = 900) -> dict[str, dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_running()
            runs = {r: self.get(f"/api/v2/dags/{dag_id}/dagRuns/{r}") for r in run_ids}
            if all(r["state"] in ("success", "failed") for r in runs.values()):
                return runs
            time.sleep(3)
        raise TopologyError(f"runs {run_ids} not finished after {timeout:.0f}s")

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        return self.get(f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances?limit=100")["task_instances"]

    def task_log(self, dag_id: str, run_id: str, ti: dict) -> str:
        path = (f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{ti['task_id']}/logs/"
                f"{ti['try_number']}?map_index={ti['map_index']}&full_content=true")
        body = self._request("GET", path, accept="application/json")
        content = body.get("content", body) if isinstance(body, dict) else body
        if isinstance(content, list):
            return "\n".join(c.get("event", "") if isinstance(c, dict) else str(c) for c in content)
        return str(content)

    def check_running(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                raise TopologyError(f"{name} exited ({proc.returncode}):\n{_tail(self.log(name))}")


@contextlib.contextmanager
def running(root: Path, envoy_env: Mapping[str, str], **kwargs: Any) -> Iterator[Topology]:
    """Start a topology and stop it when the block ends, also on failure."""
    topo = Topology(root=root, envoy_env=envoy_env, **kwargs)
    topo.start()
    try:
        yield topo
    finally:
        topo.stop()
