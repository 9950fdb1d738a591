#!/usr/bin/env python3
"""Metadata scores of one `docnorm run` on all pages and on the even and odd page ids apart.

usage: metadata_halves.py OUT_DIR [GT_JSON] [--scorer PATH]
GT_JSON defaults to ../shared/corpus/wcxb-dev/gt.json and the scorer to
../shared/tools/metadata_score.py (both relative to the repository). Each half is scored by the
same scorer on a copy of the truth holding only that half's pages, so a rule can be checked on
both halves. Prints one line per field and set: hits/total, share, false values.
"""
import json, os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    args = sys.argv[1:]
    scorer = os.path.join(ROOT, '..', 'shared', 'tools', 'metadata_score.py')
    if '--scorer' in args:
        i = args.index('--scorer')
        scorer = args[i + 1]
        del args[i:i + 2]
    if not args:
        print(__doc__.strip().splitlines()[2]); sys.exit(2)
    out = args[0]
    gt_path = args[1] if len(args) > 1 else os.path.join(ROOT, '..', 'shared', 'corpus', 'wcxb-dev', 'gt.json')
    gt = json.load(open(gt_path, encoding='utf-8'))
    halves = {'all': gt,
              'even': {k: v for k, v in gt.items() if k.isdigit() and int(k) % 2 == 0},
              'odd': {k: v for k, v in gt.items() if k.isdigit() and int(k) % 2 == 1}}
    line = re.compile(r'^(title|author|date)\s+(\d+)/(\d+) = ([\d.]+)%.*false metadata (\d+) of (\d+)')
    with tempfile.TemporaryDirectory() as tmp:
        for name, sub in halves.items():
            path = os.path.join(tmp, name + '.json')
            json.dump(sub, open(path, 'w', encoding='utf-8'))
            res = subprocess.run([sys.executable, scorer, out, path], capture_output=True, text=True)
            cells = []
            for l in res.stdout.splitlines():
                m = line.match(l)
                if m:
                    f, h, t, pct, false, null = m.groups()
                    cells.append(f'{f} {h}/{t} {pct}% ({false} false)')
            print(f'{name:<5} ' + '  '.join(cells))


if __name__ == '__main__':
    main()
