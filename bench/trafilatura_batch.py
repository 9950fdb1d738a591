#!/usr/bin/env python3
"""Runs trafilatura over every .html file in a folder with N processes, writing one .txt per page.

usage: trafilatura_batch.py HTML_DIR OUT_DIR PROCESSES
The baseline bench/run.sh compares docnorm with (same pages, same number of processes).
"""
import multiprocessing as mp, os, sys

import trafilatura

def extract(args):
    src, dst = args
    with open(src, 'rb') as f:
        html = f.read()
    text = trafilatura.extract(html) or ''
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
