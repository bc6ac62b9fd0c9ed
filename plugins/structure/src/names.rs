//! Who speaks: speech verbs, titles, and the proper-noun runs around them. Our own small
//! lexicons; every look-up reads a bounded number of tokens, so it stays cheap on any input.

use crate::abbrev::opens_sentence;
use crate::scan::{core_of, is_capitalized, tokens_back, tokens_fwd};

/// Verbs that introduce or attribute speech (lowercase).
pub fn is_speech_verb(word: &str) -> bool {
    matches!(
        word,
        "said"
            | "says"
            | "say"
            | "stressed"
            | "stresses"
            | "noted"
            | "notes"
            | "told"
            | "tells"
            | "added"
            | "adds"
            | "claimed"
            | "claims"
            | "warned"
            | "warns"
            | "stated"
            | "states"
            | "explained"
            | "explains"
            | "wrote"
            | "writes"
            | "tweeted"
            | "tweets"
            | "asked"
            | "asks"
            | "argued"
            | "argues"
            | "insisted"
            | "insists"
            | "declared"
            | "declares"
            | "announced"
            | "announces"
            | "continued"
            | "replied"
            | "remarked"
            | "observed"
            | "suggested"
            | "suggests"
            | "emphasized"
            | "emphasised"
            | "emphasizes"
            | "emphasises"
            | "urged"
            | "recalled"
            | "admitted"
            | "acknowledged"
            | "complained"
            | "commented"
            | "posted"
            | "concluded"
            | "maintained"
            | "contended"
            | "predicted"
            | "cautioned"
            | "vowed"
            | "underlined"
            | "underscored"
            | "alleged"
            | "asserted"
            | "countered"
            | "responded"
            | "answered"
            | "shouted"
            | "yelled"
            | "whispered"
            | "joked"
            | "boasted"
            | "conceded"
            | "confirmed"
            | "denied"
            | "agreed"
            | "revealed"
            | "quipped"
            | "testified"
            | "recounted"
            | "lamented"
            | "charged"
            | "demanded"
            | "promised"
            | "thundered"
            | "exclaimed"
            | "mused"
            | "pointed"
            | "reiterated"
            | "assured"
            | "saying"
            | "adding"
            | "noting"
            | "stressing"
            | "warning"
            | "claiming"
            | "arguing"
            | "insisting"
            | "explaining"
            | "pointing"
            | "emphasizing"
            | "emphasising"
    )
}

/// Verbs after which an object may stand before `that` (told reporters that …).
pub fn takes_object(word: &str) -> bool {
    matches!(
        word,
        "told"
            | "tells"
            | "assured"
            | "warned"
            | "reminded"
            | "informed"
            | "promised"
            | "asked"
            | "pointed"
            | "pointing"
    )
}

/// Titles, offices and honorifics that precede a name (compared in lowercase; a hyphenated
/// title such as Director-General counts when a part is one).
pub fn is_title(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let lower = lower.trim_end_matches('.');
    if lower.contains('-') {
        return lower.split('-').any(is_title_part);
    }
    is_title_part(lower)
}

fn is_title_part(w: &str) -> bool {
    matches!(
        w,
        "president"
            | "prime"
            | "minister"
            | "secretary"
            | "senator"
            | "sen"
            | "rep"
            | "representative"
            | "gov"
            | "governor"
            | "mayor"
            | "chancellor"
            | "general"
            | "gen"
            | "director"
            | "chairman"
            | "chairwoman"
            | "chair"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "deputy"
            | "ambassador"
            | "judge"
            | "justice"
            | "king"
            | "queen"
            | "prince"
            | "princess"
            | "pope"
            | "mr"
            | "mrs"
            | "ms"
            | "dr"
            | "prof"
            | "professor"
            | "vice"
            | "chief"
            | "executive"
            | "ceo"
            | "rev"
            | "lt"
            | "col"
            | "capt"
            | "sgt"
            | "adm"
            | "attorney"
            | "speaker"
            | "leader"
            | "commissioner"
            | "officer"
            | "lawmaker"
            | "congressman"
            | "congresswoman"
            | "councilman"
            | "councilwoman"
            | "sheriff"
            | "detective"
            | "sergeant"
            | "lieutenant"
            | "colonel"
            | "captain"
            | "admiral"
            | "commander"
            | "coach"
            | "elect"
            | "premier"
            | "envoy"
            | "adviser"
            | "advisor"
            | "aide"
            | "official"
            | "analyst"
            | "expert"
            | "economist"
            | "editor"
            | "founder"
            | "candidate"
            | "host"
            | "anchor"
            | "author"
            | "columnist"
            | "correspondent"
            | "reporter"
            | "member"
            | "head"
            | "sir"
            | "dame"
            | "lord"
            | "lady"
            | "emir"
            | "sheikh"
            | "ayatollah"
            | "cardinal"
            | "bishop"
            | "father"
            | "rabbi"
            | "imam"
            | "senior"
            | "former"
            | "acting"
            | "interim"
            | "assistant"
    )
}

/// Capitalized words that are not names when they open a run (sentence openers, pronouns).
fn is_function_word(word: &str) -> bool {
    opens_sentence(word) || matches!(word, "Said" | "Says" | "Mr" | "Ms" | "Mrs")
}

/// Name particles allowed inside a name (Charles de Gaulle, Osama bin Laden).
fn is_particle(word: &str) -> bool {
    matches!(
        word,
        "de" | "van" | "von" | "bin" | "al" | "da" | "di" | "du" | "der" | "del" | "la" | "le" | "ibn" | "el"
    )
}

/// Whether a token (already stripped of marks) can be part of a proper-noun run.
fn is_name_token(tok: &str) -> bool {
    is_capitalized(tok) && tok.chars().any(char::is_alphabetic)
}

/// Removes a possessive ending (Fyodorov’s → Fyodorov).
fn strip_possessive(text: &str, a: usize, z: usize) -> usize {
    let t = &text[a..z];
    for suffix in ["’s", "'s", "’", "'"] {
        if t.len() > suffix.len() && t.ends_with(suffix) {
            return z - suffix.len();
        }
    }
    z
}

/// From a run of name tokens (byte ranges of token cores), the name part: the tokens after the
/// last title word and without leading function words. `None` if nothing name-like is left.
fn name_part(text: &str, run: &[(usize, usize)]) -> Option<(usize, usize)> {
    let mut from = 0;
    for (k, &(a, z)) in run.iter().enumerate() {
        if is_title(&text[a..z]) {
            from = k + 1;
        }
    }
    let mut rest = &run[from..];
    while let Some(&(a, z)) = rest.first() {
        if is_function_word(&text[a..z]) || is_particle(&text[a..z]) {
            rest = &rest[1..];
        } else {
            break;
        }
    }
    while let Some(&(a, z)) = rest.last() {
        if is_particle(&text[a..z]) {
            rest = &rest[..rest.len() - 1];
        } else {
            break;
        }
    }
    let (&(a, _), &(_, z)) = (rest.first()?, rest.last()?);
    let z = strip_possessive(text, a, z);
    (z > a).then_some((a, z))
}

/// The proper-noun run that ends at `end` (tokens read backwards from there, at most 8), as
/// its name part. Used for "Fyodorov stressed" and "State Duma deputy Yevgeny Fyodorov said".
pub fn name_before(text: &str, lo: usize, end: usize) -> Option<(usize, usize)> {
    let toks = tokens_back(text, lo, end, 8);
    let mut run: Vec<(usize, usize)> = Vec::new();
    for (k, &(a, z)) in toks.iter().enumerate() {
        let (ca, cz) = core_of(text, a, z);
        if ca >= cz {
            break;
        }
        // A token followed by a comma, period or closing mark belongs to an earlier clause,
        // unless it is the one closest to `end` (whose trailing mark the caller allowed).
        if k > 0 && cz < z && !text[ca..z].ends_with('.') {
            break;
        }
        let tok = &text[ca..cz];
        if is_name_token(tok) || (!run.is_empty() && is_particle(tok)) {
            run.push((ca, cz));
            if k > 0 && text[ca..z].ends_with('.') && !is_title(tok) && tok.chars().count() > 1 {
                // "... in Moscow. Putin said": the period ends the run.
                run.pop();
                break;
            }
        } else {
            break;
        }
    }
    run.reverse();
    name_part(text, &run)
}

/// The proper-noun run that starts at `start` (tokens read forwards, at most 10), skipping an
/// article and restarting after a lowercase title ("said State Department spokesman Ned Price").
pub fn name_after(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let toks = tokens_fwd(text, start, end, 10);
    let mut run: Vec<(usize, usize)> = Vec::new();
    for (k, &(a, z)) in toks.iter().enumerate() {
        let (ca, cz) = core_of(text, a, z);
        if ca >= cz {
            break;
        }
        let tok = &text[ca..cz];
        if k == 0 && tok == "the" {
            continue;
        }
        if is_name_token(tok) || (!run.is_empty() && is_particle(tok)) {
            run.push((ca, cz));
        } else if is_title(tok) && tok.chars().all(|c| c.is_lowercase() || c == '-') {
            run.clear();
        } else {
            break;
        }
        // A trailing comma or period ends the name (", who …", "said Putin.").
        if cz < z && !(text[cz..z] == *"." && is_title(tok)) {
            break;
        }
    }
    name_part(text, &run)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn before(t: &str) -> Option<&str> {
        name_before(t, 0, t.len()).map(|(a, b)| &t[a..b])
    }

    fn after(t: &str) -> Option<&str> {
        name_after(t, 0, t.len()).map(|(a, b)| &t[a..b])
    }

    #[test]
    fn names_around_verbs() {
        assert_eq!(before("State Duma deputy Yevgeny Fyodorov"), Some("Yevgeny Fyodorov"));
        assert_eq!(before("Armenian Prime Minister Nikol Pashinyan"), Some("Nikol Pashinyan"));
        assert_eq!(before("WHO Director-General Tedros Adhanom"), Some("Tedros Adhanom"));
        assert_eq!(before("in Moscow. Putin"), Some("Putin"));
        assert_eq!(before("But Tedros"), Some("Tedros"));
        assert_eq!(before("Mr. Singh"), Some("Singh"));
        assert_eq!(before("the woman"), None);
        assert_eq!(before("He"), None);
        assert_eq!(after("Pashinyan."), Some("Pashinyan"));
        assert_eq!(after("State Department spokesman Ned Price, adding"), Some("Ned Price"));
        assert_eq!(after("the Kremlin’s statement"), Some("Kremlin"));
        assert_eq!(after("the woman, who"), None);
        assert_eq!(after("Fyodorov’s logic"), Some("Fyodorov"));
    }
}
