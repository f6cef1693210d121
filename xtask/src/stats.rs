//! Summaries of benchmark samples: median, minimum, maximum and count, printed the same way by
//! every benchmark.

/// What a set of samples comes to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub count: usize,
}

/// Summarises `samples`; `None` when there are none.
pub fn summarize(samples: &[f64]) -> Option<Summary> {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some(Summary {
        median: *sorted.get(sorted.len() / 2)?,
        min: *sorted.first()?,
        max: *sorted.last()?,
        count: sorted.len(),
    })
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "median {:>7.1} (min {:.1}, max {:.1}, {} runs)",
            self.median, self.min, self.max, self.count
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarizes_unsorted_samples() {
        let summary = summarize(&[30.0, 10.0, 20.0]).expect("samples");
        assert_eq!(
            summary,
            Summary {
                median: 20.0,
                min: 10.0,
                max: 30.0,
                count: 3
            }
        );
        assert_eq!(summarize(&[]), None);
    }
}
