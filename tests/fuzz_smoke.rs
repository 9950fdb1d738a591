//! A fuzz smoke run on the stable toolchain (the cargo-fuzz targets in `fuzz/` need nightly
//! features): random byte strings and mutations of the seed corpus through `Pipeline::process`.
//! No input may panic (an `internal error` reject); every outcome is a document with clean text or
//! a reject that says why.

use std::sync::OnceLock;

use docnorm::pipeline::Outcome;
use docnorm::{Config, Pipeline, RawInput, RejectReason};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use unicode_normalization::is_nfc;

/// The real per-document path runs on the workers' large stacks (src/parallel.rs); so does this.
const STACK_BYTES: usize = 256 * 1024 * 1024;

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::new(&Config::built_in().unwrap()).unwrap())
}

fn seeds() -> Vec<Vec<u8>> {
    let fuzz_seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/seeds");
    let raw = concat!(env!("CARGO_MANIFEST_DIR"), "/raw");
    let mut seeds: Vec<Vec<u8>> = [raw, fuzz_seeds]
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).unwrap())
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    seeds.sort();
    seeds
}

/// One edit to a byte string, at a position given as a fraction of its length.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBit { at: f64, bit: u8 },
    Truncate { at: f64 },
    Insert { at: f64, bytes: Vec<u8> },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let fraction = 0.0..1.0f64;
    let insertion = prop_oneof![
        (1usize..3000).prop_map(|n| b"<div>".repeat(n)),
        (1usize..3000).prop_map(|n| b"</div>".repeat(n)),
        (1usize..64).prop_map(|n| vec![0u8; n]),
        prop::collection::vec(0x80u8..=0xff, 1..8),
        Just(b"<html><head><title>=t</title></head><body>".to_vec()),
        Just(b"\xef\xbb\xbf".to_vec()),
        Just(b"\r\n\r".to_vec()),
        prop::collection::vec(any::<u8>(), 1..64),
    ];
    prop_oneof![
        (fraction.clone(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        fraction.clone().prop_map(|at| Mutation::Truncate { at }),
        (fraction, insertion).prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let pos = |at: f64| ((bytes.len() as f64) * at) as usize;
        match m {
            Mutation::FlipBit { at, bit } if !bytes.is_empty() => {
                let i = pos(*at).min(bytes.len() - 1);
                bytes[i] ^= 1 << bit;
            }
            Mutation::FlipBit { .. } => {}
            Mutation::Truncate { at } => bytes.truncate(pos(*at)),
            Mutation::Insert { at, bytes: insert } => {
                let i = pos(*at);
                bytes.splice(i..i, insert.iter().copied());
            }
        }
    }
    bytes
}

/// Runs the pipeline on `bytes` and checks the outcome's invariants.
fn check(bytes: Vec<u8>, extension: Option<&str>) -> Result<(), TestCaseError> {
    let raw = RawInput {
        source: "fuzz".into(),
        extension: extension.map(String::from),
        bytes,
        ..RawInput::default()
    };
    match pipeline().process(raw) {
        Outcome::Document(doc) => {
            let bad = doc
                .text
                .chars()
                .find(|&c| c.is_control() && c != '\n' && c != '\t');
            prop_assert_eq!(bad, None, "control character in text");
            prop_assert!(is_nfc(&doc.text), "text is not NFC");
            prop_assert_eq!(doc.chars, doc.text.chars().count() as u64);
        }
        Outcome::Reject { reject, .. } => {
            prop_assert_ne!(
                reject.reason,
                RejectReason::InternalError,
                "{}",
                reject.detail
            );
            prop_assert!(!reject.detail.is_empty(), "reject without a detail");
        }
    }
    Ok(())
}

fn extension() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![Just(None), Just(Some("txt")), Just(Some("html"))]
}

fn run_smoke() {
    let seeds = seeds();
    let mut runner = TestRunner::new(RunnerConfig {
        cases: 300,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let random = (prop::collection::vec(any::<u8>(), 0..4096), extension());
    runner
        .run(&random, |(bytes, ext)| check(bytes, ext))
        .unwrap();
    let mutated = (
        0..seeds.len(),
        prop::collection::vec(mutation(), 1..6),
        extension(),
    );
    runner
        .run(&mutated, |(seed, mutations, ext)| {
            check(mutate(seeds[seed].clone(), &mutations), ext)
        })
        .unwrap();
}

#[test]
fn random_and_mutated_inputs_never_panic_and_always_yield_a_sound_outcome() {
    std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(run_smoke)
        .unwrap()
        .join()
        .unwrap();
}
