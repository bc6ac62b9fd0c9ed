//! Event kinds from verbs: a verb table we wrote by hand (`data/verb_classes.tsv`), mapping
//! verb forms to a CAMEO event code, optionally refined by the head noun of the object ("send
//! aid" vs "send troops"). Only the code's root matters: it decides GDELT's four classes.

use std::sync::OnceLock;

use crate::lexicon::HashIdMap;
use crate::text::{word_hash, Kind, Token};

/// GDELT's four event classes (QuadClass), from the CAMEO root code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventClass {
    VerbalCooperation,
    MaterialCooperation,
    VerbalConflict,
    MaterialConflict,
}

impl EventClass {
    /// QuadClass of a CAMEO code such as `042`, `0344` or `190` (the first two digits).
    pub fn from_cameo(code: &str) -> Option<Self> {
        let root: u32 = code.get(..2)?.parse().ok()?;
        Some(match root {
            // GDELT's QuadClass: 01-05 verbal cooperation (05 is diplomatic cooperation),
            // 06-08 material cooperation, 09-13 verbal conflict, 14-20 material conflict.
            1..=5 => EventClass::VerbalCooperation,
            6..=8 => EventClass::MaterialCooperation,
            9..=13 => EventClass::VerbalConflict,
            14..=20 => EventClass::MaterialConflict,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EventClass::VerbalCooperation => "verbal_cooperation",
            EventClass::MaterialCooperation => "material_cooperation",
            EventClass::VerbalConflict => "verbal_conflict",
            EventClass::MaterialConflict => "material_conflict",
        }
    }

    pub fn is_conflict(self) -> bool {
        matches!(self, EventClass::VerbalConflict | EventClass::MaterialConflict)
    }
}

/// One verb's CAMEO coding.
#[derive(Debug, Clone, Default)]
pub struct VerbEntry {
    /// Code of the verb alone (`None`: the verb alone is no event).
    pub code: Option<String>,
    /// Codes for object head nouns: (noun hash, code).
    pub objects: Vec<(u64, String)>,
    /// Codes for objects from a synonym set: (set index, code).
    pub sets: Vec<(u32, String)>,
}

/// Verb form → entry, and the synonym sets object patterns refer to.
#[derive(Debug, Default)]
pub struct VerbTable {
    forms: HashIdMap<u32>,
    entries: Vec<VerbEntry>,
    /// Word hash → indices of the synonym sets holding it.
    set_words: HashIdMap<Vec<u32>>,
}

/// A verb that codes an event, found in a token span.
#[derive(Debug, Clone)]
pub struct EventCue {
    pub tok: usize,
    pub code: String,
    pub class: EventClass,
}

/// Verbs of alignment between states, with the CAMEO
/// code of the act they name (our own additions, general English).
const OWN_VERBS: &[(&str, &str)] = &[
    ("distance distances distanced distancing", "161"),
    ("side sides sided siding", "051"),
    ("snub snubs snubbed snubbing", "110"),
    ("shun shuns shunned shunning", "161"),
    ("befriend befriends befriended befriending", "050"),
];

pub const VERB_TABLE_FILE: &str = "data/verb_classes.tsv";
static VERB_SRC: &str = include_str!("../data/verb_classes.tsv");

impl VerbTable {
    /// Parses the table: `&SET<TAB>word word…` lines, then
    /// `form form…<TAB>code-or-dash<TAB>noun:code,&SET:code…` lines.
    pub fn parse(text: &str) -> Result<Self, String> {
        // Room for the committed table's forms and set words (some 700 and 30), so that the
        // maps are not grown and rehashed eight times over while they fill.
        let mut t = VerbTable {
            forms: HashIdMap::with_capacity_and_hasher(1024, Default::default()),
            set_words: HashIdMap::with_capacity_and_hasher(64, Default::default()),
            ..Default::default()
        };
        let mut set_names: Vec<String> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut parts = line.split('\t');
            let (Some(head), Some(rest)) = (parts.next(), parts.next()) else {
                return Err(format!("{VERB_TABLE_FILE} line {}: expected at least two tab-separated fields", n + 1));
            };
            if head.starts_with('&') {
                let idx = set_names.len() as u32;
                set_names.push(head.to_string());
                // Split at ASCII whitespace: the table is ASCII (a test checks), and Unicode's
                // whitespace test per character cost half the parse.
                for w in rest.split_ascii_whitespace() {
                    t.set_words.entry(word_hash(w)).or_default().push(idx);
                }
                continue;
            }
            let mut entry = VerbEntry { code: (rest != "-").then(|| rest.to_string()), ..Default::default() };
            for o in parts.next().unwrap_or("").split(',').filter(|o| !o.is_empty()) {
                let Some((noun, c)) = o.split_once(':') else {
                    return Err(format!("{VERB_TABLE_FILE} line {}: bad object `{o}`", n + 1));
                };
                if noun.starts_with('&') {
                    let Some(i) = set_names.iter().position(|s| s == noun) else {
                        return Err(format!("{VERB_TABLE_FILE} line {}: unknown set `{noun}`", n + 1));
                    };
                    entry.sets.push((i as u32, c.to_string()));
                } else {
                    entry.objects.push((word_hash(noun), c.to_string()));
                }
            }
            let idx = t.entries.len() as u32;
            t.entries.push(entry);
            for f in head.split_ascii_whitespace() {
                // The first block that lists a form codes it, as in the dictionary's order.
                t.forms.entry(word_hash(f)).or_insert(idx);
            }
        }
        Ok(t)
    }

    pub fn get() -> &'static VerbTable {
        static T: OnceLock<VerbTable> = OnceLock::new();
        // The file is ours and compiled in; should it ever be malformed, events are
        // simply not coded (the unit tests catch that).
        T.get_or_init(|| {
            let mut t = VerbTable::parse(VERB_SRC).unwrap_or_default();
            t.add_own(OWN_VERBS);
            t
        })
    }

    /// Adds the alignment verbs (only forms the table does not already code).
    fn add_own(&mut self, lines: &[(&str, &str)]) {
        for (forms, code) in lines {
            let idx = self.entries.len() as u32;
            self.entries.push(VerbEntry { code: Some(code.to_string()), ..Default::default() });
            for f in forms.split_whitespace() {
                self.forms.entry(word_hash(f)).or_insert(idx);
            }
        }
    }

    /// Whether a token (by hash) is a verb form of the table.
    #[inline]
    pub fn knows(&self, hash: u64) -> bool {
        self.forms.contains_key(&hash)
    }

    /// Number of verb forms known.
    pub fn len(&self) -> usize {
        self.forms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// The event coded by the verb at `i`, looking for an object noun up to five tokens after
    /// it (before the next clause punctuation) to refine the code.
    pub fn event_at(&self, toks: &[Token], text: &str, i: usize) -> Option<EventCue> {
        let entry = &self.entries[*self.forms.get(&toks[i].hash)? as usize];
        let mut code = None;
        if !entry.objects.is_empty() || !entry.sets.is_empty() {
            // The last match before a clause break, a preposition or an infinitive: the head of
            // the object noun phrase ("the trade agreement" is an agreement).
            for t in toks.iter().skip(i + 1).take(5) {
                let w = &text[t.start..t.end];
                if t.kind != Kind::Word
                    || matches!(w, "with" | "for" | "on" | "in" | "from" | "by" | "against" | "of" | "to")
                {
                    break;
                }
                if let Some((_, c)) = entry.objects.iter().find(|(h, _)| *h == t.hash) {
                    code = Some(c.clone());
                    continue;
                }
                if let Some(sets) = self.set_words.get(&t.hash) {
                    if let Some((_, c)) = entry.sets.iter().find(|(s, _)| sets.contains(s)) {
                        code = Some(c.clone());
                    }
                }
            }
        }
        let code = code.or_else(|| entry.code.clone())?;
        let class = EventClass::from_cameo(&code)?;
        Some(EventCue { tok: i, code, class })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quad_classes_follow_gdelt() {
        assert_eq!(EventClass::from_cameo("042"), Some(EventClass::VerbalCooperation));
        assert_eq!(EventClass::from_cameo("0344"), Some(EventClass::VerbalCooperation));
        assert_eq!(EventClass::from_cameo("073"), Some(EventClass::MaterialCooperation));
        assert_eq!(EventClass::from_cameo("112"), Some(EventClass::VerbalConflict));
        assert_eq!(EventClass::from_cameo("190"), Some(EventClass::MaterialConflict));
        assert_eq!(EventClass::from_cameo("---"), None);
    }

    /// The committed table's entries are ASCII, so that splitting them at ASCII whitespace
    /// finds the words a split at any whitespace would; and it codes the forms it lists.
    #[test]
    fn committed_table_is_ascii_and_parses() {
        assert!(VERB_SRC.lines().filter(|l| !l.starts_with('#')).all(|l| l.is_ascii()));
        let t = VerbTable::get();
        assert!(t.forms.len() > 600 && t.set_words.len() > 20, "{} forms", t.forms.len());
        assert!(t.knows(word_hash("attacked")) && t.knows(word_hash("snubbed")));
    }

    #[test]
    fn object_nouns_refine_the_code() {
        let table =
            VerbTable::parse("&ARMY\ttroops soldiers\nsend sent\t-\taid:070,&ARMY:150\nattack attacked\t190\t\n")
                .unwrap();
        let text = "Gondor sent humanitarian aid to Arnor. Mordor attacked Gondor.";
        let mut toks = Vec::new();
        crate::text::tokenize(text, 0, &mut toks);
        let e = table.event_at(&toks, text, 1).expect("sent aid is an event");
        assert_eq!((e.code.as_str(), e.class), ("070", EventClass::MaterialCooperation));
        let e = table.event_at(&toks, text, 8).expect("attacked is an event");
        assert_eq!(e.class, EventClass::MaterialConflict);
        assert!(table.event_at(&toks, text, 0).is_none());
        let text = "Gondor sent troops.";
        let mut toks = Vec::new();
        crate::text::tokenize(text, 0, &mut toks);
        assert_eq!(table.event_at(&toks, text, 1).map(|e| e.class), Some(EventClass::MaterialConflict));
    }
}
