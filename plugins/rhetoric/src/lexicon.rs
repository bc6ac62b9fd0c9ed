//! Cue lexicons we wrote for the techniques that surface cues mark precisely, matched in one
//! leftmost-longest pass over the text.
//!
//! Every cue is also a feature of the trained model (which PTC class its group belongs to), so
//! the model learns how much to trust each group; cues marked `emit` additionally produce a
//! span on their own. A cue written `head * tail` matches `head`, then `tail` within the next
//! three words ("slap in * face" matches "slap in the face", "slap in Putin's face").

use std::collections::HashMap;

use crate::technique::Technique;

/// How far a cue's span reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Just the cue words.
    Phrase,
    /// The cue's clause: out to the nearest comma, semicolon, colon, dash or bracket.
    Clause,
    /// The whole sentence.
    Sentence,
}

/// One group of cues: same technique, scope, confidence and explanation.
#[derive(Debug)]
pub struct CueGroup {
    pub technique: Technique,
    pub scope: Scope,
    pub score: f64,
    /// Whether a match produces a span by itself (else it only informs the model).
    pub emit: bool,
    /// Plain words for the explanation: "a stock phrase that ends thought".
    pub why: &'static str,
    pub cues: &'static [&'static str],
}

use Scope::{Clause, Phrase, Sentence};
use Technique as T;

/// The lexicons. Written for this project from the technique definitions of Da San Martino
/// et al. (2019) and common usage; none comes from a data set.
pub const GROUPS: &[CueGroup] = &[
    CueGroup {
        technique: T::ReductioAdHitlerum,
        scope: Clause,
        score: 0.7,
        emit: true,
        why: "a comparison with Hitler, Nazis or Stalin",
        cues: &[
            "hitler",
            "hitler's",
            "nazi",
            "nazis",
            "nazism",
            "neo-nazi",
            "neo-nazis",
            "third reich",
            "gestapo",
            "goebbels",
            "stalin",
            "stalinist",
            "stalin's",
            "fascist",
            "fascists",
            "fascism",
            "mussolini",
            "pol pot",
            "kristallnacht",
            "brownshirts",
            "final solution",
        ],
    },
    CueGroup {
        technique: T::FlagWaving,
        scope: Clause,
        score: 0.65,
        emit: true,
        why: "a patriotic appeal to the nation or its people",
        cues: &[
            "patriot",
            "patriots",
            "patriotic",
            "patriotism",
            "unpatriotic",
            "our nation",
            "our great nation",
            "our country",
            "our great country",
            "this great nation",
            "this great country",
            "our homeland",
            "the homeland",
            "motherland",
            "fatherland",
            "our troops",
            "our flag",
            "our values",
            "our way of life",
            "our sovereignty",
            "national pride",
            "love of country",
            "make america great",
            "america first",
            "god bless america",
            "true americans",
            "real americans",
            "every american",
            "the american people",
            "the british people",
            "the russian people",
            "our people",
            "our children's future",
            "we the people",
            "national interest",
            "national interests",
            "founding fathers",
            "our heroes",
            "our borders",
        ],
    },
    CueGroup {
        technique: T::Whataboutism,
        scope: Sentence,
        score: 0.7,
        emit: true,
        why: "answers a charge by pointing at someone else's conduct",
        cues: &[
            "what about",
            "but what of",
            "what of the",
            "and what about",
            "how about the",
            "where was the outrage",
            "where is the outrage",
            "where were they when",
            "double standard",
            "double standards",
            "the same people who",
            "yet nobody talks about",
            "no one talks about",
            "pot calling the kettle",
            "look who's talking",
        ],
    },
    CueGroup {
        technique: T::StrawMan,
        scope: Sentence,
        score: 0.55,
        emit: true,
        why: "restates an opponent's view in a distorted form",
        cues: &[
            "would have you believe",
            "want you to believe",
            "wants you to believe",
            "so you're saying",
            "so what you're saying",
            "they would rather",
            "they think that all",
            "they want us to",
            "what they really mean",
        ],
    },
    CueGroup {
        technique: T::ThoughtTerminatingCliche,
        scope: Clause,
        score: 0.75,
        emit: true,
        why: "a stock phrase that closes discussion instead of arguing",
        cues: &[
            "it is what it is",
            "it's what it is",
            "one thing is for sure",
            "one thing is certain",
            "one thing is clear",
            "enough is enough",
            "that's just the way it is",
            "that is just the way it is",
            "at the end of the day",
            "time will tell",
            "only time will tell",
            "it goes without saying",
            "end of story",
            "nothing to see here",
            "the rest is history",
            "let's face it",
            "let us face it",
            "the fact of the matter is",
            "make no mistake",
            "boys will be boys",
            "so be it",
            "that's life",
            "what's done is done",
            "it's common sense",
            "it is common sense",
            "you know what they say",
            "case closed",
            "the bottom line is",
            "everything happens for a reason",
            "it is what it was",
            "facts are facts",
            "the truth is out there",
            "rules are rules",
            "mark my words",
            "draw your own conclusions",
            "the writing is on the wall",
            "it speaks for itself",
            "speaks for itself",
            "the proof is in the pudding",
            "that's all there is to it",
            "no ifs, ands or buts",
        ],
    },
    CueGroup {
        technique: T::Doubt,
        scope: Clause,
        score: 0.55,
        emit: true,
        why: "questions the credibility of someone or something",
        cues: &[
            "questionable",
            "so-called",
            "so called",
            "allegedly",
            "supposedly",
            "purported",
            "purportedly",
            "ostensibly",
            "dubious",
            "doubtful",
            "it remains unclear",
            "remains to be seen",
            "raises questions",
            "raise questions",
            "raises serious questions",
            "can we trust",
            "can we really trust",
            "is it any wonder",
            "far from clear",
            "hardly credible",
            "lack of credibility",
            "no evidence",
            "without evidence",
            "without any evidence",
            "unsubstantiated",
            "unproven",
            "claims to be",
            "is it really",
            "are they really",
            "is he really",
            "is she really",
            "not to be trusted",
            "cannot be trusted",
            "can't be trusted",
            "shady",
            "suspicious",
            "fishy",
        ],
    },
    CueGroup {
        technique: T::Bandwagon,
        scope: Clause,
        score: 0.6,
        emit: true,
        why: "claims that everyone already agrees or acts this way",
        cues: &[
            "everyone knows",
            "everybody knows",
            "as everyone knows",
            "the whole world",
            "the entire world",
            "everyone agrees",
            "everybody agrees",
            "all reasonable people",
            "most people agree",
            "millions of americans",
            "the world knows",
            "no one believes",
            "nobody believes",
            "join the millions",
            "everyone is talking",
            "the majority of americans",
            "the vast majority of people",
            "everyone else is",
            "the whole country",
            "the entire nation",
            "all over the world",
        ],
    },
    CueGroup {
        technique: T::AppealToFear,
        scope: Clause,
        score: 0.5,
        emit: true,
        why: "raises fear of a threat or catastrophe",
        cues: &[
            "existential threat",
            "grave threat",
            "serious threat",
            "will destroy",
            "would destroy",
            "could destroy",
            "catastrophe",
            "catastrophic",
            "before it's too late",
            "before it is too late",
            "you could be next",
            "could be next",
            "wipe out",
            "wiped out",
            "annihilation",
            "annihilate",
            "doomsday",
            "apocalypse",
            "apocalyptic",
            "mass casualties",
            "bloodbath",
            "under attack",
            "imminent danger",
            "imminent threat",
            "clear and present danger",
            "will be killed",
            "a ticking time bomb",
            "ticking time bomb",
            "invasion of",
            "flood of",
            "swarming",
            "terrifying",
            "chilling",
            "nightmare",
            "end of civilization",
            "civil war",
            "world war iii",
            "nuclear war",
        ],
    },
    CueGroup {
        technique: T::BlackAndWhiteFallacy,
        scope: Sentence,
        score: 0.65,
        emit: true,
        why: "presents two options as the only ones",
        cues: &[
            "either with us",
            "with us or against us",
            "with us or with",
            "there is no other choice",
            "there is no alternative",
            "no other option",
            "the only option",
            "the only way",
            "the only solution",
            "the only choice",
            "no middle ground",
            "only two options",
            "only two choices",
            "there are only two",
            "one or the other",
            "you are either",
            "you're either",
            "either you",
            "there is no third way",
        ],
    },
    CueGroup {
        technique: T::CausalOversimplification,
        scope: Sentence,
        score: 0.5,
        emit: true,
        why: "blames one cause for a complex outcome",
        cues: &[
            "the reason is simple",
            "simply because",
            "all because of",
            "is to blame for",
            "are to blame for",
            "is responsible for all",
            "are responsible for all",
            "the root of all",
            "the sole reason",
            "the real reason",
            "the only reason",
            "the cause of all",
            "all thanks to",
            "is the reason why",
            "because of them",
            "is to blame",
            "are to blame",
        ],
    },
    CueGroup {
        technique: T::CausalOversimplification,
        scope: Sentence,
        score: 0.35,
        emit: false,
        why: "draws a conclusion from a single cause",
        cues: &["that's why", "that is why", "which is why", "this is why", "thanks to", "as a result", "therefore"],
    },
    CueGroup {
        technique: T::ExaggerationMinimisation,
        scope: Phrase,
        score: 0.5,
        emit: true,
        why: "overstates or understates",
        cues: &[
            "of all time",
            "the greatest",
            "the worst",
            "the best ever",
            "never before",
            "unprecedented",
            "in history",
            "biggest ever",
            "worst ever",
            "the most important",
            "the most dangerous",
            "nothing but",
            "a mere",
            "merely",
            "only a handful",
            "a tiny minority",
            "hundreds of times",
            "thousands of times",
            "millions of times",
            "zero chance",
            "zero chances",
            "not a single",
            "absolutely nothing",
            "totally",
            "completely",
            "absolutely",
            "utterly",
            "literally",
            "a slap on the wrist",
            "no big deal",
            "a drop in the bucket",
            "by far",
            "every single",
            "out of all proportion",
        ],
    },
    CueGroup {
        technique: T::AppealToAuthority,
        scope: Clause,
        score: 0.5,
        emit: true,
        why: "leans on an authority instead of evidence",
        cues: &[
            "experts say",
            "experts agree",
            "according to experts",
            "scientists say",
            "scientists agree",
            "studies show",
            "research shows",
            "doctors agree",
            "top experts",
            "leading experts",
            "as the experts",
            "renowned expert",
            "the experts",
            "it is well known",
            "it's well known",
            "the science is settled",
            "most scientists",
            "as the bible says",
            "the pope said",
        ],
    },
    CueGroup {
        technique: T::Slogans,
        scope: Phrase,
        score: 0.75,
        emit: true,
        why: "a short, catchy political slogan",
        cues: &[
            "make america great again",
            "lock her up",
            "build the wall",
            "drain the swamp",
            "america first",
            "black lives matter",
            "all lives matter",
            "no justice, no peace",
            "no justice no peace",
            "yes we can",
            "never again",
            "not my president",
            "hands up, don't shoot",
            "stronger together",
            "take back control",
            "keep america great",
            "my body, my choice",
            "love trumps hate",
            "believe women",
            "defund the police",
            "workers of the world",
            "peace through strength",
            "death to america",
            "we will not be silenced",
        ],
    },
    CueGroup {
        technique: T::NameCalling,
        scope: Phrase,
        score: 0.55,
        emit: true,
        why: "a label meant to make the audience dislike its target",
        cues: &[
            "idiot",
            "idiots",
            "moron",
            "morons",
            "thug",
            "thugs",
            "traitor",
            "traitors",
            "puppet",
            "puppets",
            "snowflake",
            "snowflakes",
            "libtard",
            "libtards",
            "globalist",
            "globalists",
            "warmonger",
            "warmongers",
            "neocon",
            "neocons",
            "deep state",
            "fake news",
            "lamestream",
            "elitist",
            "elitists",
            "bigot",
            "bigots",
            "scum",
            "clown",
            "clowns",
            "liar",
            "liars",
            "crook",
            "crooked",
            "lunatic",
            "lunatics",
            "fanatic",
            "fanatics",
            "zealot",
            "zealots",
            "stooge",
            "stooges",
            "henchman",
            "henchmen",
            "cronies",
            "crony",
            "propagandist",
            "propagandists",
            "demagogue",
            "tyrant",
            "tyrants",
            "despot",
            "despots",
            "junta",
            "regime",
            "archenemy",
            "arch-enemy",
            "archenemies",
            "arch-foe",
            "sworn enemy",
            "nemesis",
            "buffoon",
            "imbecile",
            "hack",
            "hacks",
            "shill",
            "shills",
            "cuck",
            "mob",
            "rabble",
            "degenerate",
            "degenerates",
            "vermin",
            "parasite",
            "parasites",
            "terrorist sympathizer",
            "apologist",
            "apologists",
            "useful idiots",
            "radical left",
            "far-left",
            "far left",
            "far-right",
            "extremist",
            "extremists",
            "jihadist",
            "jihadists",
            "commie",
            "commies",
            "leftist",
            "leftists",
            "rightwing nut",
            "nut job",
            "nutjob",
        ],
    },
    CueGroup {
        technique: T::LoadedLanguage,
        scope: Phrase,
        score: 0.55,
        emit: true,
        why: "an emotionally charged idiom",
        cues: &[
            "slap in * face",
            "stab in the back",
            "stabbed in the back",
            "slap on the wrist",
            "witch hunt",
            "witch-hunt",
            "a kick in the teeth",
            "knife in the back",
            "adding insult to injury",
            "blood on their hands",
            "blood on his hands",
            "blood on her hands",
        ],
    },
    CueGroup {
        technique: T::LoadedLanguage,
        scope: Phrase,
        score: 0.5,
        emit: false,
        why: "emotionally charged wording",
        cues: &[
            "humiliated",
            "humiliating",
            "humiliation",
            "disgraceful",
            "disgrace",
            "outrageous",
            "shameful",
            "shameless",
            "horrific",
            "horrifying",
            "heinous",
            "barbaric",
            "brutal",
            "brutally",
            "savage",
            "evil",
            "sinister",
            "vile",
            "despicable",
            "disgusting",
            "appalling",
            "atrocious",
            "draconian",
            "hysteria",
            "hysterical",
            "massacre",
            "slaughter",
            "devastating",
            "impotence",
            "impotent",
            "pathetic",
            "ridiculous",
            "absurd",
            "insane",
            "crazy",
            "spineless",
            "cowardly",
            "treacherous",
            "betrayal",
            "betrayed",
            "treason",
            "radical",
            "destroy",
            "destroyed",
            "destroying",
            "sham",
            "hoax",
            "scandal",
            "scandalous",
            "reckless",
            "ruthless",
            "corrupt",
            "corruption",
            "lies",
            "lying",
            "smear",
            "propaganda",
            "tyranny",
            "assault on",
            "war on",
            "onslaught",
            "plague",
            "cancer",
            "poison",
            "toxic",
            "blatant",
            "blatantly",
            "egregious",
            "shocking",
            "outrage",
            "outraged",
            "furious",
            "fury",
            "rage",
            "slam",
            "slammed",
            "slams",
            "blasted",
            "lambasted",
            "bombshell",
            "explosive",
            "damning",
            "infamous",
            "notorious",
        ],
    },
    CueGroup {
        technique: T::Sarcasm,
        scope: Phrase,
        score: 0.6,
        emit: true,
        why: "a marker of sarcasm or mock praise",
        cues: &[
            "so-called",
            "yeah, right",
            "yeah right",
            "how convenient",
            "surprise, surprise",
            "what a surprise",
            "what a coincidence",
            "oh sure",
            "oh, sure",
            "oh great",
            "oh, great",
            "heaven forbid",
            "god forbid",
            "brilliant idea",
            "genius idea",
            "nice try",
            "big surprise",
            "shocker",
        ],
    },
    CueGroup {
        technique: T::Hedging,
        scope: Phrase,
        score: 0.55,
        emit: true,
        why: "a hedge that softens or distances a claim",
        cues: &[
            "seems to",
            "seem to",
            "seemed to",
            "appears to",
            "appear to",
            "appeared to",
            "perhaps",
            "possibly",
            "arguably",
            "somewhat",
            "to some extent",
            "reportedly",
            "it is believed",
            "apparently",
            "presumably",
            "it is likely",
            "it is unlikely",
            "is unlikely to",
            "is likely to",
            "it is possible",
            "might be",
            "may be",
            "could be",
            "suggests that",
            "it seems",
            "probably",
            "more or less",
            "in a sense",
            "sort of",
            "kind of",
            "to a certain extent",
            "not particularly",
        ],
    },
];

/// One cue occurrence in the text (byte offsets).
#[derive(Debug, Clone, Copy)]
pub struct CueHit {
    pub start: usize,
    pub end: usize,
    pub group: usize,
    pub cue: usize,
}

/// A [`Lexicon`]'s tables as statics: its trie's fields, and its patterns.
#[allow(missing_docs)]
pub struct BakedLexicon {
    pub nodes: &'static [(u32, u32, u32)],
    pub edges: &'static [(u8, u32)],
    pub root: &'static [u32; 256],
    pub quads: &'static [u64; 1024],
    pub mids: &'static [u64; 1024],
    pub longs: &'static [u64; 1024],
    pub shorts: &'static [u64; 1024],
    pub short_lens: u8,
    pub short_first: &'static [bool; 256],
    pub tris: &'static [u64; 1024],
    pub all_three: bool,
    #[allow(clippy::type_complexity)]
    pub patterns: &'static [&'static [(usize, usize, Option<&'static str>)]],
}

/// The compiled lexicon: every cue of every group in one trie.
#[derive(Debug, PartialEq)]
pub struct Lexicon {
    trie: Trie,
    /// For each distinct pattern: every (group, cue index, tail words of `head * tail`) it
    /// stands for; one phrase may belong to several groups ("so-called": doubt and sarcasm).
    patterns: Vec<Vec<(usize, usize, Option<&'static str>)>>,
}

impl Lexicon {
    pub fn new() -> Result<Lexicon, String> {
        let (pats, patterns) = Self::patterns();
        let trie = Trie::new(&pats)?;
        Ok(Lexicon { trie, patterns })
    }

    /// The lexicon from tables the build script baked (see [`Lexicon::baked_source`]): the
    /// same lexicon as [`Lexicon::new`] builds, copied from statics instead of built from
    /// the cues (which cost every process about 2.7M instructions; issue 9).
    pub fn from_baked(b: &BakedLexicon) -> Lexicon {
        let trie = Trie {
            nodes: b.nodes.to_vec(),
            edges: b.edges.to_vec(),
            root: Box::new(*b.root),
            quads: Box::new(*b.quads),
            mids: Box::new(*b.mids),
            longs: Box::new(*b.longs),
            shorts: Box::new(*b.shorts),
            short_lens: b.short_lens,
            short_first: Box::new(*b.short_first),
            tris: Box::new(*b.tris),
            all_three: b.all_three,
        };
        Lexicon { trie, patterns: b.patterns.iter().map(|p| p.to_vec()).collect() }
    }

    /// Rust source of a `pub static LEXICON: BakedLexicon` that holds this lexicon's tables,
    /// which the build script writes and [`Lexicon::from_baked`] reads.
    pub fn baked_source(&self) -> String {
        use std::fmt::Write as _;
        let t = &self.trie;
        let mut out = String::from("/// The built-in cue lexicon's tables (written by `build.rs`).\n");
        out.push_str("pub static LEXICON: BakedLexicon = BakedLexicon {\n");
        let _ = writeln!(out, "    nodes: &{:?},", t.nodes);
        let _ = writeln!(out, "    edges: &{:?},", t.edges);
        let _ = writeln!(out, "    root: &{:?},", t.root);
        for (name, table) in [("quads", &t.quads), ("mids", &t.mids), ("longs", &t.longs), ("shorts", &t.shorts)] {
            let _ = writeln!(out, "    {name}: &{table:?},");
        }
        let _ = writeln!(out, "    short_lens: {},", t.short_lens);
        let _ = writeln!(out, "    short_first: &{:?},", t.short_first);
        let _ = writeln!(out, "    tris: &{:?},", t.tris);
        let _ = writeln!(out, "    all_three: {},", t.all_three);
        out.push_str("    patterns: &[\n");
        for p in &self.patterns {
            let _ = writeln!(out, "        &{p:?},");
        }
        out.push_str("    ],\n};\n");
        out
    }

    /// The distinct lowercase patterns, and for each every (group, cue, tail) it stands for.
    #[allow(clippy::type_complexity)]
    pub fn patterns() -> (Vec<String>, Vec<Vec<(usize, usize, Option<&'static str>)>>) {
        let mut pats: Vec<String> = Vec::new();
        let mut patterns: Vec<Vec<(usize, usize, Option<&'static str>)>> = Vec::new();
        // Each distinct pattern's place in `pats`: a search of `pats` for every cue cost
        // half of the lexicon's build, which every process pays (issue 9).
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (g, group) in GROUPS.iter().enumerate() {
            for (c, cue) in group.cues.iter().enumerate() {
                let (head, tail) = match cue.split_once(" * ") {
                    Some((h, t)) => (h, Some(t)),
                    None => (*cue, None),
                };
                // Match typographic apostrophes too.
                let lower = head.to_lowercase();
                let typographic = lower.contains('\'').then(|| lower.replace('\'', "\u{2019}"));
                for v in std::iter::once(lower).chain(typographic) {
                    match seen.get(&v) {
                        Some(&k) => patterns[k].push((g, c, tail)),
                        None => {
                            seen.insert(v.clone(), pats.len());
                            pats.push(v);
                            patterns.push(vec![(g, c, tail)]);
                        }
                    }
                }
            }
        }
        (pats, patterns)
    }

    /// All cue matches on word boundaries, in text order.
    pub fn find(&self, text: &str) -> Vec<CueHit> {
        let mut hits = Vec::new();
        self.trie.for_each_match(text.as_bytes(), |s, e, pattern| {
            if !boundary_before(text, s) || !boundary_after(text, e) {
                return;
            }
            for &(group, cue, tail) in &self.patterns[pattern] {
                let end = match tail {
                    None => e,
                    Some(t) => match find_tail(text, e, t) {
                        Some(end) => end,
                        None => continue,
                    },
                };
                hits.push(CueHit { start: s, end, group, cue });
            }
        });
        hits
    }
}

/// The patterns as a byte trie, searched with Aho-Corasick's leftmost-longest,
/// non-overlapping, ASCII-case-insensitive semantics: from where the last match ended, the
/// match that starts first, and of those the longest. (A match inside a word is found, and
/// then dropped by the caller's boundary test, as with the automaton this replaced: its bytes
/// are used up either way.)
///
/// An automaton walks every byte through a table of megabytes, one dependent load per byte;
/// here a start position is tried only if its first four bytes may begin a pattern (a bit
/// table of 8 KB over a hash of them), and each try is independent of the last, so the
/// processor overlaps them. Many long cues share a common first four bytes ("the ", "our ",
/// "what"), so a position that passes is walked only if a pattern of four to seven bytes may
/// start there too, or its first eight bytes may begin a longer pattern (two more tables).
#[derive(Debug, PartialEq)]
struct Trie {
    /// Per node: its range in `edges` and the pattern ending there (`u32::MAX` for none).
    nodes: Vec<(u32, u32, u32)>,
    /// Child edges (byte, node), sorted by byte within a node.
    edges: Vec<(u8, u32)>,
    /// The root's children by byte (0 for none: the root is no one's child).
    root: Box<[u32; 256]>,
    /// Bit [`prefix_bit`] of the first four bytes set for every pattern of four bytes or more.
    quads: Box<[u64; 1024]>,
    /// The same bit for the patterns of four to seven bytes only.
    mids: Box<[u64; 1024]>,
    /// Bit [`prefix_bit8`] of the first eight bytes set for every pattern of eight bytes or more.
    longs: Box<[u64; 1024]>,
    /// The same for the patterns shorter than four bytes (their bytes padded with zeros),
    /// and which of the lengths 1, 2, 3 occur among them (bit `len`).
    shorts: Box<[u64; 1024]>,
    short_lens: u8,
    /// Whether a pattern shorter than four bytes begins with this byte (either case): most
    /// positions are ruled out for them by this one load.
    short_first: Box<[bool; 256]>,
    /// Bit [`tri_bit`] of the first three bytes set for every pattern (when all have three
    /// bytes or more, as the lexicon's do): one test rules out seven positions in eight of
    /// news text before the tables above are consulted.
    tris: Box<[u64; 1024]>,
    /// Whether every pattern has three bytes or more, so that [`Trie::tris`] applies.
    all_three: bool,
}

const NO_PATTERN: u32 = u32::MAX;

/// Folds four bytes for the prefix table: every byte with bit 0x20 set, so that ASCII upper
/// and lower case fold alike (other bytes may collide, which only costs a walk).
#[inline]
fn prefix_bit(four: u32) -> usize {
    ((four | 0x2020_2020).wrapping_mul(0x9e37_79b1) >> 16) as usize
}

/// The bit of the first three of four bytes (little-endian) in [`Trie::tris`], every byte
/// with bit 0x20 set as in [`prefix_bit`].
#[inline]
fn tri_bit(four: u32) -> usize {
    tri_key((u64::from(four & 0x00ff_ffff) | 0x0020_2020) << 40)
}

/// The top three bytes of a word.
const TOP3: u64 = 0xff_ffff << 40;

/// [`tri_bit`] of three bytes already in the top three bytes of `top` (its other bits
/// clear), bit 0x20 set: a multiplicative hash whose top sixteen bits depend on those bytes
/// only. The scan gets every window of a word into that place by a shift and [`TOP3`].
#[inline]
fn tri_key(top: u64) -> usize {
    (top.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 48) as usize
}

/// [`prefix_bit`] for eight bytes.
#[inline]
fn prefix_bit8(eight: u64) -> usize {
    ((eight | 0x2020_2020_2020_2020).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 48) as usize
}

/// Sets bit `k` of a bit table.
fn set_bit(table: &mut [u64; 1024], k: usize) {
    table[k / 64] |= 1 << (k % 64);
}

/// Whether bit `k` of a bit table is set.
#[inline]
fn has_bit(table: &[u64; 1024], k: usize) -> bool {
    table[k / 64] & (1 << (k % 64)) != 0
}

impl Trie {
    fn new(patterns: &[String]) -> Result<Trie, String> {
        // Build with child lists, then flatten.
        let mut children: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut ends: Vec<u32> = vec![NO_PATTERN];
        let mut quads = Box::new([0u64; 1024]);
        let mut mids = Box::new([0u64; 1024]);
        let mut longs = Box::new([0u64; 1024]);
        let mut shorts = Box::new([0u64; 1024]);
        let mut short_lens = 0u8;
        let mut short_first = Box::new([false; 256]);
        let mut tris = Box::new([0u64; 1024]);
        let mut all_three = true;
        for (id, p) in patterns.iter().enumerate() {
            let bytes = p.as_bytes();
            if bytes.is_empty() || bytes.iter().any(u8::is_ascii_uppercase) {
                return Err(format!("rhetoric lexicon: cue pattern {p:?} is empty or not lowercase"));
            }
            match bytes {
                [a, b, c, ..] => set_bit(&mut tris, tri_bit(u32::from_le_bytes([*a, *b, *c, 0]))),
                _ => all_three = false,
            }
            let mut node = 0usize;
            for &b in bytes {
                node = match children[node].iter().find(|(c, _)| *c == b) {
                    Some(&(_, n)) => n as usize,
                    None => {
                        let n = children.len();
                        children.push(Vec::new());
                        ends.push(NO_PATTERN);
                        children[node].push((b, n as u32));
                        n
                    }
                };
            }
            ends[node] = id as u32;
            match bytes {
                [a, b, c, d, ..] => {
                    let k = prefix_bit(u32::from_le_bytes([*a, *b, *c, *d]));
                    set_bit(&mut quads, k);
                    match bytes.get(..8) {
                        Some(eight) => {
                            let eight = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
                            set_bit(&mut longs, prefix_bit8(eight));
                        }
                        None => set_bit(&mut mids, k),
                    }
                }
                short => {
                    let mut four = [0u8; 4];
                    four[..short.len()].copy_from_slice(short);
                    let k = prefix_bit(u32::from_le_bytes(four));
                    shorts[k / 64] |= 1 << (k % 64);
                    short_lens |= 1 << short.len();
                    short_first[short[0] as usize] = true;
                    short_first[short[0].to_ascii_uppercase() as usize] = true;
                }
            }
        }
        let mut nodes = Vec::with_capacity(children.len());
        let mut edges = Vec::new();
        for (kids, &end) in children.iter_mut().zip(&ends) {
            kids.sort_unstable();
            nodes.push((edges.len() as u32, (edges.len() + kids.len()) as u32, end));
            edges.extend_from_slice(kids);
        }
        let mut root = Box::new([0u32; 256]);
        for &(b, n) in &children[0] {
            root[b as usize] = n;
        }
        Ok(Trie { nodes, edges, root, quads, mids, longs, shorts, short_lens, short_first, tris, all_three })
    }

    /// The end and pattern of the longest pattern starting at `s`, if any.
    #[inline]
    fn longest_at(&self, hay: &[u8], s: usize) -> Option<(usize, usize)> {
        let mut node = self.root[hay[s].to_ascii_lowercase() as usize];
        if node == 0 {
            return None;
        }
        let mut best = None;
        let mut k = s + 1;
        loop {
            let (from, to, end) = self.nodes[node as usize];
            if end != NO_PATTERN {
                best = Some((k, end as usize));
            }
            let Some(&b) = hay.get(k) else { break };
            let b = b.to_ascii_lowercase();
            match self.edges[from as usize..to as usize].iter().find(|(c, _)| *c == b) {
                Some(&(_, n)) => node = n,
                None => break,
            }
            k += 1;
        }
        best
    }

    /// Whether a pattern shorter than four bytes may start where the four bytes `four`
    /// (little-endian) start.
    #[inline]
    fn short_may_start(&self, four: u32) -> bool {
        (1..4).any(|len| {
            self.short_lens & (1 << len) != 0 && {
                let k = prefix_bit(four & ((1u32 << (8 * len)) - 1));
                self.shorts[k / 64] & (1 << (k % 64)) != 0
            }
        })
    }

    /// The first position from `s` on whose first three bytes (case aside) may begin a
    /// pattern by [`Trie::tris`]: no pattern of three bytes or more starts before it. Most of
    /// the text is passed over here, so it loads eight bytes at a time, sets bit 0x20 of all
    /// eight at once, and moves each of the six three-byte windows starting in them to the
    /// top of the word by one shift (and a mask for the bytes before it), where [`tri_key`]
    /// hashes it.
    #[inline]
    fn next_candidate(&self, hay: &[u8], mut s: usize) -> Option<usize> {
        let n = hay.len();
        while s + 8 <= n {
            let v = u64::from_le_bytes(hay[s..s + 8].try_into().expect("eight bytes")) | 0x2020_2020_2020_2020;
            for d in 0..6 {
                if has_bit(&self.tris, tri_key((v << (40 - 8 * d)) & TOP3)) {
                    return Some(s + d);
                }
            }
            s += 6;
        }
        let hit = |bytes: u32| has_bit(&self.tris, tri_bit(bytes));
        while s + 3 <= n {
            if hit(u32::from_le_bytes([hay[s], hay[s + 1], hay[s + 2], 0])) {
                return Some(s);
            }
            s += 1;
        }
        None
    }

    /// Calls `f(start, end, pattern)` for each match, in order.
    fn for_each_match(&self, hay: &[u8], mut f: impl FnMut(usize, usize, usize)) {
        let n = hay.len();
        let mut s = 0;
        while s < n {
            if self.all_three {
                match self.next_candidate(hay, s) {
                    Some(c) => s = c,
                    None => break,
                }
            }
            let maybe = match hay.get(s..s + 4) {
                Some(&[a, b, c, d]) => {
                    let four = u32::from_le_bytes([a, b, c, d]);
                    let k = prefix_bit(four);
                    (has_bit(&self.quads, k)
                        && (has_bit(&self.mids, k)
                            || hay.get(s..s + 8).is_none_or(|eight| {
                                let eight = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
                                has_bit(&self.longs, prefix_bit8(eight))
                            })))
                        || (self.short_first[a as usize] && self.short_may_start(four))
                }
                _ => true,
            };
            if maybe {
                if let Some((e, pattern)) = self.longest_at(hay, s) {
                    f(s, e, pattern);
                    s = e;
                    continue;
                }
            }
            s += 1;
        }
    }
}

fn boundary_before(text: &str, s: usize) -> bool {
    text[..s].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
}

fn boundary_after(text: &str, e: usize) -> bool {
    text[e..].chars().next().is_none_or(|c| !c.is_alphanumeric())
}

/// Finds `tail` (case-insensitive, whole words) within the three words after `from`.
fn find_tail(text: &str, from: usize, tail: &str) -> Option<usize> {
    let rest = &text[from..];
    let mut words = 0;
    let mut pos = 0;
    while words < 4 {
        let seg = &rest[pos..];
        let skip = seg.len() - seg.trim_start().len();
        pos += skip;
        let seg = &rest[pos..];
        if seg.len() >= tail.len()
            && seg.is_char_boundary(tail.len())
            && seg[..tail.len()].eq_ignore_ascii_case(tail)
            && boundary_after(rest, pos + tail.len())
        {
            return Some(from + pos + tail.len());
        }
        let w = seg.find(char::is_whitespace).unwrap_or(seg.len());
        if w == 0 || seg[..w].contains(['.', '!', '?', ';']) {
            return None;
        }
        pos += w;
        words += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasickBuilder, MatchKind};

    /// The matches of the Aho-Corasick automaton the trie replaced (issue 9), as the
    /// definition of what the trie must find.
    fn reference_matches(pats: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(pats)
            .expect("automaton");
        ac.find_iter(text).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect()
    }

    #[test]
    fn next_candidate_is_the_first_position_passing_the_three_byte_test() {
        let (pats, _) = Lexicon::patterns();
        let trie = Trie::new(&pats).expect("trie");
        let text = "Nazis, THE FINAL SOLUTION—kind of; a slap in the face. xyz qq Hitler’s «sic» at the end";
        let hay = text.as_bytes();
        for s in 0..=hay.len() {
            let want = (s..hay.len().saturating_sub(2))
                .find(|&p| has_bit(&trie.tris, tri_bit(u32::from_le_bytes([hay[p], hay[p + 1], hay[p + 2], 0]))));
            assert_eq!(trie.next_candidate(hay, s), want, "from {s}");
        }
    }

    #[test]
    fn trie_finds_what_the_leftmost_longest_automaton_finds() {
        let (pats, _) = Lexicon::patterns();
        let trie = Trie::new(&pats).expect("trie");
        assert!(trie.all_three, "the three-byte filter is in use");
        // Every cue in upper, title and lower case, inside words, overlapping, cut short,
        // and joined to its neighbours; plus some prose.
        let mut texts = vec![
            "xNazis and neo-nazis; Hitler’s heirs. THE FINAL SOLUTION, final solutions".to_string(),
            "Let’s face it: it is what it is, a slap in the face, slap in Putin's face.".to_string(),
        ];
        let all: String = pats.join(" ");
        texts.push(all.clone());
        texts.push(all.to_uppercase());
        texts.push(pats.join(""));
        texts.push(
            pats.iter()
                .map(|p| p.chars().take(p.chars().count() / 2 + 1).collect::<String>())
                .collect::<Vec<_>>()
                .join("-"),
        );
        texts.push(pats.iter().rev().map(|p| format!("a{p}s")).collect::<Vec<_>>().join(", "));
        for text in &texts {
            let mut got = Vec::new();
            trie.for_each_match(text.as_bytes(), |s, e, p| got.push((s, e, p)));
            assert_eq!(got, reference_matches(&pats, text), "{text:?}");
            assert!(!got.is_empty());
        }
    }

    fn cues(text: &str) -> Vec<(String, Technique)> {
        let lex = Lexicon::new().unwrap();
        lex.find(text).into_iter().map(|h| (text[h.start..h.end].to_string(), GROUPS[h.group].technique)).collect()
    }

    #[test]
    fn matches_whole_words_case_insensitively_with_gaps_and_curly_apostrophes() {
        let found = cues("A SLAP IN the senator’s face. Let’s face it, Nazis. Nazism? nazist");
        assert_eq!(found[0], ("SLAP IN the senator’s face".to_string(), Technique::LoadedLanguage));
        assert_eq!(found[1], ("Let’s face it".to_string(), Technique::ThoughtTerminatingCliche));
        assert_eq!(found[2], ("Nazis".to_string(), Technique::ReductioAdHitlerum));
        assert_eq!(found[3], ("Nazism".to_string(), Technique::ReductioAdHitlerum));
        assert_eq!(found.len(), 4, "{found:?}");
    }
}
