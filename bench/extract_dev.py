#!/usr/bin/env python3
"""Dev loop for the extract stage on decompressed WCXB pages.

usage:
  extract_dev.py run NAME [--html DIR] [--gt GT] [-j N]   run docnorm extract into /tmp/extract-dev/NAME
  extract_dev.py score NAME [BASE]                         overall, per type, even/odd ids (vs BASE)
  extract_dev.py worst NAME [TYPE] [-n N] [--by p|r|f]      worst pages
  extract_dev.py diff NAME ID                              truth vs prediction, paragraph by paragraph
  extract_dev.py cmp NAME BASE [TYPE]                      pages that changed most between two runs

Scores with ../shared/tools/extract_score.py's metric (4-token shingles). Predictions are kept
under /tmp/extract-dev/NAME/<id>.txt so runs can be compared.
"""
import argparse, concurrent.futures as cf, json, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / 'shared'
if not SHARED.exists():
    SHARED = Path('/work/shared')
sys.path.insert(0, str(SHARED / 'tools'))
import extract_score as es  # noqa: E402

OUT = Path('/tmp/extract-dev')
GT = SHARED / 'corpus' / 'wcxb-dev' / 'gt.json'


def truth(gt=GT):
    return json.loads(Path(gt).read_text(encoding='utf8'))


def run(a):
    html = Path(a.html)
    out = OUT / a.name
    out.mkdir(parents=True, exist_ok=True)
    exe = str(ROOT / 'target' / 'release' / 'docnorm')
    ids = sorted(p.stem for p in html.glob('*.html'))

    def one(pid):
        r = subprocess.run(['nice', exe, 'extract', str(html / f'{pid}.html')], capture_output=True, timeout=60)
        (out / f'{pid}.txt').write_bytes(r.stdout)
    with cf.ThreadPoolExecutor(a.jobs) as ex:
        list(ex.map(one, ids))
    a.base = None
    score(a)


def load(name, ids):
    d = OUT / name
    return {i: (d / f'{i}.txt').read_text(encoding='utf8', errors='replace') if (d / f'{i}.txt').exists() else ''
            for i in ids}


def prf(t, ids, preds):
    counts = [es.page_counts(t[i]['text'], preds[i]) for i in ids]
    return es.aggregate(counts)


def score(a):
    t = truth(a.gt)
    ids = sorted(t)
    names = [a.name] + ([a.base] if a.base else [])
    preds = {n: load(n, ids) for n in names}
    groups = [('all', ids), ('even', [i for i in ids if int(i) % 2 == 0]), ('odd', [i for i in ids if int(i) % 2 == 1])]
    for ty in sorted({t[i]['page_type'] for i in ids}):
        groups.append((ty, [i for i in ids if t[i]['page_type'] == ty]))
    for ty in sorted({t[i]['page_type'] for i in ids}):
        for par, m in (('even', 0), ('odd', 1)):
            groups.append((f'{ty}/{par}', [i for i in ids if t[i]['page_type'] == ty and int(i) % 2 == m]))
    for g, gi in groups:
        line = f'{g:<22} n={len(gi):<4}'
        res = [prf(t, gi, preds[n]) for n in names]
        p, r, f = res[0]
        line += f' P={p:.3f} R={r:.3f} F1={f:.3f}'
        if len(res) > 1:
            line += f'   base F1={res[1][2]:.3f}  d={f - res[1][2]:+.3f}'
        print(line)


def per_page(t, ids, preds):
    out = {}
    for i in ids:
        c = es.page_counts(t[i]['text'], preds[i])
        p = es._prec(*c) if c[0] + c[1] > 0 else 0.0
        r = es._rec(*c) if c[0] + c[2] > 0 else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[i] = (p, r, f)
    return out


def worst(a):
    t = truth(a.gt)
    ids = [i for i in sorted(t) if not a.type or t[i]['page_type'] == a.type]
    pp = per_page(t, ids, load(a.name, ids))
    k = {'p': 0, 'r': 1, 'f': 2}[a.by]
    for i in sorted(ids, key=lambda i: pp[i][k])[:a.n]:
        p, r, f = pp[i]
        print(f'{i} {t[i]["page_type"]:<13} P={p:.2f} R={r:.2f} F={f:.2f} '
              f'gt={len(t[i]["text"])} pred={len(load(a.name, [i])[i])} {t[i].get("url") or ""}')


def diff(a):
    t = truth(a.gt)
    gt = t[a.id]['text']
    pred = load(a.name, [a.id])[a.id]
    gsh = es.shingles(gt)
    psh = es.shingles(pred)
    print(f'== {a.id} {t[a.id]["page_type"]} {t[a.id].get("url")}')
    print('== TRUTH (- = missing from prediction)')
    for para in [p for p in gt.split('\n') if p.strip()]:
        s = es.shingles(para)
        hit = sum((s & psh).values()) / max(1, sum(s.values()))
        print(f'{"-" if hit < 0.5 else " "} {para[:a.width]}')
    print('== PREDICTION (+ = not in truth)')
    for para in [p for p in pred.split('\n') if p.strip()]:
        s = es.shingles(para)
        hit = sum((s & gsh).values()) / max(1, sum(s.values()))
        print(f'{"+" if hit < 0.5 else " "} {para[:a.width]}')


def cmp(a):
    t = truth(a.gt)
    ids = [i for i in sorted(t) if not a.type or t[i]['page_type'] == a.type]
    x = per_page(t, ids, load(a.name, ids))
    y = per_page(t, ids, load(a.base, ids))
    d = sorted(ids, key=lambda i: x[i][2] - y[i][2])
    print('worse:')
    for i in d[:a.n]:
        if x[i][2] < y[i][2]:
            print(f'  {i} {t[i]["page_type"]:<13} F {y[i][2]:.2f} -> {x[i][2]:.2f} (P {y[i][0]:.2f}->{x[i][0]:.2f} R {y[i][1]:.2f}->{x[i][1]:.2f})')
    print('better:')
    for i in d[::-1][:a.n]:
        if x[i][2] > y[i][2]:
            print(f'  {i} {t[i]["page_type"]:<13} F {y[i][2]:.2f} -> {x[i][2]:.2f} (P {y[i][0]:.2f}->{x[i][0]:.2f} R {y[i][1]:.2f}->{x[i][1]:.2f})')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--gt', default=str(GT))
    sub = ap.add_subparsers(dest='cmd', required=True)
    s = sub.add_parser('run'); s.add_argument('name'); s.add_argument('--html', default='/tmp/wcxb/html')
    s.add_argument('-j', '--jobs', type=int, default=2); s.set_defaults(f=run)
    s = sub.add_parser('score'); s.add_argument('name'); s.add_argument('base', nargs='?'); s.set_defaults(f=score)
    s = sub.add_parser('worst'); s.add_argument('name'); s.add_argument('type', nargs='?')
    s.add_argument('-n', type=int, default=20); s.add_argument('--by', default='f', choices='prf'); s.set_defaults(f=worst)
    s = sub.add_parser('diff'); s.add_argument('name'); s.add_argument('id'); s.add_argument('-w', '--width', type=int, default=160)
    s.set_defaults(f=diff)
    s = sub.add_parser('cmp'); s.add_argument('name'); s.add_argument('base'); s.add_argument('type', nargs='?')
    s.add_argument('-n', type=int, default=15); s.set_defaults(f=cmp)
    a = ap.parse_args()
    a.f(a)


if __name__ == '__main__':
    main()
