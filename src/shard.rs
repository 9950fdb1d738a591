//! Sharding: `--shard I/N` processes a deterministic 1/N of the inputs, chosen by a hash of each
//! input's source (stable across machines and listing orders), so that N machines can split a
//! corpus and `docnorm merge` can join their outputs into what one machine would have written.

use sha2::{Digest, Sha256};

/// Shard `index` of `count` (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Parses `I/N` with 0 ≤ I < N.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("--shard takes I/N with 0 <= I < N, e.g. 0/4; got {s:?}");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// The shard a scheduler assigned through the environment: a Slurm job array
    /// (`SLURM_ARRAY_TASK_ID` of `SLURM_ARRAY_TASK_COUNT`, offset by `SLURM_ARRAY_TASK_MIN`; or of
    /// `DOCNORM_SHARD_COUNT` when set, the task id then being the shard number) or a Kubernetes
    /// Indexed Job (`JOB_COMPLETION_INDEX`, with the count in `DOCNORM_SHARD_COUNT`).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Option<Shard>, String> {
        let num = |name: &str| -> Result<Option<u32>, String> {
            var(name)
                .map(|v| {
                    v.trim()
                        .parse()
                        .map_err(|_| format!("{name}={v:?} is not a whole number"))
                })
                .transpose()
        };
        let fixed_count = num("DOCNORM_SHARD_COUNT")?;
        let (index, count) = if let Some(id) = num("SLURM_ARRAY_TASK_ID")? {
            match fixed_count {
                // A fixed count makes task ids the shard numbers, so one task can be re-submitted
                // on its own (`sbatch --array=2`) and still be shard 2 of N.
                Some(count) => (id, count),
                None => slurm_shard(id, &num)?,
            }
        } else if let Some(index) = num("JOB_COMPLETION_INDEX")? {
            let count = fixed_count.ok_or(
                "JOB_COMPLETION_INDEX is set: set DOCNORM_SHARD_COUNT to the Job's completions",
            )?;
            (index, count)
        } else {
            return Ok(None);
        };
        Shard::parse(&format!("{index}/{count}")).map(Some)
    }

    /// Whether the input named `key` belongs to this shard.
    pub fn contains(&self, key: &str) -> bool {
        let digest = Sha256::digest(key.as_bytes());
        let h = u64::from_le_bytes(digest[..8].try_into().expect("8 bytes"));
        h % self.count as u64 == self.index as u64
    }

    /// `documents.jsonl` → `documents.shard-2-of-4.jsonl`.
    pub fn file_name(&self, base: &str) -> String {
        let (stem, ext) = base.rsplit_once('.').unwrap_or((base, ""));
        format!("{stem}.shard-{}-of-{}.{ext}", self.index, self.count)
    }
}

/// The shard of a contiguous Slurm array task: `ID - MIN` of `COUNT`.
fn slurm_shard(
    id: u32,
    num: &impl Fn(&str) -> Result<Option<u32>, String>,
) -> Result<(u32, u32), String> {
    let count = num("SLURM_ARRAY_TASK_COUNT")?
        .ok_or("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")?;
    let min = num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
    let max = num("SLURM_ARRAY_TASK_MAX")?;
    let index = id
        .checked_sub(min)
        .ok_or("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN")?;
    // A stepped or listed array (--array=0,2,4) or a task re-submitted alone (--array=2) does not
    // number its shards 0..COUNT: guessing would silently process the wrong share of the inputs.
    let contiguous = max.is_none_or(|max| max.checked_sub(min) == count.checked_sub(1));
    if !contiguous || (count == 1 && id != 0) {
        return Err(format!(
            "the Slurm array is not numbered 0..N-1 or MIN..MIN+N-1 (task {id}, count {count}); \
             set DOCNORM_SHARD_COUNT=N (task ids are then the shard numbers) or pass --shard I/N"
        ));
    }
    Ok((index, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!(Shard::parse("1/4"), Ok(Shard { index: 1, count: 4 }));
        for bad in ["4/4", "1/0", "x/2", "3", "-1/2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_key_is_in_exactly_one_shard() {
        for n in 1..=5u32 {
            for key in ["a.txt", "b/c.html", "https://e.org/x", ""] {
                let owners = (0..n)
                    .filter(|&i| Shard { index: i, count: n }.contains(key))
                    .count();
                assert_eq!(owners, 1, "{key} in {n} shards");
            }
        }
    }

    #[test]
    fn scheduler_environments() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
        ]);
        assert_eq!(
            Shard::from_env(slurm),
            Ok(Some(Shard { index: 2, count: 4 }))
        );
        let resubmitted = env(&[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "1"),
            ("SLURM_ARRAY_TASK_MIN", "2"),
            ("SLURM_ARRAY_TASK_MAX", "2"),
        ]);
        assert!(Shard::from_env(resubmitted).is_err());
        let stepped = env(&[
            ("SLURM_ARRAY_TASK_ID", "4"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_MAX", "4"),
        ]);
        assert!(Shard::from_env(stepped).is_err());
        let fixed = env(&[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "1"),
            ("SLURM_ARRAY_TASK_MIN", "2"),
            ("DOCNORM_SHARD_COUNT", "4"),
        ]);
        assert_eq!(
            Shard::from_env(fixed),
            Ok(Some(Shard { index: 2, count: 4 }))
        );
        let k8s = env(&[("JOB_COMPLETION_INDEX", "0"), ("DOCNORM_SHARD_COUNT", "3")]);
        assert_eq!(Shard::from_env(k8s), Ok(Some(Shard { index: 0, count: 3 })));
        assert!(Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "0")])).is_err());
        assert_eq!(Shard::from_env(env(&[])), Ok(None));
    }

    #[test]
    fn file_names_carry_the_shard() {
        let s = Shard { index: 2, count: 4 };
        assert_eq!(
            s.file_name("documents.jsonl"),
            "documents.shard-2-of-4.jsonl"
        );
        assert_eq!(s.file_name("summary.json"), "summary.shard-2-of-4.json");
    }
}
