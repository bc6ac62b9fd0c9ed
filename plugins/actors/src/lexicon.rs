//! The word lists the name patterns use: titles (`data/titles.txt`), given names
//! (`data/given_names.txt`), organization head words and capitalized function words. All are
//! written by hand for Slant and parsed once.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const TITLES: &str = include_str!("../data/titles.txt");
const GIVEN_NAMES: &str = include_str!("../data/given_names.txt");

/// What a title says about its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TitleClass {
    HeadState,
    HeadGov,
    Leader,
    Royal,
    Minister,
    Counterpart,
    /// Any other office or description of a person.
    Person,
    /// A description of an organization ("state gas producer").
    Org,
}

impl TitleClass {
    fn parse(s: &str) -> TitleClass {
        match s {
            "head_state" => TitleClass::HeadState,
            "head_gov" => TitleClass::HeadGov,
            "leader" => TitleClass::Leader,
            "royal" => TitleClass::Royal,
            "minister" => TitleClass::Minister,
            "counterpart" => TitleClass::Counterpart,
            "org" => TitleClass::Org,
            _ => TitleClass::Person,
        }
    }

    pub fn is_head(self) -> bool {
        matches!(self, TitleClass::HeadState | TitleClass::HeadGov | TitleClass::Leader | TitleClass::Royal)
    }
}

pub struct Lexicon {
    /// Lower-cased title phrase (words joined by one space) → class.
    pub titles: HashMap<String, TitleClass>,
    /// Lower-cased first words of titles, to skip the phrase lookup for most words.
    pub title_first_words: HashSet<String>,
    pub max_title_words: usize,
    pub given_names: HashSet<&'static str>,
}

pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut titles = HashMap::new();
        let mut title_first_words = HashSet::new();
        let mut max_title_words = 1;
        for line in TITLES.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (phrase, class) = line.split_once('|').unwrap_or((line, "other"));
            let words: Vec<String> = phrase.split_whitespace().map(str::to_lowercase).collect();
            max_title_words = max_title_words.max(words.len());
            if let Some(first) = words.first() {
                // Hyphenated titles ("president-elect") are looked up by their first part.
                title_first_words.insert(first.split('-').next().unwrap_or(first).to_string());
            }
            titles.insert(words.join(" "), TitleClass::parse(class.trim()));
        }
        let given_names =
            GIVEN_NAMES.lines().filter(|l| !l.trim_start().starts_with('#')).flat_map(str::split_whitespace).collect();
        Lexicon { titles, title_first_words, max_title_words, given_names }
    })
}

/// Capitalized words that end (or head) an organization's name.
pub const ORG_HEADS: &[&str] = &[
    "Party",
    "Ministry",
    "Council",
    "Agency",
    "Service",
    "Services",
    "Bank",
    "Corporation",
    "Corp.",
    "Company",
    "Co.",
    "Inc.",
    "Inc",
    "Ltd",
    "Ltd.",
    "LLC",
    "Group",
    "Institute",
    "Committee",
    "Commission",
    "Foundation",
    "Association",
    "Union",
    "Army",
    "Navy",
    "Court",
    "Parliament",
    "Assembly",
    "Front",
    "Movement",
    "Organization",
    "Organisation",
    "University",
    "Department",
    "Authority",
    "Administration",
    "Bureau",
    "Guard",
    "Forces",
    "Fund",
    "Church",
    "Board",
    "League",
    "Alliance",
    "Coalition",
    "Caucus",
    "Cabinet",
    "Police",
    "Airlines",
    "Airways",
    "Network",
    "Times",
    "Post",
    "Journal",
    "News",
    "Press",
    "Television",
    "Radio",
    "Federation",
    "Brigade",
    "Brigades",
    "Office",
    "Center",
    "Centre",
    "Society",
    "Congress",
    "Senate",
    "Duma",
    "Legislature",
    "Holdings",
    "Industries",
    "Bloc",
    "Council.",
    "Directorate",
    "Tribunal",
    "Academy",
    "College",
    "School",
    "Hospital",
    "Trust",
    "Partnership",
    "Institution",
];

pub fn is_org_head(word: &str) -> bool {
    ORG_HEADS.contains(&word)
}

/// Capitalized words that begin sentences or headings but never begin a name.
pub const CAP_STOP: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "For",
    "But",
    "And",
    "Or",
    "This",
    "That",
    "These",
    "Those",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "Your",
    "When",
    "While",
    "If",
    "As",
    "After",
    "Before",
    "During",
    "Under",
    "With",
    "From",
    "By",
    "Of",
    "To",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "There",
    "Here",
    "What",
    "Who",
    "Why",
    "How",
    "Where",
    "Which",
    "Yet",
    "So",
    "Now",
    "Then",
    "Also",
    "Still",
    "However",
    "Meanwhile",
    "Moreover",
    "Indeed",
    "Thus",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Is",
    "Was",
    "Are",
    "Were",
    "Do",
    "Does",
    "Did",
    "Not",
    "No",
    "Yes",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Some",
    "Many",
    "Most",
    "All",
    "Every",
    "Each",
    "According",
    "Although",
    "Because",
    "Since",
    "Until",
    "Unlike",
    "Like",
    "Even",
    "Just",
    "Only",
    "Over",
    "About",
    "Against",
    "Among",
    "Between",
    "Through",
    "Following",
    "Despite",
    "Without",
    "Within",
    "Amid",
    "Per",
    "Via",
    "Prior",
    "Last",
    "Next",
    "First",
    "New",
    "Former",
    "Late",
    "Both",
    "Either",
    "Neither",
    "Nor",
    "Such",
    "Then",
    "Instead",
    "Once",
    "Whether",
    "Will",
    "Would",
    "Could",
    "Should",
    "May",
    "Might",
    "Must",
    "Can",
    "Christmas",
    "Easter",
    "Thanksgiving",
    "God",
];

pub fn is_cap_stop(word: &str) -> bool {
    CAP_STOP.contains(&word)
}

/// Lower-case particles inside names ("Charles de Gaulle", "Bashar al-Assad").
pub const PARTICLES: &[&str] = &[
    "de", "da", "di", "del", "van", "von", "der", "den", "bin", "ibn", "bint", "al", "el", "la", "le", "du", "dos",
    "das", "ben",
];

/// Words that may sit between a state and a title or description ("Russia’s state gas
/// producer and exporter Gazprom"); function words end the search.
pub const LEFT_STOP: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these", "those", "of", "in",
    "on", "at", "to", "by", "with", "for", "from", "as", "which", "who", "whom", "whose", "said", "says", "say", "is",
    "was", "are", "were", "be", "been", "has", "have", "had", "will", "would", "can", "could", "not", "but", "or",
    "when", "while", "after", "before", "than", "then", "it", "he", "she", "they", "we", "i", "you", "told", "asked",
];

pub const DETERMINERS: &[&str] =
    &["the", "his", "her", "its", "their", "our", "The", "His", "Her", "Its", "Their", "Our"];

/// Verbs of saying that mark the name beside them as a person ("Smith said", "said Smith").
pub const SPEECH_VERBS: &[&str] =
    &["said", "says", "told", "added", "wrote", "argued", "noted", "explained", "stressed", "tweeted", "insisted"];
