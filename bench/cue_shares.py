#!/usr/bin/env python3
"""How densely each language uses the cue words of config/language-cues.toml, and what docnorm
calls texts of each language: the evidence behind the [decisive] shares.

usage: cue_shares.py OUT_DIR [DOCNORM]

Writes 100 pseudo-documents per language into OUT_DIR/docs/<lang>/ (6 paragraphs of 60 words
drawn by frequency from wordfreq's top 5,000 words: the unigram distribution of real text, so
function words come as densely as they do in prose), then prints per language the share of the
first 80 words that are cue words of each [decisive] language (min, 10th percentile, median,
max), and, with DOCNORM (a docnorm binary), the labels `docnorm run` gives those documents.
Needs `pip install wordfreq` (in a virtual environment). Chinese, Japanese and Korean are left
out (wordfreq tokenizes them with MeCab/jieba, and they have no Latin-script cues).
"""
import collections, json, os, random, re, subprocess, sys, tomllib
from pathlib import Path

import wordfreq

ROOT = Path(__file__).resolve().parent.parent
MAX_WORDS = 80


def cue_table():
    cfg = tomllib.loads((ROOT / 'config' / 'language-cues.toml').read_text(encoding='utf8'))
    owners = collections.defaultdict(set)
    for code, words in cfg['words'].items():
        for w in words:
            owners[w].add(code)
    return {w: next(iter(c)) for w, c in owners.items() if len(c) == 1}, cfg.get('decisive', {})


def write_docs(out):
    random.seed(7)
    langs = [l for l in sorted(wordfreq.available_languages()) if l not in ('ja', 'zh', 'ko')]
    for lang in langs:
        pairs = [(w, wordfreq.word_frequency(w, lang)) for w in wordfreq.top_n_list(lang, 5000)]
        words, freqs = zip(*[(w, f) for w, f in pairs if any(c.isalpha() for c in w)])
        d = out / lang
        d.mkdir(parents=True, exist_ok=True)
        for i in range(100):
            paras = [' '.join(random.choices(words, freqs, k=60)).capitalize() + '.' for _ in range(6)]
            (d / f'{lang}_{i:03}.txt').write_text('\n\n'.join(paras) + '\n', encoding='utf8')
    return langs


def shares(text, cue, decisive):
    words = [w.lower() for w in re.findall(r'[^\W\d_]+', text)][:MAX_WORDS]
    hits = collections.Counter(cue[w] for w in words if w in cue)
    return {code: hits[code] / max(len(words), 1) for code in decisive}


def main():
    out = Path(sys.argv[1])
    cue, decisive = cue_table()
    langs = write_docs(out / 'docs')
    print('share of the first 80 words that are cue words: min / p10 / median / max')
    for lang in langs:
        rows = [shares(p.read_text(encoding='utf8')[:1024], cue, decisive) for p in sorted((out / 'docs' / lang).iterdir())]
        cells = []
        for code in decisive:
            s = sorted(r[code] for r in rows)
            cells.append(f'{code} {s[0]:.2f}/{s[len(s) // 10]:.2f}/{s[len(s) // 2]:.2f}/{s[-1]:.2f}')
        print(f'{lang:4} ' + '   '.join(cells))
    if len(sys.argv) > 2:
        subprocess.run([sys.argv[2], 'run', '--no-progress', '--input', str(out / 'docs'),
                        '--output', str(out / 'normalized')], check=True)
        labels = collections.defaultdict(collections.Counter)
        for line in open(out / 'normalized' / 'documents.jsonl', encoding='utf8'):
            r = json.loads(line)
            labels[os.path.basename(r['source']).split('_')[0]][r['language']] += 1
        print('\nlabels docnorm gives each language\'s documents')
        for lang in langs:
            print(f'{lang:4} ' + ', '.join(f'{c} {n}' for c, n in labels[lang].most_common()))


if __name__ == '__main__':
    main()
