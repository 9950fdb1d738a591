#!/usr/bin/env python3
"""Runs trafilatura (or rs-trafilatura) over every .html file in a folder with N processes,
writing one .txt per page.

usage: trafilatura_batch.py HTML_DIR OUT_DIR PROCESSES [trafilatura|rs-trafilatura]
The baseline bench/run.sh compares docnorm with (same pages, same number of processes).
rs-trafilatura (`pip install rs-trafilatura`, the Rust extractor's Python binding) is the second
yardstick of issue #6; its `main_content` is the text scored. Write into
/tmp/extract-dev/NAME and `bench/extract_dev.py score NAME` scores it like docnorm's runs.
"""
import multiprocessing as mp, os, sys

TOOL = sys.argv[4] if len(sys.argv) > 4 else 'trafilatura'
if TOOL == 'rs-trafilatura':
    import rs_trafilatura
elif TOOL == 'trafilatura':
    import trafilatura
else:
    sys.exit(f'unknown tool {TOOL!r}: trafilatura or rs-trafilatura')


def extract_text(html):
    if TOOL == 'rs-trafilatura':
        return rs_trafilatura.extract_bytes(html).main_content or ''
    return trafilatura.extract(html) or ''


def extract(args):
    src, dst = args
    with open(src, 'rb') as f:
        html = f.read()
    text = extract_text(html)
    with open(dst, 'w', encoding='utf-8') as f:
        f.write(text)
    return 1

if __name__ == '__main__':
    html_dir, out_dir, procs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(out_dir, exist_ok=True)
    jobs = [(os.path.join(html_dir, n), os.path.join(out_dir, n[:-5] + '.txt'))
            for n in sorted(os.listdir(html_dir)) if n.endswith('.html')]
    with mp.Pool(procs) as pool:
        done = sum(pool.imap_unordered(extract, jobs, chunksize=8))
    print(f'{done} pages')
