#!/usr/bin/env bash
# The Spark example, end to end: normalise raw/ plus a few generated files with PySpark in local
# mode (examples/spark/normalize.py) and check the result equals a plain single-machine
# `docnorm run` on the same inputs, document for document. Exits non-zero on any difference;
# prints "skipped: ..." and exits 0 when Java or Python's venv/pip is missing.
#
# PYSPARK_VERSION pins pyspark (3.5 runs on Java 8, 11 and 17); the venv is cached in
# ${XDG_CACHE_HOME:-~/.cache}/docnorm/ (or DOCNORM_SPARK_VENV) so later runs skip the install.
set -euo pipefail
export LC_NUMERIC=C  # EPOCHREALTIME with a decimal point
cd "$(dirname "$0")/../.."

PYSPARK_VERSION=3.5.7
VENV=${DOCNORM_SPARK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/docnorm/spark-venv-pyspark-$PYSPARK_VERSION}

skip() {
  echo "examples/spark/test.sh: skipped: $*"
  exit 0
}

command -v java >/dev/null || skip "no java on PATH (Spark needs Java 8, 11 or 17)"
java_version=$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)
java_major=${java_version#1.}
java_major=${java_major%%[.+-]*}
case "$java_major" in
  8 | 11 | 17) ;;
  *) skip "java ${java_version:-of unknown version} found; pyspark $PYSPARK_VERSION runs on Java 8, 11 or 17" ;;
esac
command -v python3 >/dev/null || skip "no python3 on PATH"
python3 -m venv --help >/dev/null 2>&1 || skip "python3 has no venv module"
python3 -m pip --version >/dev/null 2>&1 || skip "python3 has no pip"

if ! "$VENV/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
  echo "== venv with pyspark $PYSPARK_VERSION in $VENV (first run: a 300 MB download)"
  python3 -m venv "$VENV" || skip "python3 -m venv cannot create a venv (Debian: apt-get install python3-venv)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "pyspark==$PYSPARK_VERSION"
fi

echo "== cargo build --release"
cargo build --release --locked --quiet
DOCNORM=$PWD/target/release/docnorm

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
inputs=$work/inputs
mkdir -p "$inputs/web" "$inputs/cyrillic" "$inputs/notes"
cp raw/* "$inputs/"
cat >"$inputs/web/page.html" <<'HTML'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour lights return to the old pier</title></head>
<body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/contact">Contact</a></nav>
<article>
<h1>Harbour lights return to the old pier</h1>
<p>After three winters in the dark, the lamps along the old pier were switched on again on Friday
evening, and a small crowd gathered by the lifeboat station to watch the first one flicker.</p>
<p>The restoration was paid for by the harbour trust and by a collection among fishermen, who say
the lights make the narrow entrance safer on nights when the fog rolls in from the sea.</p>
</article>
<footer>Copyright 2024 Harbour Gazette. All rights reserved.</footer>
</body></html>
HTML
python3 - "$inputs" <<'PY'
import sys
root = sys.argv[1]
text = ("Вечером в пятницу на старом причале снова зажгли фонари. Небольшая толпа собралась у "
        "спасательной станции, чтобы посмотреть, как загорается первый из них.\n\n"
        "Ремонт оплатили портовый фонд и рыбаки, которые говорят, что свет делает узкий вход в "
        "гавань безопаснее в туманные ночи.\n")
open(f"{root}/cyrillic/windows-1251.txt", "wb").write(text.encode("cp1251"))
open(f"{root}/notes/harbour notes é.txt", "w", encoding="utf-8").write(
    "Notes from the harbour meeting: the lamps will stay on from dusk until midnight.\n")
open(f"{root}/empty.txt", "wb").close()
open(f"{root}/picture.png", "wb").write(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
open(f"{root}/.hidden.txt", "w").write("a dot-file: neither run reads it\n")
PY
echo "== inputs: $(find "$inputs" -type f | wc -l) files in $inputs ($(du -sh "$inputs" | cut -f1))"

echo "== Spark (local[2]): examples/spark/normalize.py"
export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS=$work/spark-local
started=$EPOCHREALTIME
"$VENV/bin/python" examples/spark/normalize.py --master 'local[2]' --input "$inputs" \
  --output "$work/spark" --docnorm "$DOCNORM" --config config/pipeline.toml --partitions 3
spark_seconds=$(awk "BEGIN { print $EPOCHREALTIME - $started }")

echo "== single machine: docnorm run"
started=$EPOCHREALTIME
"$DOCNORM" run --input "$inputs" --output "$work/plain" --config config/pipeline.toml --no-progress
plain_seconds=$(awk "BEGIN { print $EPOCHREALTIME - $started }")

echo "== compare"
python3 examples/spark/compare.py "$work/spark" "$work/plain"

# The comparison must be able to fail: a changed text in one document is caught.
cp -r "$work/plain" "$work/tampered"
python3 - "$work/tampered/documents.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().rstrip("\n").split("\n")
record = json.loads(lines[-1])
record["text"] += " (tampered)"
lines[-1] = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
if python3 examples/spark/compare.py "$work/spark" "$work/tampered" >"$work/tampered.log"; then
  echo "examples/spark/test.sh: FAILED: compare.py did not notice a changed document" >&2
  exit 1
fi
grep -q "field 'text'" "$work/tampered.log" || {
  cat "$work/tampered.log" >&2
  exit 1
}
printf 'examples/spark/test.sh: passed; Spark run %.1f s (JVM start included), single-machine run %.2f s\n' \
  "$spark_seconds" "$plain_seconds"
