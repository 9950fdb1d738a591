#!/usr/bin/env python3
"""Does a learned block classifier beat the extract stage's hand rules? (issue #6)

usage:
  extract_learn.py dump NAME [--html DIR] [-j N]    docnorm extract --dump-blocks of every page
                                                     into /tmp/extract-learn/NAME/<id>.jsonl
  extract_learn.py check NAME RUN                    the heuristic's kept blocks, joined, scored
                                                     against extract_dev.py's run RUN: the
                                                     simulation must reproduce the real output
  extract_learn.py oracle NAME                       the ceiling: each block kept when half its
                                                     tokens are in the truth
  extract_learn.py eval NAME [--model lr|gbt|both]   train on even ids, test on odd, and the
                                                     reverse; real metric, all and per type,
                                                     against the heuristic on the same half

Labels: a block's share of 4-shingles found in the truth (../shared/tools/extract_score.py's
tokenisation). A model's output for a page is its kept blocks in page order joined with blank
lines, scored per page and averaged as extract_dev.py score does. The threshold is chosen on
the training half only. Needs numpy and scikit-learn (a venv: python3 -m venv /tmp/v &&
/tmp/v/bin/pip install numpy scikit-learn). Features are the dump's (no page ids, URLs or words
of the text; class/id words only through the hint kinds).
"""
import argparse, concurrent.futures as cf, json, math, subprocess, sys
from pathlib import Path

# The paths, the scorer and the truth of the dev loop, which lives beside this script.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_dev import ROOT, es, truth  # noqa: E402

OUT = Path('/tmp/extract-learn')

TAGS = ['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'pre', 'blockquote', 'dt', 'dd', 'div',
        'caption', 'otherblock', 'section', 'article', 'main', 'body', 'header', 'form', 'figure']
PARENT_TAGS = ['div', 'list', 'section', 'article', 'main', 'body', 'table', 'header', 'form', 'li',
               'blockquote', 'figure']
PRUNES = ['landmark', 'footer', 'comments', 'reviews', 'purchase', 'furniture', 'overlay',
          'author-box', 'article-footer']
FATES = ['kept', 'outside-main', 'link-dense', 'duplicate', 'title-moved', 'caption'] + \
        ['dropped-' + p for p in PRUNES]


def dump(a):
    html = Path(a.html)
    out = OUT / a.name
    out.mkdir(parents=True, exist_ok=True)
    exe = str(ROOT / 'target' / 'release' / 'docnorm')

    def one(pid):
        r = subprocess.run(['nice', exe, 'extract', '--dump-blocks', str(html / f'{pid}.html')],
                           capture_output=True, timeout=60)
        (out / f'{pid}.jsonl').write_bytes(r.stdout)
    with cf.ThreadPoolExecutor(a.jobs) as ex:
        list(ex.map(one, sorted(p.stem for p in html.glob('*.html'))))


def load(name, ids):
    d = OUT / name
    pages = {}
    for i in ids:
        f = d / f'{i}.jsonl'
        pages[i] = [json.loads(l) for l in f.read_text(encoding='utf8').splitlines()] if f.exists() else []
    return pages


def joined(blocks, keep):
    return '\n\n'.join(b['text'] for b, k in zip(blocks, keep) if k)


_TRUTH_SHINGLES = {}


def counts(gt_text, pred):
    """extract_score.page_counts, with the truth's shingles computed once."""
    tr = _TRUTH_SHINGLES.get(gt_text)
    if tr is None:
        tr = _TRUTH_SHINGLES[gt_text] = es.shingles(gt_text)
    p = es.shingles(pred)
    tp = float(sum((tr & p).values()))
    fp = float(sum((p - tr).values()))
    fn = float(sum((tr - p).values()))
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (tp, fp, fn)


def prf(t, ids, preds):
    return es.aggregate([counts(t[i]['text'], preds[i]) for i in ids])


def groups(t, ids):
    out = [('all', ids)]
    for ty in sorted({t[i]['page_type'] for i in ids}):
        out.append((ty, [i for i in ids if t[i]['page_type'] == ty]))
    return out


def check(a):
    t = truth()
    ids = sorted(t)
    pages = load(a.name, ids)
    sim = {i: joined(pages[i], [b['fate'] == 'kept' for b in pages[i]]) for i in ids}
    d = Path('/tmp/extract-dev') / a.run
    real = {i: (d / f'{i}.txt').read_text(encoding='utf8', errors='replace') for i in ids}
    for g, gi in groups(t, ids):
        s, r = prf(t, gi, sim), prf(t, gi, real)
        print(f'{g:<14} n={len(gi):<4} simulated F1={s[2]:.4f}  real F1={r[2]:.4f}  d={s[2] - r[2]:+.4f}')


# ---- features -----------------------------------------------------------------------------
def own(b):
    """The features of one block alone."""
    chars = max(1, b['chars'])
    words = max(1, b['words'])
    text = b['text'].rstrip()
    f = [math.log1p(b['chars']), math.log1p(b['words']), b['link_chars'] / chars,
         b['commas'] / words, b['periods'] / words, b['digits'] / chars, b['upper'] / chars,
         float(text[-1:] in '.!?。:;'), b['depth'] / 30, b['weight'] / 25, b['weight_sum'] / 25,
         b['negatives'], b['positives'], b['i'] / max(1, b['n']), math.log1p(b['same_look']),
         math.log1p(b['parent_same_look']), b['parent_share'], b['parent_kept_share'],
         b['kept_share'], math.log1p(b['total_chars']), math.log1p(b['n']),
         float(b['article']), float(b['discussion']), float(b['product'])]
    f += [float(b['tag'] == x) for x in TAGS]
    f += [float(b['parent_tag'] == x) for x in PARENT_TAGS]
    f += [float(b['prune'] == x) for x in PRUNES]
    f += [float(b['fate'] == x) for x in FATES]
    return f


def neighbour(b):
    if b is None:
        return [0.0, 0.0, 0.0, 1.0]
    return [float(b['fate'] == 'kept'), b['link_chars'] / max(1, b['chars']), math.log1p(b['chars']), 0.0]


def features(blocks):
    rows = []
    for k, b in enumerate(blocks):
        prev = blocks[k - 1] if k > 0 else None
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        rows.append(own(b) + neighbour(prev) + neighbour(nxt))
    return rows


def labels(blocks, gt_text):
    """Per block: the share of its tokens covered by a 4-shingle of the page (all blocks in
    order) that is in the truth, and its token count. In context, so that a short heading or
    a one-word cell that the truth holds next to its paragraph counts as found."""
    truth4 = set(es.shingles(gt_text))
    toks, owner = [], []
    for k, b in enumerate(blocks):
        t = es.tokens(b['text'])
        toks += t
        owner += [k] * len(t)
    covered = [False] * len(toks)
    for j in range(max(1, len(toks) - 3)):
        if tuple(toks[j:j + 4]) in truth4:
            for m in range(j, min(j + 4, len(toks))):
                covered[m] = True
    hit = [0] * len(blocks)
    size = [0] * len(blocks)
    for m, k in enumerate(owner):
        size[k] += 1
        hit[k] += covered[m]
    return [(h / n if n else 0.0, n) for h, n in zip(hit, size)]


def table(t, ids, pages):
    import numpy as np
    X, y, w, owner = [], [], [], []
    for i in ids:
        bl = pages[i]
        if not bl:
            continue
        lab = labels(bl, t[i]['text'])
        size = max(1, len(es.tokens(t[i]['text']))) + sum(n for _, n in lab) / 4
        X += features(bl)
        for share, n in lab:
            y.append(int(share >= 0.5))
            # Each page counts equally in the metric: a block weighs its share of the page.
            w.append(max(n, 1) / size)
        owner += [i] * len(bl)
    return np.array(X), np.array(y), np.array(w), owner


def fit(kind, X, y, w):
    if kind == 'lr':
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        m = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
        m.fit(X, y, logisticregression__sample_weight=w)
    else:
        from sklearn.ensemble import HistGradientBoostingClassifier
        m = HistGradientBoostingClassifier(max_iter=100, max_depth=3, learning_rate=0.1,
                                           early_stopping=False, random_state=0)
        m.fit(X, y, sample_weight=w)
    return m


def outputs(ids, pages, probs, owner, thr):
    """Kept blocks: a block the heuristic keeps stays unless its probability is under thr[0];
    one it drops is added when its probability is thr[1] or more."""
    by = {i: [] for i in ids}
    for i, p in zip(owner, probs):
        k = len(by[i])
        kept = pages[i][k]['fate'] == 'kept'
        by[i].append(p >= thr[0] if kept else p >= thr[1])
    return {i: joined(pages[i], by[i]) if pages[i] else '' for i in ids}


THRESHOLDS = [x / 10 for x in range(1, 10)]


def choose(t, ids, pages, probs, owner):
    """The threshold pair with the best F1 on the training half: one shared threshold first,
    then each of the pair moved alone from it."""
    def f1(thr):
        return prf(t, ids, outputs(ids, pages, probs, owner, thr))[2]
    best = max((f1((x, x)), (x, x)) for x in THRESHOLDS)
    for side in (0, 1):
        for x in THRESHOLDS:
            thr = (x, best[1][1]) if side == 0 else (best[1][0], x)
            f = f1(thr)
            if f > best[0]:
                best = (f, thr)
    return best


def evaluate(a):
    t = truth()
    ids = sorted(t)
    pages = load(a.name, ids)
    halves = {'even': [i for i in ids if int(i) % 2 == 0], 'odd': [i for i in ids if int(i) % 2 == 1]}
    tables = {h: table(t, hi, pages) for h, hi in halves.items()}
    kinds = ['lr', 'gbt'] if a.model == 'both' else [a.model]
    for train, test in (('even', 'odd'), ('odd', 'even')):
        Xtr, ytr, wtr, otr = tables[train]
        Xte, _, _, ote = tables[test]
        heur = {i: joined(pages[i], [b['fate'] == 'kept' for b in pages[i]]) for i in halves[test]}
        results = {'heuristic': heur}
        for kind in kinds:
            m = fit(kind, Xtr, ytr, wtr)
            ptr = m.predict_proba(Xtr)[:, 1]
            best = choose(t, halves[train], pages, ptr, otr)
            pte = m.predict_proba(Xte)[:, 1]
            name = f'{kind}@{best[1][0]:.1f},{best[1][1]:.1f}'
            results[name] = outputs(halves[test], pages, pte, ote, best[1])
            print(f'train {train}: {name} (train F1 {best[0]:.4f})', flush=True)
        print(f'== train {train}, test {test}')
        names = list(results)
        print(f'{"":<14}' + ''.join(f'{n:>26}' for n in names))
        for g, gi in groups(t, halves[test]):
            line = f'{g:<14}'
            for n in names:
                p, r, f = prf(t, gi, results[n])
                line += f'   {p:.3f}/{r:.3f}/{f:.4f}'
            print(line)


def oracle(a):
    """The ceiling of any block classifier over these blocks: each block kept when at least
    half its tokens are found in the truth."""
    t = truth()
    ids = sorted(t)
    pages = load(a.name, ids)
    best = {i: joined(pages[i], [s >= 0.5 for s, _ in labels(pages[i], t[i]['text'])]) for i in ids}
    heur = {i: joined(pages[i], [b['fate'] == 'kept' for b in pages[i]]) for i in ids}
    for g, gi in groups(t, ids):
        o, h = prf(t, gi, best), prf(t, gi, heur)
        print(f'{g:<14} n={len(gi):<4} heuristic F1={h[2]:.4f}  block oracle P/R/F1='
              f'{o[0]:.3f}/{o[1]:.3f}/{o[2]:.4f}')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    s = sub.add_parser('dump'); s.add_argument('name'); s.add_argument('--html', default='/tmp/wcxb/html')
    s.add_argument('-j', '--jobs', type=int, default=2); s.set_defaults(f=dump)
    s = sub.add_parser('check'); s.add_argument('name'); s.add_argument('run'); s.set_defaults(f=check)
    s = sub.add_parser('eval'); s.add_argument('name'); s.add_argument('--model', default='both',
                                                                     choices=['lr', 'gbt', 'both'])
    s.set_defaults(f=evaluate)
    s = sub.add_parser('oracle'); s.add_argument('name'); s.set_defaults(f=oracle)
    a = ap.parse_args()
    a.f(a)


if __name__ == '__main__':
    main()
