//! The tokens the news lexicon file has entries for, read from its text. Shared by `build.rs`,
//! which gives each of them an id in the static token table (so that one lookup per token
//! finds both its VADER and its news entry), and the news tone, which parses the file.

/// What `{poss}` in an idiom stands for: a possessive or an article.
pub const POSS: &[&str] = &["its", "his", "her", "their", "our", "my", "your", "the", "a", "an"];

/// Every token with an entry (its words, neutral words, hedges, reports, and the words that
/// can start an idiom), sorted and without repeats. Lines that do not parse are skipped here;
/// the news tone's parser reports them.
#[cfg_attr(not(test), allow(dead_code))]
pub fn keys(src: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for line in src.lines() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let Some(entry) = cols.get(1).map(|s| s.trim()).filter(|s| !s.is_empty()) else { continue };
        match cols[0] {
            "word" | "neutral" | "hedge" | "report" => keys.push(entry.to_string()),
            "idiom" | "fixed" => match entry.split(' ').find(|s| !s.is_empty()) {
                Some("{poss}") => keys.extend(POSS.iter().map(|p| p.to_string())),
                Some("~") | None => {}
                Some(alts) => keys.extend(alts.split('|').map(str::to_string)),
            },
            _ => {}
        }
    }
    keys.sort();
    keys.dedup();
    keys
}
