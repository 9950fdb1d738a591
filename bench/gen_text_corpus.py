#!/usr/bin/env python3
"""Generates a plain-text corpus of about SIZE_MB megabytes from the sample documents in raw/.

usage: gen_text_corpus.py RAW_DIR OUT_DIR SIZE_MB [SEED]

Each output file is a shuffled mix of the seeds' paragraphs with spelling variants, boilerplate
lines, hard wraps, CRLF line ends and some legacy encodings, so every stage has real work to do.
Deterministic for a given SEED. Never commit what it writes.
"""
import os, random, sys, textwrap

raw_dir, out_dir, size_mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 42)
paragraphs = []
for name in sorted(os.listdir(raw_dir)):
    with open(os.path.join(raw_dir, name), encoding='utf-8') as f:
        paragraphs += [p.strip() for p in f.read().split('\n\n') if len(p.strip()) > 40]
variants = [('Almaty', 'Almata'), ('Almaty', 'Alma-Ata'), ('Nazarbayev', 'Nazabayev'),
            ('Kazakhstan', 'Kazakstan'), ('Tasmagambetov', 'Tasmagambegov')]
boilerplate = ['Share this:', 'Like this:', 'Leave a Reply', 'Your email address will not be published.',
               'Previous articleA title of another story', 'Be the first to comment']
target = int(size_mb * 1_000_000)
written, n = 0, 0
while written < target:
    paras = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(8, 40)))
    text = []
    for p in paras:
        for canon, var in variants:
            if rng.random() < 0.3:
                p = p.replace(canon, var, 1)
        if rng.random() < 0.2:
            p = '\n'.join(textwrap.wrap(p, 72))
        text.append(p)
    text = 'Headline number %d about land in Almaty\n\n' % n + '\n\n'.join(text)
    text += '\n\n' + '\n\n'.join(rng.sample(boilerplate, k=rng.randint(0, 4))) + '\n'
    r = rng.random()
    if r < 0.05:
        data = text.replace('\n', '\r\n').encode('utf-8')
    elif r < 0.08:
        data = text.encode('utf-16')
    elif r < 0.10:
        data = text.encode('windows-1252', errors='replace')
    else:
        data = text.encode('utf-8')
    sub = os.path.join(out_dir, '%03d' % (n // 1000))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, '%07d.txt' % n), 'wb') as f:
        f.write(data)
    written += len(data)
    n += 1
print(f'{n} files, {written / 1e6:.1f} MB in {out_dir}')
