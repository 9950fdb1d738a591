#!/bin/sh
# Accuracy per language (single sentences and documents) and MB/s of whatlang alone and of
# docnorm's detector, on UDHR sentences and on sentences written for docnorm. Writes
# bench/results/detect-*.md. Run from the project root; the machine should be otherwise idle.
set -eu
mkdir -p bench/results
for set in udhr written; do
    cargo bench --quiet --bench detect -- "bench/data/$set-sentences.tsv" | tee "bench/results/detect-$set.md"
done
cargo bench --quiet --bench detect -- bench/data/written-titles.tsv | tee bench/results/detect-titles.md
