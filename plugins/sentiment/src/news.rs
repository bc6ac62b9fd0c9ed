//! News tone (stub while the engine is verified).
#[derive(Debug, Clone, Copy, Default)]
pub struct NewsScores {
    pub tone: f64,
}
pub fn news_tone(_t: &str) -> NewsScores {
    NewsScores::default()
}
