"""The lake on S3-compatible object storage: the same write–audit–publish format, without rename.

``ENVOY_LAKE_S3=s3://bucket/prefix`` (and ``ENVOY_S3_ENDPOINT_URL`` for a store that is not AWS:
MinIO, Ceph, moto) makes every publish of a day also publish it there, so hosts that share no file
system read the lake from the bucket (:func:`S3Lake.read_day`). Object stores have no rename, so a
version is published in three steps (the layout and manifest are :mod:`pipeline.lake`'s):

1. the version's files are put straight to their final keys,
   ``<prefix>/<table>/ingest_date=<day>/part-<version>-<part>.parquet`` — invisible, because readers
   only read what a manifest lists;
2. the day's manifest ``<prefix>/_manifests/<day>.json`` is put with a **conditional write**
   (``If-None-Match: *`` for a new day, ``If-Match: <etag>`` of the manifest it replaces): the commit
   point. A publisher that lost the race reads the new manifest and tries again (the last one wins,
   as with the local lock), and checks afterwards that the manifest it reads back is its own;
3. the day's keys that neither the new manifest nor its ``previous`` version lists, and that are
   older than a grace period (another publisher's files in flight are younger), are deleted
   (:meth:`S3Lake.clean`). The previous version stays for readers that still hold the old manifest.

A reader that hits a key deleted under it reads the manifest again (:func:`pipeline.lake.with_retry`).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import EnvoyError
from pipeline.lake import MANIFESTS, Manifest

MANIFEST_CONFLICTS = ("PreconditionFailed", "ConditionalRequestConflict")
#: How long a publisher may take between uploading a version's files and putting its manifest.
UPLOAD_GRACE_SECONDS = 900.0


class PublishConflict(EnvoyError):
    """Other publishers kept replacing the day's manifest; nothing of this version was published."""


def client(endpoint_url: str | None = None) -> Any:
    import boto3

    return boto3.client("s3", endpoint_url=endpoint_url or None)


@dataclass
class S3Lake:
    """One lake under ``s3://bucket/prefix``."""

    bucket: str
    prefix: str
    s3: Any
    #: Unlisted keys younger than this are left alone (see :meth:`clean`).
    grace_seconds: float = UPLOAD_GRACE_SECONDS

    @classmethod
    def from_url(cls, url: str, endpoint_url: str | None = None, s3: Any = None) -> S3Lake:
        parsed = urlparse(url)
        if parsed.scheme != "s3" or not parsed.netloc:
            raise ValueError(f"not an s3://bucket/prefix URL: {url!r}")
        return cls(parsed.netloc, parsed.path.strip("/"), s3 or client(endpoint_url))

    def key(self, rel: str) -> str:
        return f"{self.prefix}/{rel}" if self.prefix else rel

    def manifest_key(self, day: date) -> str:
        return self.key(f"{MANIFESTS}/{day.isoformat()}.json")

    # --- reading

    def read_manifest(self, day: date) -> tuple[Manifest | None, str | None]:
        """The day's manifest and its ETag, or (None, None) when the day was never published here."""
        try:
            obj = self.s3.get_object(Bucket=self.bucket, Key=self.manifest_key(day))
        except self.s3.exceptions.NoSuchKey:
            return None, None
        return Manifest.from_json(obj["Body"].read().decode("utf-8")), obj["ETag"]

    def published_days(self) -> list[date]:
        out = []
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                   Prefix=self.key(f"{MANIFESTS}/"))
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"].rsplit("/", 1)[-1]
                if name.endswith(".json"):
                    out.append(date.fromisoformat(name[: -len(".json")]))
        return sorted(out)

    def read_day(self, table: str, day: date) -> pa.Table | None:
        """The day's published ``table`` from one manifest (None: the day is not published here)."""
        for attempt in range(5):
            manifest, _ = self.read_manifest(day)
            if manifest is None:
                return None
            try:
                parts = [self._read(f) for f in manifest.tables.get(table, {}).get("files", [])]
            except self.s3.exceptions.NoSuchKey:  # a newer publish removed this version meanwhile
                time.sleep(0.05 * (attempt + 1))
                continue
            return pa.concat_tables(parts) if parts else None
        raise FileNotFoundError(f"{day} {table}: the published files kept vanishing while being read")

    def _read(self, rel: str) -> pa.Table:
        body = self.s3.get_object(Bucket=self.bucket, Key=self.key(rel))["Body"].read()
        return pq.read_table(io.BytesIO(body))

    def objects(self, day: date, tables: Iterable[str]) -> dict[str, datetime]:
        """Every part key of the day's partitions (published, previous, in flight, orphaned) and when
        it was written."""
        out = {}
        for table in tables:
            prefix = self.key(f"{table}/ingest_date={day.isoformat()}/")
            for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
                out.update({i["Key"]: i["LastModified"] for i in page.get("Contents", [])})
        return out

    def keys(self, day: date, tables: Iterable[str]) -> set[str]:
        return set(self.objects(day, tables))

    # --- publishing

    def publish(self, day: date, version: str, files: dict[str, list[Path]], run_id: str | None = None,
                attempts: int = 20) -> Manifest:
        """Publish a version whose files are ``files`` (table -> local Parquet paths): module notes."""
        tables: dict[str, dict] = {}
        for table, paths in files.items():
            listed, rows = [], 0
            for p in paths:
                name, tag = Path(p).name, f"part-{version}-"
                name = name if name.startswith(tag) else tag + name[len("part-"):]
                rel = f"{table}/ingest_date={day.isoformat()}/{name}"
                self.s3.upload_file(str(p), self.bucket, self.key(rel))
                listed.append(rel)
                rows += pq.ParquetFile(p).metadata.num_rows
            tables[table] = {"files": listed, "rows": rows}
        for attempt in range(attempts):
            old, etag = self.read_manifest(day)
            manifest = Manifest(day=day.isoformat(), version=version, run_id=run_id,
                                published_at=datetime.now(UTC).isoformat(),
                                previous=old.version if old else None, tables=tables)
            cond = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
            try:
                self.s3.put_object(Bucket=self.bucket, Key=self.manifest_key(day),
                                   Body=manifest.to_json().encode(), ContentType="application/json", **cond)
            except self.s3.exceptions.ClientError as exc:
                if exc.response.get("Error", {}).get("Code") not in MANIFEST_CONFLICTS:
                    raise
                time.sleep(0.02 * (attempt + 1))
                continue
            self.clean(day)
            return manifest
        raise PublishConflict(f"{day}: the manifest changed under {attempts} tries to publish {version}")

    def clean(self, day: date, grace_seconds: float | None = None) -> int:
        """Delete the day's keys that neither the current manifest nor its ``previous`` lists and that
        are older than ``grace_seconds``: younger ones may be another publisher's version in flight
        (uploaded, manifest not yet put). Returns how many keys went."""
        grace = self.grace_seconds if grace_seconds is None else grace_seconds
        current, _ = self.read_manifest(day)
        if current is None:
            return 0
        keep = {self.key(f) for t in current.tables.values() for f in t["files"]}
        if current.previous:
            prev = f"part-{current.previous}-"
            keep |= {k for k in self.keys(day, current.tables) if k.rsplit("/", 1)[-1].startswith(prev)}
        cutoff = datetime.now(UTC).timestamp() - grace
        stale = sorted(k for k, at in self.objects(day, current.tables).items()
                       if k not in keep and at.timestamp() <= cutoff)
        for i in range(0, len(stale), 1000):
            self.s3.delete_objects(Bucket=self.bucket,
                                   Delete={"Objects": [{"Key": k} for k in stale[i:i + 1000]], "Quiet": True})
        return len(stale)


def mirror(settings: Any, manifest: Manifest) -> Manifest | None:
    """Publish a day just published in the local lake to ``ENVOY_LAKE_S3`` (no-op when it is unset)."""
    url = settings.extra.get("ENVOY_LAKE_S3") if settings.extra else None
    if not url:
        return None
    lake = S3Lake.from_url(url, settings.extra.get("ENVOY_S3_ENDPOINT_URL"))
    files = {t: manifest.files(t, settings) for t in manifest.tables}
    return lake.publish(date.fromisoformat(manifest.day), manifest.version, files, manifest.run_id)

