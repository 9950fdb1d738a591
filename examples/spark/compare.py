#!/usr/bin/env python3
"""Checks that the Spark example's output equals a single-machine ``docnorm run``.

    python compare.py SPARK_OUT PLAIN_OUT

SPARK_OUT holds ``documents/part-*`` and ``rejects/part-*`` (normalize.py); PLAIN_OUT holds
``documents.jsonl`` and ``rejects.jsonl`` (docnorm run). Records are parsed and keyed by source:
the same sources on both sides, each exactly once, every field equal. Then the order and the
bytes: the part files joined in part order must equal the single-run files byte for byte.
Prints the counts; exits 1 on any difference, naming the source and the field.
"""

import glob
import json
import os
import sys

SHOWN = 10  # differences printed at most
ABSENT = "<absent>"


def shown(value):
    return json.dumps(value, ensure_ascii=False)[:120]


def spark_lines(folder):
    """The part files joined in part order, and how many of them hold records."""
    if not os.path.exists(os.path.join(folder, "_SUCCESS")):
        raise SystemExit(f"compare.py: {folder} has no _SUCCESS marker: the Spark job did not end")
    parts = [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(folder, "part-*")))]
    return b"".join(parts), sum(1 for p in parts if p)


def plain_lines(path):
    with open(path, "rb") as f:
        return f.read()


def keyed(data, what):
    if data and not data.endswith(b"\n"):
        raise SystemExit(f"compare.py: {what} does not end with a newline: a truncated file?")
    records, problems = {}, []
    # Split on \n only: a JSON string may hold U+2028, which str.splitlines() would split on.
    for n, line in enumerate(data.decode("utf-8").split("\n")[:-1], 1):
        record = json.loads(line)
        source = record["source"]
        if source in records:
            problems.append(f"{what}: {source!r} appears twice (line {n})")
        records[source] = record
    return records, problems


def differences(spark, plain, what):
    """What differs between two {source: record} maps, one line per difference."""
    out = []
    for source in sorted(set(plain) - set(spark)):
        out.append(f"{what}: {source!r} only in the single-machine run")
    for source in sorted(set(spark) - set(plain)):
        out.append(f"{what}: {source!r} only in Spark's output")
    for source in sorted(set(spark) & set(plain)):
        a, b = spark[source], plain[source]
        for field in sorted(set(a) | set(b)):
            if a.get(field, ABSENT) != b.get(field, ABSENT):
                out.append(
                    f"{what}: {source!r} field {field!r}: Spark {shown(a.get(field, ABSENT))}"
                    f" != single run {shown(b.get(field, ABSENT))}"
                )
    return out


def main(spark_out, plain_out):
    problems, counts = [], {}
    for what, spark_dir, plain_file in [
        ("documents", "documents", "documents.jsonl"),
        ("rejects", "rejects", "rejects.jsonl"),
    ]:
        spark_data, parts = spark_lines(os.path.join(spark_out, spark_dir))
        plain_data = plain_lines(os.path.join(plain_out, plain_file))
        spark, dup_spark = keyed(spark_data, f"Spark {what}")
        plain, dup_plain = keyed(plain_data, f"single-run {what}")
        found = dup_spark + dup_plain + differences(spark, plain, what)
        if not found and spark_data != plain_data:
            found.append(f"{what}: same records, but not the same order or bytes")
        problems += found
        counts[what] = (len(spark), parts, len(plain))
    for what, (spark, parts, plain) in counts.items():
        print(f"compare.py: {what}: Spark {spark} (in {parts} part files), single run {plain}")
    if not counts["documents"][2]:
        problems.append("the single-machine run gave no documents: nothing was compared")
    for line in problems[:SHOWN]:
        print(f"  DIFFERENT {line}")
    if len(problems) > SHOWN:
        print(f"  … and {len(problems) - SHOWN} more differences")
    if problems:
        return 1
    print("compare.py: identical, document for document and byte for byte")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
