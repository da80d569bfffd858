"""The lake on S3-compatible storage (issue 11), against a moto S3 server on 127.0.0.1.

Publication is a manifest per day put with a conditional write (no rename): readers see one whole
version whatever the publishers do, and a day's old files go once no manifest lists them.
Marked ``integration`` (``make integration``).
"""

from __future__ import annotations

import multiprocessing as mp
import socket
import subprocess
import sys
import time
import traceback
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import make_settings, run_processes
from tests.test_warehouse_pg import DAYS, build_lake

pytestmark = pytest.mark.integration
BUCKET = "envoy-lake"
DAY = date(2025, 8, 13)


@pytest.fixture
def s3_endpoint(tmp_path, monkeypatch):
    """A moto S3 server on a free loopback port, stopped by its PID at the end; the bucket exists."""
    pytest.importorskip("moto")
    for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                 "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(k, v)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(tmp_path / "moto.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                alive = proc.poll() is None and time.monotonic() < deadline
                assert alive, (tmp_path / "moto.log").read_text()
                time.sleep(0.2)
        from pipeline.lake_s3 import client

        client(url).create_bucket(Bucket=BUCKET)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_published_days_are_published_to_s3_and_old_versions_go(tmp_path, s3_endpoint):
    from pipeline import lake, stages, store
    from pipeline.lake_s3 import S3Lake

    settings = replace(make_settings(tmp_path), extra={"ENVOY_LAKE_S3": f"s3://{BUCKET}/lake",
                                                       "ENVOY_S3_ENDPOINT_URL": s3_endpoint})
    settings.ensure_dirs()
    build_lake(settings)
    s3 = S3Lake.from_url(f"s3://{BUCKET}/lake", s3_endpoint)
    assert s3.published_days() == DAYS
    for d in DAYS:
        remote, _ = s3.read_manifest(d)
        local = lake.read_manifest(settings, d)
        assert remote.version == local.version and remote.tables.keys() == local.tables.keys()
        for table in ("articles", "events", "quarantine"):
            want = store.read_day(table, settings, d)
            got = s3.read_day(table, d)
            assert (got.num_rows if got is not None else 0) == want.num_rows == remote.rows(table)
        got_ids = sorted(s3.read_day("articles", d).column("article_id").to_pylist())
        assert got_ids == sorted(lake.article_ids(settings, d))

    first, _ = s3.read_manifest(DAY)
    versions = [first.version]
    for _ in range(2):  # republish the day twice: the previous version stays, the one before goes
        out = stages.discover_day(settings, DAY, replace=True)
        lake.publish(settings, DAY, out.version, replace=True)
        versions.append(out.version)
    now, _ = s3.read_manifest(DAY)
    assert (now.version, now.previous) == (versions[2], versions[1])
    tables = ["articles", "texts", "quarantine", "events"]
    assert any(versions[0] in k for k in s3.keys(DAY, tables))  # within the grace period: kept
    assert s3.clean(DAY, grace_seconds=0) > 0
    on_s3 = s3.keys(DAY, tables)
    assert not any(versions[0] in k for k in on_s3)  # listed by neither manifest: gone
    assert any(versions[1] in k for k in on_s3) and any(versions[2] in k for k in on_s3)


def _publisher(endpoint: str, work: str, n: int, rounds: int, errors) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.lake import new_version
    from pipeline.lake_s3 import S3Lake

    s3 = S3Lake.from_url(f"s3://{BUCKET}/race", endpoint)
    try:
        for r in range(rounds):
            version = new_version()
            files = {}
            for table, rows in (("articles", 3 + n), ("events", 2 * (3 + n))):
                path = Path(work) / f"{version}-{table}" / "part-0.parquet"
                path.parent.mkdir(parents=True)
                pq.write_table(pa.table({"version": [version] * rows, "round": [r] * rows}), path)
                files[table] = [path]
            s3.publish(DAY, version, files)
    except BaseException:  # noqa: BLE001 - reported to the parent
        errors.put(f"publisher {n}: {traceback.format_exc()}")


def _reader(endpoint: str, seconds: float, errors, reads) -> None:
    from pipeline.lake_s3 import S3Lake

    s3 = S3Lake.from_url(f"s3://{BUCKET}/race", endpoint)
    n, end = 0, time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            arts, evs = s3.read_day("articles", DAY), s3.read_day("events", DAY)
            if arts is None:
                continue
            for t in (arts, evs):  # each table is one whole version, never a mix of two
                assert len(set(t.column("version").to_pylist())) == 1
            n += 1
    except BaseException:  # noqa: BLE001
        errors.put(f"reader: {traceback.format_exc()}")
    reads.put(n)


def test_concurrent_publishers_of_one_day_leave_one_whole_version(tmp_path, s3_endpoint):
    from pipeline.lake_s3 import S3Lake

    ctx = mp.get_context("spawn")
    errors, reads = ctx.Queue(), ctx.Queue()
    procs = [ctx.Process(target=_publisher, args=(s3_endpoint, str(tmp_path / f"w{i}"), i, 6, errors))
             for i in range(3)]
    procs.append(ctx.Process(target=_reader, args=(s3_endpoint, 10.0, errors, reads)))
    run_processes(procs, errors)
    assert reads.get() > 0
    s3 = S3Lake.from_url(f"s3://{BUCKET}/race", s3_endpoint)
    manifest, _ = s3.read_manifest(DAY)
    listed = {s3.key(f) for t in manifest.tables.values() for f in t["files"]}
    on_s3 = s3.keys(DAY, ["articles", "events"])
    assert listed <= on_s3  # the published version is whole
    for table in ("articles", "events"):
        assert s3.read_day(table, DAY).num_rows == manifest.rows(table)
