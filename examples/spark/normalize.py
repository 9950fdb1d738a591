#!/usr/bin/env python3
"""Normalise a folder of documents with docnorm on Apache Spark (PySpark, RDD API).

    python normalize.py --input IN --output OUT [--docnorm PATH] [--config FILE]
                        [--master local[2]] [--partitions N] [--jobs 1]

Each file under IN is read with ``SparkContext.binaryFiles``, turned into one JSON line
``{"source": <path relative to IN>, "content_base64": ...}`` and piped through
``docnorm run --input - --output -`` with ``RDD.pipe`` (one docnorm process per partition).
docnorm answers with one line per input, in order: a document exactly as in ``documents.jsonl``
or a reject marked ``"rejected": true``.

Output (``saveAsTextFile``, so nothing is collected on the driver):

    OUT/documents/part-NNNNN   documents, the lines docnorm wrote, unchanged
    OUT/rejects/part-NNNNN     rejects as in rejects.jsonl: {source, reason, detail}

Order: records are sorted by their source split into path components, which is the order
``docnorm run --input IN`` walks a folder in (file-name order within each folder, depth first).
Part files are range-partitioned, so ``cat OUT/documents/part-*`` is that order end to end and
equals a single-machine ``documents.jsonl`` byte for byte (``examples/spark/test.sh`` checks it).

Differences from ``docnorm run --input IN``, all from Hadoop's file listing:
  * names starting with ``_`` are never listed by Hadoop input formats (docnorm reads them);
    nor names starting with ``.``, which docnorm skips too unless ``input.skip_hidden = false``;
  * fetched folders (``.body`` files with ``.fetch.json`` sidecars) are read as plain files:
    their source is the file path, not the fetched URL;
  * symbolic links are followed (docnorm skips them).
For a local IN the script counts ``_`` names and links and warns.

The docnorm binary (and --config with its rule files) must exist at the same path on every
executor: a shared file system, an image, or ``spark-submit --files`` with a relative path.
"""

import argparse
import base64
import json
import os
import shlex
import sys
import time
import zlib

# docnorm's walk skips these (the fetcher's sidecars and partial bodies, and its reject list).
FETCH_METADATA_SUFFIXES = (".fetch.json", ".part")
FETCH_REJECTS = "fetch-rejects.jsonl"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", required=True, help="folder (or file) to read, any Hadoop URI")
    p.add_argument("--output", required=True, help="folder to create for documents/ and rejects/")
    p.add_argument("--docnorm", default="docnorm", help="docnorm binary as executors see it")
    p.add_argument("--config", help="pipeline.toml for docnorm (rule files beside it)")
    p.add_argument("--master", help="Spark master when not given by spark-submit, e.g. local[2]")
    p.add_argument(
        "--partitions",
        type=int,
        help="docnorm processes (tasks) at least; small files are repartitioned to reach it "
        "[Hadoop's packing: files up to 128 MB a partition]",
    )
    p.add_argument("--jobs", type=int, default=1, help="docnorm worker threads per task [1]")
    return p.parse_args(argv)


def docnorm_command(args):
    """The command line RDD.pipe runs once per partition (split with shlex, no shell)."""
    cmd = [args.docnorm, "run", "--input", "-", "--output", "-", "--jobs", str(args.jobs)]
    if args.config:
        cmd += ["--config", args.config]
    return shlex.join(cmd)


def docnorm_env():
    """RDD.pipe starts docnorm with only these variables: PATH to find it, DOCNORM_LOG if set."""
    names = ("PATH", "DOCNORM_LOG")
    return {name: os.environ[name] for name in names if name in os.environ}


def refuse_existing_output(sc, output):
    """saveAsTextFile refuses an existing folder only after all the work: refuse it first."""
    jvm = sc._jvm
    for sub in ("documents", "rejects"):
        path = jvm.org.apache.hadoop.fs.Path(os.path.join(output, sub))
        if path.getFileSystem(sc._jsc.hadoopConfiguration()).exists(path):
            raise SystemExit(f"normalize.py: {path} exists; remove it or choose another --output")


def qualified_root(sc, root):
    """The input root as Hadoop names it (``file:/abs/dir``), and whether it is a single file."""
    jvm = sc._jvm
    path = jvm.org.apache.hadoop.fs.Path(root)
    fs = path.getFileSystem(sc._jsc.hadoopConfiguration())
    qualified = fs.makeQualified(path)
    return qualified.toString().rstrip("/"), fs.getFileStatus(qualified).isFile()


def relative_source(root, is_file, key):
    """``docnorm run --input ROOT``'s source for the file binaryFiles names ``key``."""
    if is_file:
        return key.rsplit("/", 1)[-1]
    if not key.startswith(root + "/"):
        raise ValueError(f"{key} is not under the input root {root}")
    return key[len(root) + 1 :]


def docnorm_reads(source):
    """Whether docnorm's own walk would read this file (Hadoop already hides dot-names)."""
    parts = source.split("/")
    name = parts[-1]
    hidden = any(p.startswith(".") for p in parts)
    return not (hidden or name.endswith(FETCH_METADATA_SUFFIXES) or name == FETCH_REJECTS)


def source_hash(source):
    """A partitioning hash that is the same in every Python worker (str hashes are salted)."""
    return zlib.crc32(source.encode("utf-8"))


def input_line(source, content):
    return json.dumps(
        {"source": source, "content_base64": base64.b64encode(content).decode("ascii")},
        ensure_ascii=False,
    )


def parse_output(line):
    """One docnorm output line → (sort key, is_reject, line for documents/ or rejects/)."""
    record = json.loads(line)
    key = tuple(record["source"].split("/"))
    if record.pop("rejected", False):
        # serde_json and json.dumps(ensure_ascii=False) escape alike: a rejects.jsonl line.
        return key, True, json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return key, False, line


def warn_listing_differences(root):
    """Hadoop lists no name starting with ``_`` (docnorm reads them) and follows symbolic links
    (docnorm skips them): for a local root, count such names and say so."""
    if not root.startswith("file:") or not os.path.isdir(root[len("file:") :]):
        return
    local = root[len("file:") :]
    underscored, links = [], []
    for folder, dirs, files in os.walk(local):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in dirs + files:
            path = os.path.join(folder, name)
            if name.startswith("_"):
                underscored.append(os.path.relpath(path, local))
            elif os.path.islink(path):
                links.append(os.path.relpath(path, local))
        dirs[:] = [d for d in dirs if not d.startswith("_")]
    for names, what in [
        (underscored, "names starting with '_' that Hadoop does not list and docnorm run reads"),
        (links, "symbolic links that Hadoop follows and docnorm run skips"),
    ]:
        if names:
            print(
                f"normalize.py: warning: {len(names)} {what}, e.g. {', '.join(sorted(names)[:3])}",
                file=sys.stderr,
            )


def main(argv):
    args = parse_args(argv)
    # Local mode: Python workers must be this interpreter (the one with pyspark).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark import SparkConf, SparkContext, StorageLevel

    conf = SparkConf().setAppName("docnorm")
    if args.master:
        conf.setMaster(args.master)
    conf.set("spark.ui.showConsoleProgress", "false")
    if (args.master or "").startswith("local"):
        # One machine: keep Spark's driver and block manager on the loopback interface.
        conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
    # Directories nested under the root are inputs too, as for docnorm's walk.
    conf.set("spark.hadoop.mapreduce.input.fileinputformat.input.dir.recursive", "true")
    sc = SparkContext(conf=conf)
    sc.setLogLevel("WARN")
    try:
        started = time.monotonic()
        counts = normalize(sc, args, StorageLevel.MEMORY_AND_DISK)
        elapsed = time.monotonic() - started
    finally:
        sc.stop()
    reasons = ", ".join(f"{r}: {n}" for r, n in sorted(counts["reasons"].items()))
    print(
        f"normalize.py: {counts['inputs']} inputs: {counts['documents']} documents, "
        f"{counts['rejects']} rejects ({reasons or 'none'}) in {elapsed:.1f} s → {args.output}"
    )
    return 0


def normalize(sc, args, storage):
    """Reads, pipes, sorts and writes; returns the counts."""
    root, is_file = qualified_root(sc, args.input)
    refuse_existing_output(sc, args.output)
    warn_listing_differences(root)
    files = sc.binaryFiles(args.input, minPartitions=args.partitions or sc.defaultParallelism)
    sources = files.map(lambda kv: (relative_source(root, is_file, kv[0]), kv[1])).filter(
        lambda kv: docnorm_reads(kv[0])
    )
    if args.partitions and files.getNumPartitions() < args.partitions:
        # binaryFiles packs small files together into one split, whatever minPartitions says.
        # (Not repartition(): PySpark moves whole pickled batches, so it may not spread them.)
        sources = sources.partitionBy(args.partitions, source_hash)
    lines = sources.map(lambda kv: input_line(*kv))
    # Kept: the range sort samples its input first, which must not run docnorm a second time.
    piped = lines.pipe(docnorm_command(args), env=docnorm_env(), checkCode=True)
    records = piped.map(parse_output).persist(storage)
    ordered = records.sortBy(lambda r: r[0], numPartitions=lines.getNumPartitions()).persist(
        storage
    )
    ordered.filter(lambda r: not r[1]).map(lambda r: r[2]).saveAsTextFile(
        os.path.join(args.output, "documents")
    )
    ordered.filter(lambda r: r[1]).map(lambda r: r[2]).saveAsTextFile(
        os.path.join(args.output, "rejects")
    )
    reasons = (
        records.filter(lambda r: r[1]).map(lambda r: json.loads(r[2])["reason"]).countByValue()
    )
    total = records.count()
    rejects = sum(reasons.values())
    return {
        "inputs": total,
        "documents": total - rejects,
        "rejects": rejects,
        "reasons": dict(reasons),
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
