//! Finding and resolving actor mentions in one document: gazetteer hits, titled names,
//! appositions, organization names, and within-document coreference.
//!
//! The order matters and is fixed: (1) known names, searched from token starts, filtered by case,
//! word boundaries, blockers and ambiguity; (2) organization names by their head words;
//! (3) names after titles and descriptions, and role descriptions with no name ("the Russian
//! leader"); (4) names in apposition ("X, State Duma deputy"); (5) names that start with a
//! known given name or sit beside a verb of saying; (6) coreference: later surnames, short
//! names and acronyms, and role descriptions, joined to actors already introduced.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use crate::gazetteer::{ActorDef, Gazetteer, Kind, Via};
use crate::lexicon::{
    lexicon, FxBuild, TitleClass, CAP_STOP_F, DETERMINER_F, GIVEN_F, LEFT_STOP_F, MEDIA_F, ORG_HEAD_F, PARTICLE_F,
    SPEECH_F, TIME_F,
};
use crate::tokens::{tokenize_marked, Shape, Tok};

/// Which actor a mention is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActorRef {
    Known(u32),
    Local(usize),
}

/// An actor found in this document only (people and organizations outside the gazetteer).
#[derive(Debug, Clone)]
pub struct LocalActor {
    pub name: String,
    pub kind: Kind,
    pub affiliation: Option<String>,
    /// Title classes and phrases seen with this actor ("prime minister").
    pub titles: Vec<(TitleClass, u16)>,
    /// Set when this actor turned out to be another one ("President Putin" → "Vladimir Putin").
    pub merged_into: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub actor: ActorRef,
    pub via: Via,
}

/// What one document yields.
#[derive(Debug, Default)]
pub struct Found {
    pub mentions: Vec<Mention>,
    pub locals: Vec<LocalActor>,
}

impl Found {
    /// Follows merges to the actor a local one became.
    pub fn canonical(&self, r: ActorRef) -> ActorRef {
        let mut r = r;
        while let ActorRef::Local(i) = r {
            match self.locals[i].merged_into {
                Some(j) if j != i => r = ActorRef::Local(j),
                _ => break,
            }
        }
        r
    }
}

/// A gazetteer hit in the text.
#[derive(Debug, Clone)]
struct Hit {
    start: usize,
    end: usize,
    actor: u32,
    via: Via,
    ambiguous: bool,
    /// Tokens `first..last+1` it covers.
    first: usize,
    last: usize,
    dropped: bool,
    /// Part of a longer name (a title's adjective, an organization's name): no mention of its own.
    absorbed: bool,
}

/// A role description without a name, resolved after all names are known.
struct Role {
    start: usize,
    end: usize,
    affiliation: String,
    class: TitleClass,
    phrase: u16,
}

/// What a token has been claimed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claim {
    Free,
    Hit(usize),
    /// Part of a local actor's name (or of a role description or a name already given to a
    /// known actor when `usize::MAX`).
    Name(usize),
    /// Part of a blocked phrase (`data/blockers.txt`: "Washington Post", "Indian Ocean"): no
    /// known actor, but it may be part of an organization's name.
    Blocked,
}

struct Ctx<'a> {
    text: &'a str,
    gaz: &'a Gazetteer,
    /// The per-token vectors, reused across documents (see [`Buffers`]).
    buf: Buffers,
    hits: Vec<Hit>,
    found: Found,
    roles: Vec<Role>,
    /// Local actors by name: the person and the organization of that name (locals are of
    /// these two kinds only), so that a name is looked up by `&str`, without a key allocated.
    by_name: HashMap<String, [Option<usize>; 2], FxBuild>,
    /// The name runs the apposition pass worked out, by start token in increasing order:
    /// (start, end or `u32::MAX` for none). The given-name pass asks for the same runs and
    /// takes them from here (see [`Ctx::given_name_pass`] for why they still hold).
    runs: Vec<(u32, u32)>,
}

/// The per-token vectors of [`Ctx`], kept from one document to the next on each thread:
/// allocating them afresh for every document (and having fresh pages zeroed) cost more than
/// refilling them.
#[derive(Default)]
struct Buffers {
    toks: Vec<Tok>,
    claims: Vec<Claim>,
    /// Per token: the title phrase starting there.
    /// (Tokens are few per phrase: a byte holds the count and keeps the vector small.)
    titles: Vec<Option<(u8, TitleClass, u16)>>,
    /// Per token: bit 1 a kept hit starts there, bit 2 one ends there.
    hit_edges: Vec<u8>,
    /// Per token: its word-list bits (`lexicon::*_F`), or [`FLAGS_UNKNOWN`] until asked.
    word_flags: Vec<Cell<u16>>,
    /// The capitalized tokens and the tokens that start a title, in order: the passes start
    /// only at those, and most tokens are neither.
    capitalized: Vec<u32>,
    titled: Vec<u32>,
    /// The tokens where a known name may start (they pass the gazetteer's byte filters): the
    /// gazetteer pass searches from those alone.
    named: Vec<u32>,
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::default();
}

/// Buffers of documents with more tokens than this are not kept: a rare huge document should
/// not hold its memory for the rest of the run. About 1.3 MB of text; the buffers then take
/// some 12 MB per thread, while a news article needs a few hundred kB.
const KEEP_TOKENS: usize = 1 << 18;

/// The first token of the sorted `list` at or after token `i`; `at` is the position in the
/// list, which only moves forward.
fn next_listed(list: &[u32], at: &mut usize, i: usize) -> Option<usize> {
    while list.get(*at).is_some_and(|&x| (x as usize) < i) {
        *at += 1;
    }
    list.get(*at).map(|&x| x as usize)
}

/// A token's word-list bits before they are looked up (no word has all bits).
const FLAGS_UNKNOWN: u16 = u16::MAX;

/// Finds the actor mentions of `text`. `sentence_starts` are byte offsets from the sentence
/// layer (may be empty: the tokenizer also finds sentence starts itself).
///
/// Every token of the text is made, although the passes start only at candidates. Tokenizing
/// only windows around the candidates (a byte scan between them, the tokenizer restarted where
/// its state is known, a gap token between windows) was built and measured, with the same
/// output, and is slower here: 15% of the tokens are capitalized, and with the context the
/// passes read around a candidate (the token before and after it, a title's left walk over up
/// to six words, ten tokens after a comma for an apposition) the windows still held 54% of the
/// tokens (43% with no context at all), while deciding where they end cost more per token than
/// the tokenizer saves (646M against 538M instructions for `Actors::analyze` on the 1,000-doc
/// subset). Sorting the tokens into the candidate lists while they are made (a callback in the
/// tokenizer, no second loop) was measured as well, with the same output: inlined into `find`
/// it cost 2.4M instructions more than the loop of [`Ctx::compute_candidates`], kept out of line
/// it cost the same (99.53M against 99.62M for `Actors::analyze` on the first 200 documents of
/// the subset): the filters, not the loop, are the cost.
///
/// What windows could win at best was measured too (1,000-doc subset, callgrind with each pass
/// kept out of line): of `find`'s 373M instructions, the per-token work is 203M (the tokenizer
/// 127M, [`Ctx::compute_candidates`] 76M) and the passes 170M (organizations 39M, appositions
/// 37M, coreference 30M, gazetteer 19M, given names 16M, titles 16M, the rest in `finish`).
/// Every token the passes read was recorded (a temporary trace in the token accessors, not
/// kept): they read 34.4% of the tokens, the 15.1% that are capitalized, 13.2% right beside
/// one, and 6.1% further away (a title before a name, an apposition's clause, a title's left
/// walk). A window that held exactly those tokens would leave the passes and the annotations
/// as they are and cut at most about 130M, to some 330M for `Actors::analyze`;
/// `examples/windows.rs` shows the windows' shares (34.5% of the tokens for one token on each
/// side, 48.2% for two) and that plain lower-case stretches long enough to skip with the reach
/// the passes need hold only 6.4% of the tokens; windows sized by the same reach around every
/// word that is not a plain small one (simulated) would still hold 64% of the tokens.
///
/// The per-token work was cut instead: the tokenizer makes runs of plain words in a loop of its
/// own, and marks the small ones that start no title and no name quiet, which the candidate
/// pass skips without its filters (tokenizer 111M, candidates 43.5M: 154M against 203M).
pub fn find(gaz: &Gazetteer, text: &str, sentence_starts: &[usize]) -> Found {
    let mut b = BUFFERS.try_with(|c| std::mem::take(&mut *c.borrow_mut())).unwrap_or_default();
    tokenize_marked(text, sentence_starts, &mut b.toks, gaz.loud_words());
    b.claims.clear();
    b.claims.resize(b.toks.len(), Claim::Free);
    let mut cx = Ctx {
        text,
        gaz,
        buf: b,
        hits: Vec::new(),
        found: Found::default(),
        roles: Vec::new(),
        by_name: HashMap::default(),
        runs: Vec::new(),
    };
    cx.compute_candidates();
    // Room for what the candidates can give, so that the vectors filled pass by pass do not
    // regrow (and copy themselves) as they fill: a hit per name start, a run per capitalized
    // token, and about as many mentions as there are capitalized tokens and title starts.
    let (named, capitalized, titled) = (cx.buf.named.len(), cx.buf.capitalized.len(), cx.buf.titled.len());
    cx.hits.reserve(named);
    cx.runs.reserve(capitalized);
    // Local actors are named by capitalized words, a name often by two, repeated ones by none:
    // room for one per four capitalized tokens spares most documents the map's regrowth.
    cx.by_name.reserve(capitalized / 4);
    cx.found.mentions.reserve(capitalized + titled);
    cx.gazetteer_pass();
    cx.organization_pass();
    cx.title_pass();
    cx.apposition_pass();
    cx.given_name_pass();
    cx.coreference_pass();
    cx.finish()
}

fn is_boundary(c: Option<char>) -> bool {
    !c.is_some_and(char::is_alphanumeric)
}

impl<'a> Ctx<'a> {
    /// Whether token `i` has any of the word-list bits `f`.
    fn is(&self, i: usize, f: u16) -> bool {
        self.flags(i) & f != 0
    }

    /// All word-list bits of token `i` (0 past the end).
    fn flags(&self, i: usize) -> u16 {
        let Some(cell) = self.buf.word_flags.get(i) else { return 0 };
        let mut x = cell.get();
        if x == FLAGS_UNKNOWN {
            // Looked up on first use: most tokens are never asked about.
            let t = &self.buf.toks[i];
            x = if !t.is_word() || t.shape == Shape::Digit {
                0
            } else {
                lexicon().flags_at(self.text.as_bytes(), t.start, t.end)
            };
            cell.set(x);
        }
        x
    }

    fn word(&self, i: usize) -> &'a str {
        self.buf.toks[i].text(self.text)
    }

    /// The bytes of token `i`: for comparisons with ASCII words and punctuation in the passes'
    /// loops, which then skip the check that a `str` slice starts and ends on a character.
    fn wb(&self, i: usize) -> &'a [u8] {
        let t = &self.buf.toks[i];
        &self.text.as_bytes()[t.start..t.end]
    }

    /// Known names, searched in the gazetteer's trie from the tokens where one may start
    /// (longest name first, case-exact spellings).
    fn gazetteer_pass(&mut self) {
        let text = self.text;
        let mut blocked: Vec<(usize, usize)> = Vec::new();
        // Leftmost-longest from token starts: a name is searched for where a token starts,
        // and the next search starts after the name found (kept or not). A scan of every byte
        // would also try names inside words, only to drop them (they start at no word
        // boundary); this gives the same mentions on the whole corpus, except that such a
        // dropped name can no longer hide one starting at the next word.
        let mut resume = 0;
        for &first in &self.buf.named {
            let first = first as usize;
            let s = self.buf.toks[first].start;
            if s < resume {
                continue;
            }
            let Some((e, pattern)) = self.gaz.name_at_unfiltered(text, s) else { continue };
            resume = e;
            if !is_boundary(text[..s].chars().next_back()) || !is_boundary(text[e..].chars().next()) {
                continue;
            }
            let v = &self.gaz.variants[pattern];
            let mut last = first;
            while last + 1 < self.buf.toks.len() && self.buf.toks[last + 1].start < e {
                last += 1;
            }
            match v.actor {
                None => blocked.push((first, last)),
                Some(actor) => self.hits.push(Hit {
                    start: s,
                    end: e,
                    actor,
                    via: v.via,
                    ambiguous: v.ambiguous,
                    first,
                    last,
                    dropped: false,
                    absorbed: false,
                }),
            }
        }
        for (f, l) in blocked {
            for c in &mut self.buf.claims[f..=l] {
                *c = Claim::Blocked;
            }
        }
        self.buf.hit_edges.clear();
        self.buf.hit_edges.resize(self.buf.toks.len(), 0);
        for h in &self.hits {
            self.buf.hit_edges[h.first] |= 1;
            self.buf.hit_edges[h.last] |= 2;
        }
        // A weak name inside a longer capitalized name is not the actor: "George Washington",
        // "Jim Jordan", "Tehran Times", "Beijing Olympics". A following title or organization
        // word keeps it ("Moscow Mayor …", "U.S. Army").
        for h in 0..self.hits.len() {
            let hit = &self.hits[h];
            if hit.via == Via::Demonym {
                continue;
            }
            let weak = hit.ambiguous || hit.via == Via::Capital || hit.via == Via::Seat;
            let (first, last) = (hit.first, hit.last);
            let next = last + 1;
            let mut drop = false;
            let is_state = self.gaz.actors[hit.actor as usize].kind == Kind::Country;
            if is_state && !self.buf.toks[last].possessive && next < self.buf.toks.len() && !self.org_head_ahead(next) {
                let t = &self.buf.toks[next];
                if t.spaced
                    && t.is_capitalized()
                    && !t.sent_start
                    && !self.hit_starts_at(next)
                    && !self.is(next, ORG_HEAD_F)
                    && !self.title_at(next).is_some_and(|(_, c, _)| c != TitleClass::Org)
                    && !self.is(next, CAP_STOP_F)
                {
                    drop = true;
                }
            }
            if weak && first > 0 && self.buf.toks[first].spaced {
                let p = &self.buf.toks[first - 1];
                if p.is_capitalized()
                    && (self.is(first - 1, GIVEN_F) || (!p.sent_start && !self.is(first - 1, CAP_STOP_F)))
                    && !self.hit_ends_at(first - 1)
                    && self.title_at(first - 1).is_none()
                {
                    drop = true;
                }
            }
            if drop {
                self.hits[h].dropped = true;
            }
        }
        // Ambiguous names count only when the document names the actor unambiguously too.
        let confirmed: std::collections::HashSet<u32, FxBuild> =
            self.hits.iter().filter(|h| !h.dropped && !h.ambiguous).map(|h| h.actor).collect();
        for h in &mut self.hits {
            if h.ambiguous && !confirmed.contains(&h.actor) {
                h.dropped = true;
            }
        }
        for (i, h) in self.hits.iter().enumerate() {
            if h.dropped {
                continue;
            }
            for c in &mut self.buf.claims[h.first..=h.last] {
                *c = Claim::Hit(i);
            }
        }
    }

    /// Whether the capitalized words from `i` on reach an organization head word
    /// ("Russia Energy Ministry"): the name is then a modifier of that organization.
    fn org_head_ahead(&self, i: usize) -> bool {
        let mut k = i;
        while k < self.buf.toks.len() && k < i + 5 {
            let t = &self.buf.toks[k];
            if !t.is_capitalized() || (k > i && !t.spaced) {
                return false;
            }
            if self.is(k, ORG_HEAD_F) {
                return true;
            }
            k += 1;
        }
        false
    }

    /// Whether token `i` may be taken into an organization's name: free, a known name or part
    /// of a blocked phrase.
    fn org_claimable(&self, i: usize) -> bool {
        matches!(self.buf.claims.get(i), Some(Claim::Free | Claim::Hit(_) | Claim::Blocked))
    }

    fn hit_starts_at(&self, i: usize) -> bool {
        self.buf.hit_edges.get(i).is_some_and(|e| e & 1 != 0)
    }

    fn hit_ends_at(&self, i: usize) -> bool {
        self.buf.hit_edges.get(i).is_some_and(|e| e & 2 != 0)
    }

    fn hit_of(&self, i: usize) -> Option<usize> {
        match self.buf.claims.get(i) {
            Some(Claim::Hit(h)) => Some(*h),
            _ => None,
        }
    }

    /// The title phrase starting at token `i`: (tokens it spans, class, phrase index).
    fn title_at(&self, i: usize) -> Option<(usize, TitleClass, u16)> {
        self.buf.titles.get(i).copied().flatten().map(|(len, class, phrase)| (usize::from(len), class, phrase))
    }

    /// One pass over all tokens, so that the later passes visit only the tokens they can
    /// start at: the capitalized ones, those where a known name may start (the gazetteer's
    /// byte filters), and those that start a title phrase. The title phrase starting at each
    /// token is found here once, without allocating: a bit filter rules out most words, the
    /// first word is lower-cased into a stack buffer, later words compare ignoring ASCII case.
    /// (A cheaper first filter, by a word's length and first byte alone, was measured: it let
    /// 41% of the words through, and Actors::analyze rose by 1.3M instructions on the first 200
    /// documents of the 1,000-doc subset.)
    fn compute_candidates(&mut self) {
        let lex = lexicon();
        let bytes = self.text.as_bytes();
        let n = self.buf.toks.len();
        let mut titles = std::mem::take(&mut self.buf.titles);
        titles.clear();
        titles.resize(n, None);
        self.buf.word_flags.clear();
        self.buf.word_flags.resize(n, Cell::new(FLAGS_UNKNOWN));
        let mut capitalized = std::mem::take(&mut self.buf.capitalized);
        let mut titled = std::mem::take(&mut self.buf.titled);
        let mut named = std::mem::take(&mut self.buf.named);
        capitalized.clear();
        titled.clear();
        named.clear();
        let mut buf = [0u8; 32];
        for (i, t) in self.buf.toks.iter().enumerate() {
            // A quiet word starts no title, and no known name but one ending inside the word,
            // which the gazetteer pass would drop (see `Gazetteer::loud_words`).
            if t.quiet {
                continue;
            }
            if self.gaz.may_start_name(bytes, t.start) {
                named.push(i as u32);
            }
            if t.is_capitalized() {
                capitalized.push(i as u32);
            }
            if !t.is_word() || t.shape == Shape::Digit {
                continue;
            }
            let w = &bytes[t.start..t.end];
            if !lex.may_start_title(w) || w.len() > buf.len() || !lex.may_be_title_word(w) || !w.is_ascii() {
                continue;
            }
            for (b, c) in buf.iter_mut().zip(w) {
                *b = c.to_ascii_lowercase();
            }
            let Some(tails) = lex.titles.get(&buf[..w.len()]) else { continue };
            'tails: for tail in tails {
                let mut j = i;
                for word in &tail.rest {
                    j += 1;
                    let Some(n) = self.buf.toks.get(j) else { continue 'tails };
                    if n.sent_start || !(n.spaced || n.glued) || self.buf.toks[j - 1].possessive {
                        continue 'tails;
                    }
                    if !n.text(self.text).eq_ignore_ascii_case(word) {
                        continue 'tails;
                    }
                }
                let Ok(len) = u8::try_from(j + 1 - i) else { continue };
                titles[i] = Some((len, tail.class, tail.phrase));
                titled.push(i as u32);
                break;
            }
        }
        self.buf.titled = titled;
        self.buf.capitalized = capitalized;
        self.buf.named = named;
        self.buf.titles = titles;
    }

    /// A run of name words starting at token `j`: returns the index one past its last token.
    /// Names are capitalized words (with initials, particles and hyphens), at most four words,
    /// not crossing a sentence start, a known name or a title.
    fn name_run(&self, j: usize, allow_sentence_start: bool) -> Option<usize> {
        // "R-Ala.", "D-N.Y.": a US party-and-state tag is no name, nor is its state part.
        let party_tag = |p: usize| {
            self.buf.toks.get(p).is_some_and(|t| t.shape == Shape::Initial)
                && matches!(self.wb(p), b"R" | b"D" | b"I")
                && self.buf.toks.get(p + 1).is_some_and(|n| n.glued && self.wb(p + 1) == b"-")
        };
        let glued = self.buf.toks.get(j).is_some_and(|t| t.glued);
        if party_tag(j) || (j >= 2 && glued && party_tag(j - 2)) {
            return None;
        }
        let mut k = j;
        let mut words = 0;
        while k < self.buf.toks.len() {
            let t = &self.buf.toks[k];
            if self.buf.claims[k] != Claim::Free {
                break;
            }
            if k > j && (t.sent_start || !(t.spaced || t.glued)) {
                break;
            }
            if k == j && t.sent_start && !allow_sentence_start {
                break;
            }
            let particle = t.shape == Shape::Lower && self.is(k, PARTICLE_F) && k > j;
            let hyphen = t.glued
                && k > j
                && self.wb(k) == b"-"
                && self.buf.toks.get(k + 1).is_some_and(|n| n.glued && n.is_word());
            if hyphen {
                k += 2;
                if self.buf.toks[k - 1].possessive {
                    break;
                }
                continue;
            }
            if particle {
                if self.buf.toks.get(k + 1).is_some_and(|n| n.is_capitalized() || n.glued) {
                    k += 1;
                    continue;
                }
                break;
            }
            // A month right after a known given name is a surname ("Theresa May"); other
            // function and time words end the name ("Donald Trump Monday").
            if !t.is_capitalized()
                || (self.is(k, CAP_STOP_F) && !(k == j + 1 && self.is(k, TIME_F) && self.is(j, GIVEN_F)))
                || self.is(k, ORG_HEAD_F)
            {
                break;
            }
            if k > j && self.title_at(k).is_some() {
                break;
            }
            words += 1;
            k += 1;
            if t.possessive || words == 4 {
                break;
            }
        }
        (words > 0).then_some(k)
    }

    fn span_text(&self, first: usize, end: usize) -> (usize, usize, String) {
        let s = self.buf.toks[first].start;
        let e = self.buf.toks[end - 1].end;
        (s, e, self.text[s..e].to_string())
    }

    /// The local actor of this kind and name (a person or an organization), made when new; its
    /// affiliation is set when it has none.
    fn local(&mut self, kind: Kind, name: String, affiliation: Option<String>) -> usize {
        debug_assert!(matches!(kind, Kind::Person | Kind::Organization), "{kind:?}");
        let slot = usize::from(kind != Kind::Person);
        if let Some(i) = self.by_name.get(name.as_str()).and_then(|e| e[slot]) {
            if self.found.locals[i].affiliation.is_none() {
                self.found.locals[i].affiliation = affiliation;
            }
            return i;
        }
        let i = self.found.locals.len();
        self.by_name.entry(name.clone()).or_default()[slot] = Some(i);
        self.found.locals.push(LocalActor { name, kind, affiliation, titles: Vec::new(), merged_into: None });
        i
    }

    fn claim(&mut self, first: usize, end: usize, local: usize) {
        for i in first..end {
            if let Claim::Hit(h) = self.buf.claims[i] {
                self.hits[h].absorbed = true;
            }
            self.buf.claims[i] = Claim::Name(local);
        }
    }

    fn push(&mut self, start: usize, end: usize, actor: ActorRef, via: Via) {
        self.found.mentions.push(Mention { start, end, actor, via });
    }

    /// The state a hit stands for, as an affiliation: a state's own name, or an
    /// organization's affiliation.
    fn hit_affiliation(&self, h: usize) -> Option<String> {
        let a: &ActorDef = &self.gaz.actors[self.hits[h].actor as usize];
        if a.kind == Kind::Country {
            Some(a.name.clone())
        } else {
            a.affiliation.clone()
        }
    }

    fn claimed_affiliation(&self, i: usize) -> Option<(Option<String>, Option<usize>)> {
        match self.buf.claims.get(i)? {
            Claim::Hit(h) => Some((self.hit_affiliation(*h), Some(*h))),
            Claim::Name(l) if *l != usize::MAX && self.found.locals[*l].kind == Kind::Organization => {
                Some((self.found.locals[*l].affiliation.clone(), None))
            }
            _ => None,
        }
    }

    /// Organization names by their head word: "Federal Security Service", "Russian Defense
    /// Ministry", "the United Russia party".
    fn organization_pass(&mut self) {
        let mut i = 0;
        let mut listed = 0;
        while let Some(next) = next_listed(&self.buf.capitalized, &mut listed, i) {
            i = next;
            let t = &self.buf.toks[i];
            let startable = t.is_capitalized() && self.org_claimable(i);
            if !startable {
                i += 1;
                continue;
            }
            // Extend the run over capitalized words, hits and inner connectors.
            let mut k = i;
            let mut last_word = i;
            let mut has_head = false;
            let mut has_blocked = false;
            while k < self.buf.toks.len() {
                let t = &self.buf.toks[k];
                if k > i && (t.sent_start || !(t.spaced || t.glued)) {
                    break;
                }
                let blocked = match self.buf.claims[k] {
                    Claim::Free | Claim::Hit(_) => false,
                    Claim::Blocked => true,
                    Claim::Name(_) => break,
                };
                if t.is_capitalized() {
                    has_blocked |= blocked;
                    let flags = self.flags(k);
                    let head = flags & ORG_HEAD_F != 0;
                    // Words of time never belong to a name ("… Times on Monday").
                    if k > i && flags & TIME_F != 0 {
                        break;
                    }
                    if k > i && !head && self.title_at(k).is_some_and(|(_, c, _)| c != TitleClass::Org) {
                        break;
                    }
                    has_head |= head;
                    last_word = k;
                    k += 1;
                    if t.possessive {
                        break;
                    }
                    continue;
                }
                let w = self.wb(k);
                let connector = matches!(w, b"of" | b"for" | b"and" | b"on" | b"the" | b"&" | b"de");
                // A connector joins the next capitalized word, unless that word is a function or
                // time word ("… and The Associated Press", "… on Tuesday"); "and" and "&" do
                // not join a second name to a complete one ("Fox News and CNN").
                let joins = connector
                    && k > i
                    && self.buf.toks.get(k + 1).is_some_and(|n| n.is_capitalized() && n.spaced)
                    && !self.is(k + 1, CAP_STOP_F)
                    && !(matches!(w, b"and" | b"&") && self.is(k - 1, ORG_HEAD_F));
                if joins {
                    k += 1;
                    continue;
                }
                break;
            }
            let run_end = last_word + 1;
            // A blocked phrase is part of an organization's name only when that name ends in a
            // head word ("Washington Post", "Indian Health Service"; not "Security Council
            // Resolution").
            if has_blocked && !self.is(last_word, ORG_HEAD_F) {
                i = run_end.max(i + 1);
                continue;
            }
            // "the United Russia party": a lower-case "party" after a capitalized run.
            let party_after = !has_head
                && run_end < self.buf.toks.len()
                && self.wb(run_end) == b"party"
                && self.buf.toks[run_end].spaced
                && !self.buf.toks[last_word].possessive;
            if !(has_head || party_after) {
                i = run_end.max(i + 1);
                continue;
            }
            // Trim leading function words and a leading possessive state or an international body.
            let mut first = i;
            let mut affiliation: Option<String> = None;
            while first < run_end {
                if self.buf.claims[first] == Claim::Free && self.is(first, CAP_STOP_F) {
                    first += 1;
                    continue;
                }
                if let Some(h) = self.hit_of(first) {
                    let hit = &self.hits[h];
                    let def = &self.gaz.actors[hit.actor as usize];
                    if self.buf.toks[hit.last].possessive || def.kind != Kind::Country {
                        if def.kind == Kind::Country {
                            affiliation = Some(def.name.clone());
                        }
                        first = hit.last + 1;
                        continue;
                    }
                }
                break;
            }
            // Skip connectors left at the front.
            while first < run_end && !self.buf.toks[first].is_capitalized() {
                first += 1;
            }
            let words = (first..run_end).filter(|&x| self.buf.toks[x].is_capitalized()).count();
            let heads_only = (first..run_end).all(|x| self.is(x, ORG_HEAD_F) || !self.buf.toks[x].is_capitalized());
            // A blocked phrase alone is an organization only when it names a newspaper
            // ("Washington Post"; not "West Bank", whose head word is a bank's).
            let blocked_only = has_blocked
                && (first..run_end).all(|x| self.buf.claims[x] == Claim::Blocked || !self.buf.toks[x].is_capitalized());
            if words < 1 || (words < 2 && !party_after) || heads_only || (blocked_only && !self.is(last_word, MEDIA_F))
            {
                i = run_end.max(i + 1);
                continue;
            }
            // The whole run must not already be one gazetteer name.
            if let Some(h) = self.hit_of(first) {
                if self.hits[h].first == first && self.hits[h].last + 1 == run_end {
                    i = run_end;
                    continue;
                }
            }
            for x in first..run_end {
                if affiliation.is_none() {
                    if let Some(h) = self.hit_of(x) {
                        affiliation = self.hit_affiliation(h);
                    }
                }
            }
            let (s, e, name) = self.span_text(first, run_end);
            let mut end_tok = run_end;
            // "Federal Security Service (FSB)": an acronym in brackets is the same body; when
            // the acronym is a known one, the name joins that actor.
            let mut acronym_hit: Option<usize> = None;
            let mut acronym: Option<(usize, String)> = None;
            if run_end + 2 < self.buf.toks.len()
                && self.word(run_end) == "("
                && self.buf.toks[run_end + 1].shape == Shape::Upper
                && self.word(run_end + 2) == ")"
            {
                match self.hit_of(run_end + 1) {
                    Some(h) => acronym_hit = Some(h),
                    None => acronym = Some((run_end + 1, self.word(run_end + 1).to_string())),
                }
            }
            if affiliation.is_none() && end_tok + 1 < self.buf.toks.len() {
                // "… (FSB) of Russia", "Ministry of Defence of Armenia" already inside the run.
                let after = if acronym_hit.is_some() || acronym.is_some() { run_end + 3 } else { run_end };
                if after + 1 < self.buf.toks.len() && self.word(after) == "of" {
                    if let Some(h) = self.hit_of(after + 1) {
                        affiliation = self.hit_affiliation(h);
                    }
                }
            }
            if let Some(h) = acronym_hit {
                let actor = self.hits[h].actor;
                for x in first..run_end {
                    if let Claim::Hit(hh) = self.buf.claims[x] {
                        self.hits[hh].absorbed = true;
                    }
                    self.buf.claims[x] = Claim::Name(usize::MAX);
                }
                self.push(s, e, ActorRef::Known(actor), Via::Alias);
            } else {
                let l = self.local(Kind::Organization, name, affiliation);
                self.claim(first, run_end, l);
                self.push(s, e, ActorRef::Local(l), Via::Name);
                if let Some((a, _)) = acronym {
                    self.claim(a, a + 1, l);
                    let t = &self.buf.toks[a];
                    let (s, e) = (t.start, t.end);
                    self.push(s, e, ActorRef::Local(l), Via::Alias);
                    end_tok = a + 2;
                }
            }
            i = end_tok.max(i + 1);
        }
    }

    /// Looks left of a title for the state or organization it belongs to, over at most six
    /// descriptive lower-case words. Returns (affiliation, hit index, adjacent, determiner
    /// right before the affiliation or title).
    fn left_affiliation(&self, i: usize) -> (Option<String>, Option<usize>, bool, bool) {
        let mut k = i;
        let mut skipped = 0;
        while k > 0 {
            let t = &self.buf.toks[k];
            if t.sent_start || !(t.spaced || t.glued) {
                break;
            }
            let p = k - 1;
            if let Some((aff, hit)) = self.claimed_affiliation(p) {
                // Start of that hit or name: look for a determiner before it.
                let mut q = p;
                while q > 0 && self.buf.claims[q - 1] == self.buf.claims[p] {
                    q -= 1;
                }
                let det = q > 0 && self.is(q - 1, DETERMINER_F) && self.buf.toks[q].spaced;
                return (aff, hit, skipped == 0, det);
            }
            let w = self.wb(p);
            let pt = &self.buf.toks[p];
            if skipped == 0 && self.is(p, DETERMINER_F) {
                return (None, None, true, true);
            }
            if pt.shape == Shape::Lower && !self.is(p, LEFT_STOP_F) && skipped < 6 && self.buf.claims[p] == Claim::Free
            {
                skipped += 1;
                k = p;
                continue;
            }
            if pt.shape == Shape::Lower && matches!(w, b"former" | b"late" | b"then" | b"acting" | b"outgoing") {
                skipped += 1;
                k = p;
                continue;
            }
            break;
        }
        (None, None, false, false)
    }

    /// Names after a title or description, and role descriptions without a name.
    fn title_pass(&mut self) {
        let mut i = 0;
        let mut listed = 0;
        while let Some(next) = next_listed(&self.buf.titled, &mut listed, i) {
            i = next;
            if self.buf.claims[i] != Claim::Free || !self.buf.toks[i].is_word() {
                i += 1;
                continue;
            }
            let Some((len, class, phrase)) = self.title_at(i) else {
                i += 1;
                continue;
            };
            let e = i + len;
            // Chained titles: "Deputy Prime Minister", "President and CEO" are phrases; a second
            // title right after the first ("Foreign Minister spokesman") takes over.
            if self.title_at(e).is_some() {
                i = e;
                continue;
            }
            // A title written with a capital only when it stands before a name; lower-case
            // person titles ("billionaire", "deputy") also introduce names.
            let possessive_title = self.buf.toks[e - 1].possessive;
            let name_end = if possessive_title { None } else { self.name_run(e, false) };
            let name_end = name_end.filter(|&k| self.buf.toks[e].spaced && (e..k).all(|x| !self.is(x, ORG_HEAD_F)));
            let (affiliation, hit, adjacent, det) = self.left_affiliation(i);
            match name_end {
                Some(k) => {
                    let words = (e..k).filter(|&x| self.buf.toks[x].is_capitalized()).count();
                    let kind = if class == TitleClass::Org { Kind::Organization } else { Kind::Person };
                    // A lower-case org description before a single word must have a state:
                    // "company Apple" alone is too weak.
                    if kind == Kind::Organization && (affiliation.is_none() || words > 3) {
                        i = e;
                        continue;
                    }
                    let mut affiliation = affiliation;
                    if kind == Kind::Person && affiliation.is_none() {
                        affiliation = self.us_party_tag(k);
                    }
                    let (s, en, name) = self.span_text(e, k);
                    let name = name.trim_end_matches(['’', '\'']).to_string();
                    let l = self.local(kind, name, affiliation);
                    self.found.locals[l].titles.push((class, phrase));
                    self.claim(e, k, l);
                    if let (Some(h), true) = (hit, adjacent) {
                        if self.hits[h].via == Via::Demonym {
                            self.hits[h].absorbed = true;
                        }
                    }
                    self.push(s, en, ActorRef::Local(l), Via::Title);
                    i = k;
                }
                None => {
                    if let (Some(aff), Some(h), true, true) = (affiliation, hit, adjacent, det) {
                        if class != TitleClass::Org && self.hits[h].via == Via::Demonym {
                            let start = self.hits[h].start;
                            let end = self.buf.toks[e - 1].end;
                            self.hits[h].absorbed = true;
                            for x in i..e {
                                self.buf.claims[x] = Claim::Name(usize::MAX);
                            }
                            self.roles.push(Role { start, end, affiliation: aff, class, phrase });
                        }
                    }
                    i = e;
                }
            }
        }
    }

    /// "Sen. Bernie Sanders (I-Vt.)": a US party-and-state tag after a name.
    fn us_party_tag(&self, k: usize) -> Option<String> {
        let open = self.buf.toks.get(k)?;
        if self.word(k) != "(" || !open.spaced {
            return None;
        }
        let party = self.word(k + 1);
        let dash = self.buf.toks.get(k + 2).map(|_| self.word(k + 2));
        if matches!(party, "D" | "R" | "I") && dash.is_some_and(|d| d == "-" || d == "–") {
            return self.gaz.country_name("USA");
        }
        None
    }

    /// "Yevgeny Fyodorov, State Duma deputy from …": a name, a comma, then a title in the
    /// same clause; the first state or organization in the clause gives the affiliation.
    fn apposition_pass(&mut self) {
        let mut i = 0;
        let mut listed = 0;
        while let Some(next) = next_listed(&self.buf.capitalized, &mut listed, i) {
            i = next;
            if self.buf.claims[i] != Claim::Free || !self.buf.toks[i].is_capitalized() {
                i += 1;
                continue;
            }
            let run = self.name_run(i, true);
            self.runs.push((i as u32, run.map_or(u32::MAX, |k| k as u32)));
            let Some(k) = run else {
                i += 1;
                continue;
            };
            let words = k - i;
            let comma = k < self.buf.toks.len() && self.wb(k) == b"," && !self.buf.toks[k - 1].possessive;
            if !comma || words > 4 {
                i = k;
                continue;
            }
            let starts_sentence = self.buf.toks[i].sent_start;
            let given = self.is(i, GIVEN_F);
            // Look through the clause for a title.
            let mut j = k + 1;
            let mut affiliation: Option<String> = None;
            let mut title: Option<(TitleClass, u16)> = None;
            let mut seen = 0;
            while j < self.buf.toks.len() && seen < 10 {
                let t = &self.buf.toks[j];
                let w = self.wb(j);
                let clause_end = matches!(w, b"," | b"." | b";" | b":" | b"(" | b")" | b"\"")
                    || w == "“".as_bytes()
                    || w == "”".as_bytes();
                if t.shape == Shape::Punct && clause_end {
                    break;
                }
                if t.sent_start {
                    break;
                }
                if let Some((aff, _)) = self.claimed_affiliation(j) {
                    if affiliation.is_none() {
                        affiliation = aff;
                    }
                    j += 1;
                    seen += 1;
                    continue;
                }
                if title.is_none() {
                    if let Some((len, class, phrase)) = self.title_at(j) {
                        title = Some((class, phrase));
                        j += len;
                        seen += len;
                        continue;
                    }
                }
                // Only a description may follow: a verb of saying ends it.
                if self.is(j, SPEECH_F) {
                    break;
                }
                j += 1;
                seen += 1;
            }
            let Some((class, phrase)) = title else {
                i = k;
                continue;
            };
            let is_person = class != TitleClass::Org;
            let ok = if is_person { words >= 2 && (given || !starts_sentence) } else { affiliation.is_some() };
            if !ok {
                i = k;
                continue;
            }
            let kind = if is_person { Kind::Person } else { Kind::Organization };
            let (s, e, name) = self.span_text(i, k);
            let l = self.local(kind, name, affiliation);
            self.found.locals[l].titles.push((class, phrase));
            self.claim(i, k, l);
            self.push(s, e, ActorRef::Local(l), Via::Apposition);
            i = k;
        }
    }

    /// Names that start with a known given name ("Leonid Kravchuk"), and two- or three-word
    /// names beside a verb of saying ("… , Amarjit Singh said").
    ///
    /// A name run from a free token that the apposition pass already worked out is taken from
    /// [`Ctx::runs`]: a run depends on the claims of its own tokens only (it stops at the first
    /// claimed one, and claims are never undone), and none of them was claimed since. The
    /// apposition pass claims only runs after it (it moves on to the run's end), and a run this
    /// pass claimed over one of them would start before it and so cover its first token too,
    /// which is then no longer free.
    fn given_name_pass(&mut self) {
        let mut i = 0;
        let mut listed = 0;
        let mut remembered = 0;
        while let Some(next) = next_listed(&self.buf.capitalized, &mut listed, i) {
            i = next;
            if self.buf.claims[i] != Claim::Free || self.buf.toks[i].shape != Shape::Cap {
                i += 1;
                continue;
            }
            while self.runs.get(remembered).is_some_and(|&(s, _)| (s as usize) < i) {
                remembered += 1;
            }
            let run = match self.runs.get(remembered) {
                Some(&(s, e)) if s as usize == i => {
                    let run = (e != u32::MAX).then_some(e as usize);
                    debug_assert_eq!(run, self.name_run(i, true), "remembered run at token {i}");
                    run
                }
                _ => self.name_run(i, true),
            };
            let Some(k) = run else {
                i += 1;
                continue;
            };
            let words = (i..k).filter(|&x| self.buf.toks[x].is_capitalized()).count();
            let given = self.is(i, GIVEN_F);
            let speech = (2..=3).contains(&words) && {
                let after = k < self.buf.toks.len() && self.is(k, SPEECH_F) && self.buf.toks[k].spaced;
                let before = i > 0 && self.is(i - 1, SPEECH_F) && self.buf.toks[i].spaced;
                after || before
            };
            let org_after = || k < self.buf.toks.len() && self.is(k, ORG_HEAD_F);
            // A known given name inside the run starts the name, when capitalized words that
            // are not names come before it and a surname after it ("Special Counsel Robert
            // Mueller", "Homeland Security Secretary Jeh Johnson" where the title is unknown).
            let inner = if k - i < 3 || given || speech || org_after() {
                None
            } else {
                (i + 1..k.saturating_sub(1)).find(|&p| {
                    self.buf.toks[p].shape == Shape::Cap
                        && self.is(p, GIVEN_F)
                        && self.buf.toks[p + 1].is_capitalized()
                        && !self.buf.toks[p - 1].possessive
                })
            };
            if let Some(p) = inner {
                let affiliation = self.us_party_tag(k);
                let (s, e, name) = self.span_text(p, k);
                let l = self.local(Kind::Person, name, affiliation);
                self.claim(p, k, l);
                self.push(s, e, ActorRef::Local(l), Via::Name);
            } else if words >= 2 && (given || speech) && !org_after() {
                let affiliation = self.us_party_tag(k);
                let (s, e, name) = self.span_text(i, k);
                let l = self.local(Kind::Person, name, affiliation);
                self.claim(i, k, l);
                self.push(s, e, ActorRef::Local(l), Via::Name);
            }
            i = k.max(i + 1);
        }
    }

    fn coreference_pass(&mut self) {
        self.join_name_variants();
        // Where each local actor is first mentioned (byte offset).
        let mut first_at = vec![usize::MAX; self.found.locals.len()];
        for m in &self.found.mentions {
            if let ActorRef::Local(l) = m.actor {
                first_at[l] = first_at[l].min(m.start);
            }
        }
        // Single-word people ("President Putin", "Mr. Trump") become the full name with that
        // surname (see [`Ctx::pick_by_surname`] when several people share it).
        // Surname → the first person with it, and whether there are more (then the list is
        // gathered when asked for: most surnames belong to one person).
        let mut surnames: HashMap<String, (usize, bool), FxBuild> =
            HashMap::with_capacity_and_hasher(self.found.locals.len(), FxBuild::default());
        for i in 0..self.found.locals.len() {
            if let Some(surname) = self.surname_of(i) {
                surnames.entry(surname.to_string()).and_modify(|e| e.1 = true).or_insert((i, false));
            }
        }
        for i in 0..self.found.locals.len() {
            let a = &self.found.locals[i];
            if a.kind != Kind::Person || a.name.contains(' ') || a.merged_into.is_some() {
                continue;
            }
            let Some(&first) = surnames.get(&a.name) else { continue };
            let cands = self.people_with_surname(first);
            if let Some(j) = self.pick_by_surname(&cands, &a.titles, &first_at, Some(first_at[i])) {
                self.merge_local(i, j);
            }
        }
        // Short names to actors: surnames, single-word people and organizations, acronyms.
        // (Sized for the surnames, the one-word names and some acronyms: it seldom regrows.)
        let mut short: HashMap<String, Option<usize>, FxBuild> =
            HashMap::with_capacity_and_hasher(surnames.len() + self.found.locals.len() + 4, FxBuild::default());
        for (name, &first) in &surnames {
            let pick = match first {
                (only, false) => Some(only),
                _ => self.pick_by_surname(&self.people_with_surname(first), &[], &first_at, None),
            };
            short.insert(name.clone(), pick);
        }
        for (i, a) in self.found.locals.iter().enumerate() {
            if a.merged_into.is_none() && !a.name.contains(' ') {
                let name = a.name.trim_end_matches(['’', '\'']).to_string();
                // A titled surname that stayed apart from the full names ("President Trump"
                // in an article that names only "Melania Trump") is whom the bare surname means.
                if a.kind == Kind::Person {
                    short.insert(name, Some(i));
                } else {
                    short.entry(name).or_insert(Some(i));
                }
            }
        }
        for m in &self.found.mentions {
            if m.via == Via::Alias {
                if let ActorRef::Local(l) = m.actor {
                    short.insert(self.text[m.start..m.end].to_string(), Some(l));
                }
            }
        }
        // The lengths of the short names (bit 63 for any of 63 bytes or more): most words are
        // ruled out by their length alone, without hashing them.
        let lengths = short.keys().fold(0u64, |m, k| m | 1 << k.len().min(63));
        let mut i = 0;
        let mut listed = 0;
        while let Some(next) = next_listed(&self.buf.capitalized, &mut listed, i) {
            i = next;
            let t = &self.buf.toks[i];
            if self.buf.claims[i] != Claim::Free || !matches!(t.shape, Shape::Cap | Shape::Upper) {
                i += 1;
                continue;
            }
            if lengths & 1 << (t.end - t.start).min(63) == 0 {
                i += 1;
                continue;
            }
            let w = self.word(i);
            let Some(Some(l)) = short.get(w) else {
                i += 1;
                continue;
            };
            let l = *l;
            // Part of a longer capitalized name ("Trump Tower", "Melania Trump")? Skip.
            let next_cap = self.buf.toks.get(i + 1).is_some_and(|n| {
                n.spaced && n.is_capitalized() && !n.sent_start && !t.possessive && !self.is(i + 1, CAP_STOP_F)
            });
            let prev_cap = i > 0
                && t.spaced
                && !t.sent_start
                && self.buf.toks[i - 1].is_capitalized()
                && self.buf.claims[i - 1] == Claim::Free
                && !self.is(i - 1, CAP_STOP_F);
            // "the Keiser family", "the Kennedy clan": the family, not the person; "Friedrichs
            // v. California Teachers Association": a court case, written with "v." (but "Trump
            // vs. Sanders" is a contest of the two people).
            let family = !t.possessive
                && self.buf.toks.get(i + 1).is_some_and(|n| n.spaced)
                && match self.wb(i + 1) {
                    b"family" | b"families" | b"clan" | b"dynasty" | b"household" => true,
                    // ("Trump v Harris showdown", without the dot, is a contest.)
                    b"v" => self.buf.toks.get(i + 2).is_some_and(|n| n.glued) && self.wb(i + 2) == b".",
                    _ => false,
                };
            if next_cap || prev_cap || family {
                i += 1;
                continue;
            }
            let (s, e) = (t.start, t.end);
            self.buf.claims[i] = Claim::Name(l);
            self.push(s, e, ActorRef::Local(l), Via::Coreference);
            i += 1;
        }
        // Role descriptions: the latest person before them with that affiliation and a
        // matching title; else the only such person in the document; else unresolved.
        let roles = std::mem::take(&mut self.roles);
        for r in roles {
            let fits = |a: &LocalActor| {
                a.kind == Kind::Person
                    && a.merged_into.is_none()
                    && a.affiliation.as_deref() == Some(r.affiliation.as_str())
                    && a.titles.iter().any(|(c, p)| {
                        *p == r.phrase
                            || (r.class == TitleClass::Leader && c.is_head())
                            || (r.class == TitleClass::Counterpart && (c.is_head() || *c == TitleClass::Minister))
                    })
            };
            let mut best: Option<(usize, usize)> = None;
            for m in &self.found.mentions {
                if m.start >= r.start {
                    continue;
                }
                if let ActorRef::Local(l) = self.found.canonical(m.actor) {
                    if fits(&self.found.locals[l]) && best.is_none_or(|(s, _)| m.start > s) {
                        best = Some((m.start, l));
                    }
                }
            }
            let chosen = best.map(|(_, l)| l).or_else(|| {
                let all: Vec<usize> = (0..self.found.locals.len()).filter(|&l| fits(&self.found.locals[l])).collect();
                (all.len() == 1).then(|| all[0])
            });
            if let Some(l) = chosen {
                self.push(r.start, r.end, ActorRef::Local(l), Via::Coreference);
            }
        }
    }

    /// The same person written with and without middle names or initials ("Donald J. Trump"
    /// and "Donald Trump", "Hillary Rodham Clinton" and "Hillary Clinton") becomes one actor,
    /// named by the form with the fewest middle words. Forms whose middles disagree ("George
    /// H.W. Bush" and "George W. Bush") are different people: the whole group stays apart.
    fn join_name_variants(&mut self) {
        // Names with middle words are few: each is compared with the other people's names.
        let mut joins: Vec<(usize, usize)> = Vec::new();
        let locals = &self.found.locals;
        let person = |a: &LocalActor| a.kind == Kind::Person && a.merged_into.is_none();
        for (i, a) in locals.iter().enumerate() {
            // Most names have no middle word (one space at most): nothing to join from them.
            if !person(a) || a.name.bytes().filter(|&b| b == b' ').count() < 2 {
                continue;
            }
            let Some(p) = NameParts::of(&a.name).filter(|p| !p.middle.is_empty()) else { continue };
            // The forms of this name: the same given name, surname and suffix.
            let forms: Vec<(usize, NameParts)> = locals
                .iter()
                .enumerate()
                .filter(|(_, b)| person(b))
                .filter_map(|(j, b)| NameParts::of(&b.name).map(|q| (j, q)))
                .filter(|(_, q)| (q.given, q.surname, q.suffix) == (p.given, p.surname, p.suffix))
                .collect();
            let agree = forms.iter().all(|(_, a)| forms.iter().all(|(_, b)| middles_agree(a.middle, b.middle)));
            if !agree {
                continue;
            }
            let middles = |p: &NameParts| if p.middle.is_empty() { 0 } else { 1 + p.middle.matches(' ').count() };
            let Some(&(target, _)) = forms.iter().min_by_key(|(i, p)| (middles(p), *i)) else { continue };
            if target != i {
                joins.push((i, target));
            }
        }
        for (i, j) in joins {
            self.merge_local(i, j);
        }
    }

    /// Local actor `i` becomes a mention of `j`: `j` gains its titles, and its affiliation
    /// when `j` has none.
    fn merge_local(&mut self, i: usize, j: usize) {
        let (titles, aff) = (self.found.locals[i].titles.clone(), self.found.locals[i].affiliation.clone());
        self.found.locals[i].merged_into = Some(j);
        self.found.locals[j].titles.extend(titles);
        if self.found.locals[j].affiliation.is_none() {
            self.found.locals[j].affiliation = aff;
        }
    }

    /// The surname of local actor `i` when it is a person with a name of two words or more,
    /// not merged into another.
    fn surname_of(&self, i: usize) -> Option<&str> {
        let a = &self.found.locals[i];
        if a.kind != Kind::Person || a.merged_into.is_some() {
            return None;
        }
        let p = NameParts::of(&a.name)?;
        // ("Don Jr.": a suffix is never a surname.)
        if p.suffix.is_empty() && is_suffix(p.surname) {
            return None;
        }
        Some(p.surname.trim_end_matches(['’', '\'']))
    }

    /// The people with the surname of the first one in `first` (its index, and whether there
    /// are more), in order.
    fn people_with_surname(&self, first: (usize, bool)) -> Vec<usize> {
        let (i, many) = first;
        if !many {
            return vec![i];
        }
        let surname = self.surname_of(i);
        (i..self.found.locals.len()).filter(|&j| self.surname_of(j) == surname).collect()
    }

    /// Which of the full-named people `cands` sharing a surname a bare surname means, given
    /// the titles it was seen with and where it was first met (`None` for a bare surname
    /// without title). Candidates of the other gender by honorific are out ("Mr." against
    /// "Mrs."); among several, a single one whose office matches wins; else, leaving out those
    /// whose office differs, the candidate introduced first, when the others come in later sentences (news writing
    /// introduces the principal first and names relatives by given name), else none ("Hillary
    /// Clinton and Bill Clinton arrived. Clinton spoke"). A titled surname met before the full
    /// name, whose office differs from the full name's, is left apart: "President Trump" in an
    /// article that later names "first lady Melania Trump" is not her. Without an office on the
    /// full name it joins: "President Obama … Barack Obama" is the common case. (Limiting the
    /// rule to heads of state and government was tried: it joins "Leader Pelosi" to "Speaker
    /// Nancy Pelosi", but also "Secretary Clinton … Mrs. Clinton" to "President Bill Clinton";
    /// on the corpus 7 right joins against 12 wrong ones, so the rule stays as it is.)
    fn pick_by_surname(
        &self,
        cands: &[usize],
        titles: &[(TitleClass, u16)],
        first_at: &[usize],
        bare_first: Option<usize>,
    ) -> Option<usize> {
        let locals = &self.found.locals;
        // The common case: one person has the surname, and the bare surname has no title.
        if let ([only], []) = (cands, titles) {
            return Some(*only);
        }
        let fit: Vec<usize> = cands.iter().copied().filter(|&c| !genders_differ(titles, &locals[c].titles)).collect();
        let chosen = if fit.len() == 1 {
            fit[0]
        } else {
            let agree = |c: &usize| titles_agree(titles, &locals[*c].titles);
            let matching: Vec<usize> = fit.iter().copied().filter(|c| agree(c) == Some(true)).collect();
            if matching.len() == 1 {
                matching[0]
            } else {
                let mut by_first: Vec<usize> = fit.iter().copied().filter(|c| agree(c) != Some(false)).collect();
                if by_first.is_empty() {
                    by_first = fit.clone();
                }
                by_first.sort_by_key(|&c| first_at[c]);
                match by_first[..] {
                    [] => return None,
                    [a] => a,
                    [a, b, ..] if self.sentence_between(first_at[a], first_at[b]) => a,
                    _ => return None,
                }
            }
        };
        let has_office = titles.iter().any(|&(c, p)| !is_honorific(c, p));
        if let Some(at) = bare_first {
            if has_office && at < first_at[chosen] && titles_agree(titles, &locals[chosen].titles) == Some(false) {
                return None;
            }
        }
        Some(chosen)
    }

    /// Whether a sentence starts after byte `a` and at or before byte `b`.
    fn sentence_between(&self, a: usize, b: usize) -> bool {
        if b == usize::MAX || a >= b {
            return false;
        }
        let from = self.buf.toks.partition_point(|t| t.start <= a);
        self.buf.toks[from..].iter().take_while(|t| t.start <= b).any(|t| t.sent_start)
    }

    fn finish(mut self) -> Found {
        if self.buf.toks.capacity() <= KEEP_TOKENS {
            let buffers = std::mem::take(&mut self.buf);
            // Fails only while the thread is being torn down; the buffers are then dropped.
            let _ = BUFFERS.try_with(|c| *c.borrow_mut() = buffers);
        }
        for h in &self.hits {
            if !h.dropped && !h.absorbed {
                self.found.mentions.push(Mention {
                    start: h.start,
                    end: h.end,
                    actor: ActorRef::Known(h.actor),
                    via: h.via,
                });
            }
        }
        let mut found = self.found;
        let merged: Vec<ActorRef> = found.mentions.iter().map(|m| found.canonical(m.actor)).collect();
        for (m, a) in found.mentions.iter_mut().zip(merged) {
            m.actor = a;
        }
        found.mentions.sort_by_key(|m| (m.start, m.end));
        found.mentions.dedup_by(|a, b| a.start == b.start && a.end == b.end);
        found
    }
}

/// A person's name split for coreference: given name, middle words (space-separated, empty
/// when none), surname and a suffix ("Jr.", "III"; empty when none). Slices of the name, so
/// that splitting costs no allocation.
struct NameParts<'n> {
    given: &'n str,
    middle: &'n str,
    surname: &'n str,
    suffix: &'n str,
}

impl<'n> NameParts<'n> {
    /// `None` for a one-word name.
    fn of(name: &'n str) -> Option<NameParts<'n>> {
        let (mut rest, mut last) = name.rsplit_once(' ')?;
        let mut suffix = "";
        if is_suffix(last) {
            // ("Don Jr." keeps "Jr." as its last word, as a two-word name.)
            if let Some((r, l)) = rest.rsplit_once(' ') {
                (suffix, rest, last) = (last, r, l);
            }
        }
        let (given, middle) = rest.split_once(' ').unwrap_or((rest, ""));
        Some(NameParts { given, middle, surname: last, suffix })
    }
}

/// "Jr.", "Sr.", "II", "III", "IV": a suffix after a surname, never a surname itself.
fn is_suffix(word: &str) -> bool {
    matches!(word, "Jr." | "Sr." | "II" | "III" | "IV")
}

/// Whether two lists of middle names can be the same person's: one is empty, or word by word
/// each is the other or its initial ("J." and "John").
fn middles_agree(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() || a == b {
        return true;
    }
    let initial = |i: &str, w: &str| i.len() == 2 && i.ends_with('.') && w.starts_with(&i[..1]);
    a.split(' ').count() == b.split(' ').count()
        && a.split(' ').zip(b.split(' ')).all(|(x, y)| x == y || initial(x, y) || initial(y, x))
}

/// "Mr.", "Mrs.", "Ms.": a title that says nothing of the office.
fn is_honorific(class: TitleClass, phrase: u16) -> bool {
    class == TitleClass::Person && honorific_gender(phrase).is_some()
}

/// 'm' for "mr.", 'f' for "mrs." and "ms.".
fn honorific_gender(phrase: u16) -> Option<char> {
    match lexicon().phrases.get(usize::from(phrase)).map(String::as_str) {
        Some("mr.") => Some('m'),
        Some("mrs." | "ms.") => Some('f'),
        _ => None,
    }
}

/// Whether the honorifics of two people say they differ ("Mr." and "Mrs.").
fn genders_differ(a: &[(TitleClass, u16)], b: &[(TitleClass, u16)]) -> bool {
    let gender = |t: &[(TitleClass, u16)]| {
        t.iter().find_map(|&(c, p)| (c == TitleClass::Person).then(|| honorific_gender(p)).flatten())
    };
    matches!((gender(a), gender(b)), (Some(x), Some(y)) if x != y)
}

/// Whether two people's offices agree: `Some(true)` when one is shared (heads of state,
/// government and leaders count as one), `Some(false)` when both have offices and none is
/// shared, `None` when either has none. Honorifics are no office.
fn titles_agree(a: &[(TitleClass, u16)], b: &[(TitleClass, u16)]) -> Option<bool> {
    let offices =
        |t: &[(TitleClass, u16)]| t.iter().filter(|&&(c, p)| !is_honorific(c, p)).copied().collect::<Vec<_>>();
    let (oa, ob) = (offices(a), offices(b));
    if oa.is_empty() || ob.is_empty() {
        return None;
    }
    Some(oa.iter().any(|&(ca, pa)| ob.iter().any(|&(cb, pb)| pa == pb || ca == cb || (ca.is_head() && cb.is_head()))))
}
