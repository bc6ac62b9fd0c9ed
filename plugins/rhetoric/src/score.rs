//! The span measure of SemEval-2020 Task 11 (subtask SI), for training and evaluation.
//!
//! Overlapping spans are merged first (in predictions and gold alike). Each predicted span
//! `s` earns `|s ∩ t| / |s|` summed over gold spans `t`, and precision is the total over the
//! number of predicted spans; recall is symmetric (`|s ∩ t| / |t|` over the number of gold
//! spans). Offsets are code points, so credit is per character as in the task's scorer.

/// Running totals over many articles.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SpanScore {
    pub precision_sum: f64,
    pub predicted: usize,
    pub recall_sum: f64,
    pub gold: usize,
}

impl SpanScore {
    /// Adds one article's spans (labels ignored, or already filtered to one label).
    pub fn add(&mut self, predicted: &[(usize, usize)], gold: &[(usize, usize)]) {
        let p = merge(predicted);
        let g = merge(gold);
        self.predicted += p.len();
        self.gold += g.len();
        for &(ps, pe) in &p {
            for &(gs, ge) in &g {
                let inter = pe.min(ge).saturating_sub(ps.max(gs));
                if inter > 0 {
                    self.precision_sum += inter as f64 / (pe - ps) as f64;
                    self.recall_sum += inter as f64 / (ge - gs) as f64;
                }
            }
        }
    }

    pub fn merge_from(&mut self, other: &SpanScore) {
        self.precision_sum += other.precision_sum;
        self.predicted += other.predicted;
        self.recall_sum += other.recall_sum;
        self.gold += other.gold;
    }

    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            0.0
        } else {
            self.precision_sum / self.predicted as f64
        }
    }

    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            self.recall_sum / self.gold as f64
        }
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Sorts spans and merges those that overlap; empty spans are dropped.
pub fn merge(spans: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut v: Vec<(usize, usize)> = spans.iter().copied().filter(|(s, e)| e > s).collect();
    v.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_partial_overlap_per_character_and_merges_overlaps() {
        let mut s = SpanScore::default();
        // Predicted 0..10 overlaps gold 5..15 by 5: precision 5/10, recall 5/10.
        s.add(&[(0, 10), (2, 8)], &[(5, 15), (30, 40)]);
        assert_eq!(s.predicted, 1, "overlapping predictions merge");
        assert_eq!(s.gold, 2);
        assert!((s.precision() - 0.5).abs() < 1e-12);
        assert!((s.recall() - 0.25).abs() < 1e-12);
        assert!((s.f1() - 2.0 * 0.5 * 0.25 / 0.75).abs() < 1e-12);
        assert_eq!(SpanScore::default().f1(), 0.0);
    }
}
