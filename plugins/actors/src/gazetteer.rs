//! The gazetteer: known actors (built-in states and organizations, plus user dictionaries) and
//! the names they go by, compiled into one byte trie searched from token starts.
//!
//! The built-in data lives in `data/countries.txt` and `data/organizations.txt` (readable text,
//! written by hand). The built-in gazetteer is compiled by `build.rs` with this module's own
//! [`Builder`] and baked into static tables ([`crate::baked`]), so that a run does not parse the
//! data or build the trie; user dictionaries extend or override it, and are compiled at run time.
//! `build.rs` compiles this module (with `lexicon.rs`) into itself: it may use nothing else of
//! the crate.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use std::sync::OnceLock;

use crate::lexicon::{lexicon, title_filter_bit, FxBuild};

const COUNTRIES: &str = include_str!("../data/countries.txt");
const ORGANIZATIONS: &str = include_str!("../data/organizations.txt");

/// What an actor is (the `kind` attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Country,
    Person,
    Organization,
    Group,
    Place,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Country => "country",
            Kind::Person => "person",
            Kind::Organization => "organization",
            Kind::Group => "group",
            Kind::Place => "place",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "country" => Kind::Country,
            "person" => Kind::Person,
            "organization" | "organisation" => Kind::Organization,
            "group" => Kind::Group,
            "place" => Kind::Place,
            _ => return None,
        })
    }
}

/// How a mention was recognised (the `via` attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Name,
    Alias,
    Demonym,
    Capital,
    Seat,
    Title,
    Apposition,
    Coreference,
    Dictionary,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Name => "name",
            Via::Alias => "alias",
            Via::Demonym => "demonym",
            Via::Capital => "capital",
            Via::Seat => "seat",
            Via::Title => "title",
            Via::Apposition => "apposition",
            Via::Coreference => "coreference",
            Via::Dictionary => "dictionary",
        }
    }
}

/// A known actor.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorDef {
    pub name: String,
    pub id: String,
    pub kind: Kind,
    /// Canonical name of the state the actor belongs to (a state's own is `None`).
    pub affiliation: Option<String>,
}

/// How the matched text's case must relate to the pattern as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseRule {
    /// As written, or in all capitals (a headline). Abbreviations written in capitals
    /// ("US", "WHO") match only as written, so "us" and "who" never do.
    AsWritten,
    /// Any text that starts with a capital letter (PETRARCH entries are written in capitals).
    Capitalized,
}

/// One way of writing one name.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub form: String,
    /// `None`: a blocker, a longer name that contains a known one but is not an actor.
    pub actor: Option<u32>,
    pub via: Via,
    /// Counts only when the document also names the actor unambiguously, and never inside a
    /// longer capitalized name.
    pub ambiguous: bool,
    pub case: CaseRule,
}

/// Known actors and the trie over all their names.
pub struct Gazetteer {
    pub actors: Vec<ActorDef>,
    /// Per pattern (each exact spelling), what it names.
    pub variants: Vec<Variant>,
    /// Searched anchored only: names are looked for where tokens start (see
    /// [`Gazetteer::name_at`]).
    trie: Trie,
    /// The first three bytes of every name, hashed to one bit each (a shorter name sets the bits
    /// of every way it can go on): a token whose first three bytes hit no bit needs no search.
    prefixes: Cow<'static, [u64]>,
    /// The same bits from the names of at most four bytes alone: a token that hits none of them
    /// can only start a longer name, and must also pass [`Gazetteer::prefixes5`].
    short_prefixes: Cow<'static, [u64]>,
    /// The first five bytes of every name of five bytes or more, hashed to one bit each: rules
    /// out the common words that share three bytes with a name ("the", "their" against "the
    /// West"), which would otherwise each cost a search.
    prefixes5: Cow<'static, [u64]>,
    /// The bytes some name starts with, checked first (one load rules out most words).
    first_bytes: [bool; 256],
    by_id: HashMap<String, u32>,
    /// See [`Gazetteer::loud_words`]; made on first use.
    loud: OnceLock<Vec<u64>>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer").field("actors", &self.actors.len()).field("patterns", &self.variants.len()).finish()
    }
}

impl Gazetteer {
    /// A gazetteer from baked tables (see [`crate::baked`]): the actors and names as
    /// `(name, id, kind, affiliation)` and `(form, actor or u32::MAX, via, ambiguous, case)`,
    /// the trie's arrays, and the name filters, as [`Gazetteer::baked_source`] wrote them.
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    pub(crate) fn from_baked(
        actors: &[(&str, &str, Kind, Option<&str>)],
        variants: &[(&str, u32, Via, bool, CaseRule)],
        root: &'static [u32],
        nodes: &'static [Node],
        edges: &'static [(u8, u32)],
        dense: &'static [u32],
        prefixes: [&'static [u64]; 3],
        first_bytes: [bool; 256],
    ) -> Gazetteer {
        let actors: Vec<ActorDef> = actors
            .iter()
            .map(|&(name, id, kind, affiliation)| ActorDef {
                name: name.to_string(),
                id: id.to_string(),
                kind,
                affiliation: affiliation.map(str::to_string),
            })
            .collect();
        let variants = variants
            .iter()
            .map(|&(form, actor, via, ambiguous, case)| Variant {
                form: form.to_string(),
                actor: (actor != u32::MAX).then_some(actor),
                via,
                ambiguous,
                case,
            })
            .collect();
        let by_id = actors.iter().zip(0..).map(|(a, i)| (a.id.clone(), i)).collect();
        let trie = Trie {
            root: Cow::Borrowed(root),
            nodes: Cow::Borrowed(nodes),
            edges: Cow::Borrowed(edges),
            dense: Cow::Borrowed(dense),
        };
        let [prefixes, short_prefixes, prefixes5] = prefixes.map(Cow::Borrowed);
        Gazetteer {
            actors,
            variants,
            trie,
            prefixes,
            short_prefixes,
            prefixes5,
            first_bytes,
            by_id,
            loud: OnceLock::new(),
        }
    }

    /// Rust source of this gazetteer's tables for [`Gazetteer::from_baked`]: statics `ACTORS`,
    /// `VARIANTS`, `ROOT`, `NODES`, `EDGES`, `DENSE`, `PREFIXES`, `SHORT_PREFIXES`, `PREFIXES5`
    /// and `FIRST_BYTES`. Written by
    /// `build.rs` (the library itself calls it only in a test).
    #[allow(dead_code)]
    pub fn baked_source(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "static ACTORS: [(&str, &str, Kind, Option<&str>); {}] = [", self.actors.len());
        for a in &self.actors {
            let _ = writeln!(s, "    ({:?}, {:?}, Kind::{:?}, {:?}),", a.name, a.id, a.kind, a.affiliation);
        }
        let _ = writeln!(s, "];");
        let _ = writeln!(s, "static VARIANTS: [(&str, u32, Via, bool, CaseRule); {}] = [", self.variants.len());
        for v in &self.variants {
            let actor = v.actor.unwrap_or(u32::MAX);
            let _ =
                writeln!(s, "    ({:?}, {actor}, Via::{:?}, {}, CaseRule::{:?}),", v.form, v.via, v.ambiguous, v.case);
        }
        let _ = writeln!(s, "];");
        let t = &self.trie;
        let list = |s: &mut String, name: &str, ty: &str, items: Vec<String>| {
            let _ = writeln!(s, "static {name}: [{ty}; {}] = [{}];", items.len(), items.join(","));
        };
        list(&mut s, "ROOT", "u32", t.root.iter().map(u32::to_string).collect());
        let nodes = t.nodes.iter().map(|n| format!("node({},{},{})", n.pattern, n.at, n.len)).collect();
        list(&mut s, "NODES", "Node", nodes);
        list(&mut s, "EDGES", "(u8, u32)", t.edges.iter().map(|(b, to)| format!("({b},{to})")).collect());
        list(&mut s, "DENSE", "u32", t.dense.iter().map(u32::to_string).collect());
        list(&mut s, "PREFIXES", "u64", self.prefixes.iter().map(u64::to_string).collect());
        list(&mut s, "SHORT_PREFIXES", "u64", self.short_prefixes.iter().map(u64::to_string).collect());
        list(&mut s, "PREFIXES5", "u64", self.prefixes5.iter().map(u64::to_string).collect());
        list(&mut s, "FIRST_BYTES", "bool", self.first_bytes.iter().map(bool::to_string).collect());
        s
    }

    pub fn actor_by_id(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    /// The longest name starting exactly at byte `start` of `text`: (end, index in
    /// [`Gazetteer::variants`]).
    #[inline]
    pub fn name_at(&self, text: &str, start: usize) -> Option<(usize, usize)> {
        if !self.may_start_name(text.as_bytes(), start) {
            return None;
        }
        self.name_at_unfiltered(text, start)
    }

    /// Whether some name may start at byte `start` of `hay` (no false negatives): the first
    /// byte, then the first three bytes, are checked against the names' own. Most words fail.
    #[inline]
    pub fn may_start_name(&self, hay: &[u8], start: usize) -> bool {
        let Some(&b0) = hay.get(start) else { return false };
        if !self.first_bytes[usize::from(b0)] {
            return false;
        }
        let prefix = match hay.get(start..start + 3) {
            Some(&[b0, b1, b2]) => [b0, b1, b2],
            _ => {
                let at = |k: usize| hay.get(start + k).copied().unwrap_or(0);
                [b0, at(1), at(2)]
            }
        };
        let bit = prefix_bit(prefix);
        let has = |bits: &[u64], bit: usize| bits.get(bit / 64).is_some_and(|w| w & (1 << (bit % 64)) != 0);
        if !has(&self.prefixes, bit) {
            return false;
        }
        if has(&self.short_prefixes, bit) {
            return true;
        }
        // Only a name of five bytes or more can start here: its first five bytes must hit a bit.
        let mut five = [0u8; 5];
        for (k, b) in five.iter_mut().enumerate() {
            *b = hay.get(start + k).copied().unwrap_or(0);
        }
        has(&self.prefixes5, prefix5_bit(five))
    }

    /// [`Gazetteer::name_at`] for a start that passed [`Gazetteer::may_start_name`].
    #[inline]
    pub fn name_at_unfiltered(&self, text: &str, start: usize) -> Option<(usize, usize)> {
        self.trie.longest_at(text.as_bytes(), start)
    }

    /// Bits, by [`title_filter_bit`] (a word's length and its first and last bytes), of the
    /// words that may start a title (the lexicon's title filter) or a known name: for every
    /// name that starts with a small ASCII letter, its leading run of ASCII letters and digits
    /// ("the" of "the West", "al" of "al-Qaeda"). A word of ASCII letters and digits that starts
    /// with a small letter and that the tokenizer ended where its letters and digits end (the
    /// next byte is none of them, and the word does not go on past it) hits none of these bits
    /// only if it starts no title and no name that ends at a word boundary: such a name would
    /// begin with that very word, as its leading run; a shorter one ends inside the word (see
    /// [`crate::tokens::tokenize_marked`]).
    pub fn loud_words(&self) -> &[u64] {
        self.loud.get_or_init(|| {
            let mut bits = lexicon().title_filter.clone();
            for v in &self.variants {
                let form = v.form.as_bytes();
                if !form.first().is_some_and(u8::is_ascii_lowercase) {
                    continue;
                }
                let run = form.iter().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(form.len());
                match title_filter_bit(&form[..run]).filter(|&bit| bit / 64 < bits.len()) {
                    Some(bit) => bits[bit / 64] |= 1 << (bit % 64),
                    // (Never for a run of one to 32 bytes; every word is then loud.)
                    None => bits.iter_mut().for_each(|w| *w = u64::MAX),
                }
            }
            bits
        })
    }

    /// The canonical name of the state with this id (or this canonical name), if known.
    pub fn country_name(&self, id_or_name: &str) -> Option<String> {
        country_name_in(&self.actors, &self.by_id, id_or_name)
    }
}

const PREFIX_BITS: u32 = 18;

#[inline]
fn prefix5_bit(b: [u8; 5]) -> usize {
    let k = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], 0, 0, 0]);
    (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - PREFIX_BITS)) as usize
}

#[inline]
fn prefix_bit(b: [u8; 3]) -> usize {
    let k = u32::from_le_bytes([b[0], b[1], b[2], 0]);
    (k.wrapping_mul(0x9E37_79B1) >> (32 - PREFIX_BITS)) as usize
}

/// The names as a byte trie. Names are only ever searched anchored, from one start, for the
/// longest one there: a trie walk is exactly that search, and building it costs a small part of
/// what an Aho-Corasick automaton costs (whose failure links an anchored search never follows).
#[derive(Debug, PartialEq)]
struct Trie {
    /// The state reached from the root by each first byte (0: none; state 0 is the root), 256
    /// slots.
    root: Cow<'static, [u32]>,
    /// Per state: the pattern ending there and where its edges are (one record, so that a step
    /// of a search reads one place).
    nodes: Cow<'static, [Node]>,
    /// The edges of the states with few: (byte, next state).
    edges: Cow<'static, [(u8, u32)]>,
    /// The next state per byte (0: none) of the states with many edges, 256 slots each, so that
    /// the second and third bytes of a name, where a state has dozens of ways on, are not
    /// searched for in a list.
    dense: Cow<'static, [u32]>,
}

/// One state of a [`Trie`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Node {
    /// The pattern that ends here ([`NO_PATTERN`] for none).
    pattern: u32,
    /// Its edges: `edges[at..at + len]`, or, when `len` is [`DENSE`], `dense[at..at + 256]`.
    at: u32,
    len: u32,
}

/// A [`Node`] in the baked tables.
#[allow(dead_code)]
pub(crate) const fn node(pattern: u32, at: u32, len: u32) -> Node {
    Node { pattern, at, len }
}

const NO_PATTERN: u32 = u32::MAX;

/// The `len` of a [`Node`] that marks a state with a dense table of next states.
const DENSE: u32 = u32::MAX;

/// States with more edges than this get a dense table.
const DENSE_FROM: usize = 6;

impl Trie {
    /// The trie of `keys`; the pattern of a key is its index.
    ///
    /// Built from the keys in byte order, so that a key shares with the one before it a path
    /// already made (its longest common prefix) and every byte after that makes a new state: no
    /// state's edges are searched while building, and the edges, made in one list, are then
    /// grouped by state in one counting pass (no vector per state).
    fn new(keys: &[&str]) -> Trie {
        // By bytes, then by index: were a key repeated, the first would win, as in the automaton.
        // The first eight bytes, as one integer (zero-padded), settle most comparisons without
        // comparing the slices, in the same order: a name sorts before the longer names it
        // begins either way, and equal integers leave the order to the slices.
        let head = |k: &[u8]| {
            let mut b = [0u8; 8];
            let n = k.len().min(8);
            b[..n].copy_from_slice(&k[..n]);
            u64::from_be_bytes(b)
        };
        let mut order: Vec<(u64, &[u8], u32)> =
            keys.iter().zip(0..).map(|(k, i)| (head(k.as_bytes()), k.as_bytes(), i)).collect();
        order.sort_unstable();
        let bytes: usize = keys.iter().map(|k| k.len()).sum();
        let mut pattern = Vec::with_capacity(bytes + 1);
        pattern.push(NO_PATTERN);
        // (from, byte, to), in the order made.
        let mut made: Vec<(u32, u8, u32)> = Vec::with_capacity(bytes);
        // The states along the previous key: `path[d]` is reached by its first `d` bytes.
        let mut path: Vec<u32> = vec![0];
        let mut prev: &[u8] = &[];
        for &(_, key, pid) in &order {
            let common = key.iter().zip(prev).take_while(|(a, b)| a == b).count();
            path.truncate(common + 1);
            for &b in &key[common..] {
                let from = path[path.len() - 1];
                let to = pattern.len() as u32;
                pattern.push(NO_PATTERN);
                made.push((from, b, to));
                path.push(to);
            }
            let s = path[path.len() - 1] as usize;
            if s != 0 && pattern[s] == NO_PATTERN {
                pattern[s] = pid;
            }
            prev = key;
        }
        let states = pattern.len();
        // Edges grouped by state: `at[s]..at[s + 1]` in `by_bytes` and `by_to`.
        let mut at = vec![0u32; states + 1];
        for &(from, _, _) in &made {
            at[from as usize + 1] += 1;
        }
        for s in 0..states {
            at[s + 1] += at[s];
        }
        let mut fill = at.clone();
        let mut by_bytes = vec![0u8; made.len()];
        let mut by_to = vec![0u32; made.len()];
        for &(from, b, to) in &made {
            let k = fill[from as usize] as usize;
            by_bytes[k] = b;
            by_to[k] = to;
            fill[from as usize] += 1;
        }
        let mut root = vec![0u32; 256];
        for k in at[0] as usize..at[1] as usize {
            root[usize::from(by_bytes[k])] = by_to[k];
        }
        let mut nodes = Vec::with_capacity(states);
        let mut edges = Vec::with_capacity(made.len());
        let mut dense = Vec::new();
        for (s, &pattern) in pattern.iter().enumerate() {
            let (lo, hi) = (at[s] as usize, at[s + 1] as usize);
            if hi - lo > DENSE_FROM {
                nodes.push(Node { pattern, at: dense.len() as u32, len: DENSE });
                let first = dense.len();
                dense.resize(first + 256, 0);
                for k in lo..hi {
                    dense[first + usize::from(by_bytes[k])] = by_to[k];
                }
                continue;
            }
            nodes.push(Node { pattern, at: edges.len() as u32, len: (hi - lo) as u32 });
            edges.extend(by_bytes[lo..hi].iter().copied().zip(by_to[lo..hi].iter().copied()));
        }
        Trie { root: Cow::Owned(root), nodes: Cow::Owned(nodes), edges: Cow::Owned(edges), dense: Cow::Owned(dense) }
    }

    /// The longest pattern matching `hay` from `start` on: (end, pattern).
    #[inline]
    fn longest_at(&self, hay: &[u8], start: usize) -> Option<(usize, usize)> {
        let mut s = *self.root.get(usize::from(*hay.get(start)?))? as usize;
        if s == 0 {
            return None;
        }
        let mut best = None;
        let mut at = start + 1;
        // (Every state but the root is some edge's target: 0 never is, and ends the search.)
        while let Some(node) = self.nodes.get(s) {
            if node.pattern != NO_PATTERN {
                best = Some((at, node.pattern as usize));
            }
            let Some(&b) = hay.get(at) else { break };
            let from = node.at as usize;
            let next = if node.len == DENSE {
                self.dense.get(from + usize::from(b)).copied()
            } else {
                let edges = self.edges.get(from..from + node.len as usize).unwrap_or_default();
                edges.iter().find(|&&(x, _)| x == b).map(|&(_, to)| to)
            };
            match next {
                Some(to) if to != 0 => s = to as usize,
                _ => break,
            }
            at += 1;
        }
        best
    }
}

fn country_name_in(actors: &[ActorDef], by_id: &HashMap<String, u32>, id_or_name: &str) -> Option<String> {
    if let Some(&i) = by_id.get(id_or_name) {
        let a = &actors[i as usize];
        return if a.kind == Kind::Country { Some(a.name.clone()) } else { a.affiliation.clone() };
    }
    actors.iter().find(|a| a.kind == Kind::Country && a.name == id_or_name).map(|a| a.name.clone())
}

/// Collects actors and names, then compiles them.
pub struct Builder {
    actors: Vec<ActorDef>,
    by_id: HashMap<String, u32>,
    /// Exact spelling → index in `variants` (whose `form` it is).
    patterns: HashMap<String, usize, FxBuild>,
    variants: Vec<Variant>,
}

impl Builder {
    pub fn empty() -> Self {
        Builder {
            actors: Vec::new(),
            by_id: HashMap::new(),
            // The built-in data has about 4,000 spellings: room for them spares the regrowths.
            patterns: HashMap::with_capacity_and_hasher(4096, FxBuild::default()),
            variants: Vec::with_capacity(4096),
        }
    }

    /// A builder holding the built-in states and organizations.
    pub fn with_builtin_data() -> Self {
        let mut b = Builder::empty();
        b.load_countries(COUNTRIES);
        b.load_organizations(ORGANIZATIONS);
        b.add_blockers();
        b
    }

    /// Adds an actor, or replaces the one with the same id (user dictionaries override).
    pub fn add_actor(&mut self, def: ActorDef) -> u32 {
        if let Some(&i) = self.by_id.get(&def.id) {
            self.actors[i as usize] = def;
            return i;
        }
        let i = self.actors.len() as u32;
        self.by_id.insert(def.id.clone(), i);
        self.actors.push(def);
        i
    }

    pub fn actor_by_id(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    pub fn country_name(&self, id_or_name: &str) -> Option<String> {
        country_name_in(&self.actors, &self.by_id, id_or_name)
    }

    /// Adds one way of writing a name, with the spellings its case rule allows (a name as
    /// written and in capitals; PETRARCH's capitals also in title case). A leading `?` marks
    /// it ambiguous. A later name spelled the same way replaces an earlier one (user
    /// dictionaries override built-ins), except that within the built-in data an ambiguous
    /// listing of the same actor stays ambiguous.
    pub fn add_name(&mut self, form: &str, actor: Option<u32>, via: Via, case: CaseRule) {
        let (form, ambiguous) = match form.strip_prefix('?') {
            Some(rest) => (rest.trim(), true),
            None => (form.trim(), false),
        };
        if form.is_empty() {
            return;
        }
        let mut spellings = Vec::with_capacity(3);
        spellings.push(form.to_string());
        let letters = form.chars().filter(|c| c.is_alphabetic()).count();
        let has_lower = form.chars().any(char::is_lowercase);
        match case {
            CaseRule::AsWritten if has_lower && letters > 3 => spellings.push(form.to_uppercase()),
            CaseRule::AsWritten => {}
            CaseRule::Capitalized => {
                spellings.push(form.to_uppercase());
                spellings.push(title_case(form));
            }
        }
        spellings.dedup();
        for (n, spelling) in spellings.into_iter().enumerate() {
            let v = Variant { form: spelling.clone(), actor, via, ambiguous, case };
            match self.patterns.get(&spelling) {
                // A derived spelling ("NATO" from "Nato") never displaces the actor's own.
                Some(&slot) if n > 0 && self.variants[slot].actor == actor => {}
                Some(&slot) => {
                    let old = &mut self.variants[slot];
                    let keep_ambiguous = old.ambiguous && old.actor == v.actor && via != Via::Dictionary;
                    *old = v;
                    old.ambiguous |= keep_ambiguous;
                }
                None => {
                    self.patterns.insert(spelling, self.variants.len());
                    self.variants.push(v);
                }
            }
        }
    }

    fn load_countries(&mut self, data: &str) {
        for line in data_lines(data) {
            let f: Vec<&str> = line.split('|').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("");
            let (id, name) = (get(0).trim(), get(1).trim());
            let plain_name = name.trim_start_matches('?');
            let a = self.add_actor(ActorDef {
                name: plain_name.to_string(),
                id: id.to_string(),
                kind: Kind::Country,
                affiliation: None,
            });
            self.add_name(name, Some(a), Via::Name, CaseRule::AsWritten);
            for alias in list(get(2)) {
                self.add_name(alias, Some(a), Via::Alias, CaseRule::AsWritten);
            }
            for demonym in list(get(3)) {
                self.add_name(demonym, Some(a), Via::Demonym, CaseRule::AsWritten);
                let bare = demonym.trim_start_matches('?');
                if (bare.ends_with('n') || bare.ends_with('i')) && !bare.ends_with("ese") {
                    let plural = format!("{demonym}s");
                    self.add_name(&plural, Some(a), Via::Demonym, CaseRule::AsWritten);
                }
            }
            for capital in list(get(4)) {
                self.add_name(capital, Some(a), Via::Capital, CaseRule::AsWritten);
            }
            for seat in list(get(5)) {
                self.add_name(seat, Some(a), Via::Seat, CaseRule::AsWritten);
            }
        }
    }

    fn load_organizations(&mut self, data: &str) {
        for line in data_lines(data) {
            let f: Vec<&str> = line.split('|').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("").trim();
            let kind = Kind::parse(get(2)).unwrap_or(Kind::Organization);
            let affiliation = if get(3).is_empty() { None } else { self.country_name(get(3)) };
            let name = get(1);
            let a = self.add_actor(ActorDef { name: name.to_string(), id: get(0).to_string(), kind, affiliation });
            // "the West" is written with its article; the names to match are in the aliases.
            if !name.starts_with("the ") {
                self.add_name(name, Some(a), Via::Name, CaseRule::AsWritten);
            }
            for alias in list(get(4)) {
                self.add_name(alias, Some(a), Via::Alias, CaseRule::AsWritten);
            }
        }
    }

    /// Longer names that contain a known name but are not that actor: "New Mexico" is not
    /// Mexico, "Latin America" not the United States, "the Paris Agreement" not France.
    fn add_blockers(&mut self) {
        for line in data_lines(BLOCKERS) {
            for phrase in line.split(';') {
                self.add_name(phrase, None, Via::Name, CaseRule::AsWritten);
            }
        }
    }

    /// Compiles the names into the gazetteer, moving the actors and names out of the builder
    /// (which is left empty).
    pub fn build(&mut self) -> Gazetteer {
        let keys: Vec<&str> = self.variants.iter().map(|v| v.form.as_str()).collect();
        let trie = Trie::new(&keys);
        let mut prefixes = vec![0u64; (1 << PREFIX_BITS) / 64];
        let mut short_prefixes = vec![0u64; (1 << PREFIX_BITS) / 64];
        let mut prefixes5 = vec![0u64; (1 << PREFIX_BITS) / 64];
        let mut first_bytes = [false; 256];
        for k in &keys {
            let b = k.as_bytes();
            let Some(&b0) = b.first() else { continue };
            first_bytes[usize::from(b0)] = true;
            let next = |i: usize| match b.get(i) {
                Some(&x) => x..=x,
                None => 0..=255,
            };
            for b1 in next(1) {
                // The third byte is free only when the name has no second byte or no third.
                let third = if b.len() >= 2 { next(2) } else { 0..=255 };
                for b2 in third {
                    let bit = prefix_bit([b0, b1, b2]);
                    prefixes[bit / 64] |= 1 << (bit % 64);
                    if b.len() <= 4 {
                        short_prefixes[bit / 64] |= 1 << (bit % 64);
                    }
                }
            }
            if let Some(&[c0, c1, c2, c3, c4]) = b.get(..5) {
                let bit = prefix5_bit([c0, c1, c2, c3, c4]);
                prefixes5[bit / 64] |= 1 << (bit % 64);
            }
        }
        // The builder is spent: its actors and names move into the gazetteer, not copied.
        Gazetteer {
            actors: std::mem::take(&mut self.actors),
            variants: std::mem::take(&mut self.variants),
            trie,
            prefixes: Cow::Owned(prefixes),
            short_prefixes: Cow::Owned(short_prefixes),
            prefixes5: Cow::Owned(prefixes5),
            first_bytes,
            by_id: std::mem::take(&mut self.by_id),
            loud: OnceLock::new(),
        }
    }
}

const BLOCKERS: &str = include_str!("../data/blockers.txt");

/// `KING RUDOLF` → `King Rudolf`; `MAZAR-I-SHARIF` → `Mazar-I-Sharif`.
pub fn title_case(phrase: &str) -> String {
    let mut out = String::with_capacity(phrase.len());
    let mut start = true;
    for c in phrase.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, ' ' | '-' | '.' | '\'');
    }
    out
}

/// Non-comment, non-blank lines.
fn data_lines(data: &str) -> impl Iterator<Item = &str> {
    data.lines().map(str::trim_end).filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

fn list(field: &str) -> impl Iterator<Item = &str> {
    field.split(';').map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_data_has_every_kind_of_name() {
        let g = Gazetteer::builtin();
        assert!(g.actors.len() > 250, "{} actors", g.actors.len());
        for id in ["ARM", "RUS", "AZE", "USA", "XKX", "TWN", "PSE", "ESH", "SUN", "EU", "CSTO", "NATO", "WEST"] {
            assert!(g.actor_by_id(id).is_some(), "missing {id}");
        }
        assert_eq!(g.country_name("ARM").as_deref(), Some("Armenia"));
        assert_eq!(g.country_name("RUSDUMA").as_deref(), Some("Russia"));
    }

    #[test]
    fn baked_gazetteer_equals_the_one_built_from_the_data() {
        let baked = Gazetteer::builtin();
        let built = Builder::with_builtin_data().build();
        assert_eq!(baked.actors, built.actors);
        assert_eq!(baked.variants, built.variants);
        assert_eq!(baked.trie, built.trie);
        assert_eq!(baked.prefixes, built.prefixes);
        assert_eq!(baked.short_prefixes, built.short_prefixes);
        assert_eq!(baked.prefixes5, built.prefixes5);
        assert_eq!(baked.first_bytes, built.first_bytes);
        assert_eq!(baked.by_id, built.by_id);
        assert!(matches!(baked.trie.nodes, Cow::Borrowed(_)), "the built-in gazetteer is the baked one");
    }

    #[test]
    fn every_name_passes_the_start_filters() {
        let g = Gazetteer::builtin();
        for v in &g.variants {
            for text in [v.form.clone(), format!("{} and more", v.form), format!("{}'s", v.form)] {
                assert!(g.may_start_name(text.as_bytes(), 0), "{text:?}");
            }
        }
        // Common words that share three bytes with a name ("the West") are ruled out.
        for word in ["the house", "their", "there", "The end"] {
            assert!(!g.may_start_name(word.as_bytes(), 0), "{word:?}");
        }
    }

    #[test]
    fn abbreviations_in_capitals_match_only_as_written() {
        let g = Gazetteer::builtin();
        let text = "let us see the US and RUSSIA, not russia";
        // Searched from each word's start, as the tokens give them.
        let starts = text.match_indices(|c: char| c.is_alphabetic()).map(|(i, _)| i);
        let found: Vec<&str> = starts
            .filter(|&i| !text[..i].ends_with(char::is_alphabetic))
            .filter_map(|i| g.name_at(text, i))
            .map(|(_, v)| g.variants[v].form.as_str())
            .collect();
        assert_eq!(found, ["US", "RUSSIA"]);
        assert_eq!(g.name_at(text, text.find("RUSSIA").unwrap()), Some((28, g.name_at("RUSSIA", 0).unwrap().1)));
    }

    /// The longest pattern from `start` as the Aho-Corasick automaton the trie replaced finds
    /// it (anchored, leftmost-longest): the reference the trie must agree with.
    fn reference_longest_at(
        aut: &aho_corasick::nfa::contiguous::NFA,
        hay: &[u8],
        start: usize,
    ) -> Option<(usize, usize)> {
        use aho_corasick::automaton::Automaton;
        use aho_corasick::Anchored;
        let mut sid = aut.start_state(Anchored::Yes).ok()?;
        let mut best = None;
        let mut at = start;
        while at < hay.len() {
            sid = aut.next_state(Anchored::Yes, sid, hay[at]);
            at += 1;
            if aut.is_special(sid) {
                if aut.is_dead(sid) {
                    break;
                }
                if aut.is_match(sid) {
                    let pid = aut.match_pattern(sid, 0);
                    if at - aut.pattern_len(pid) == start {
                        best = Some((at, pid.as_usize()));
                    }
                }
            }
        }
        best
    }

    #[test]
    fn trie_agrees_with_an_aho_corasick_automaton() {
        let g = Gazetteer::builtin();
        let keys: Vec<&str> = g.variants.iter().map(|v| v.form.as_str()).collect();
        let aut = aho_corasick::nfa::contiguous::Builder::new()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&keys)
            .expect("patterns compile");
        // Every name, alone, followed by more text, and cut short; then real articles.
        let mut texts: Vec<String> = Vec::new();
        for k in &keys {
            texts.push(k.to_string());
            texts.push(format!("{k}'s ally, {k}n and {k} {k}"));
            let half = (0..=k.len() / 2).rev().find(|&h| k.is_char_boundary(h)).unwrap_or(0);
            texts.push(k[..half].to_string());
        }
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/corpus/articles-001.jsonl");
        let data = std::fs::read_to_string(corpus).unwrap_or_else(|e| panic!("{corpus}: {e}"));
        for line in data.lines().take(100) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            texts.push(v["content_original"].as_str().unwrap_or("").to_string());
        }
        let mut found = 0;
        for text in &texts {
            let hay = text.as_bytes();
            for start in (0..hay.len()).filter(|&i| text.is_char_boundary(i)) {
                let want = reference_longest_at(&aut, hay, start);
                assert_eq!(g.trie.longest_at(hay, start), want, "at {start} of {text:?}");
                found += usize::from(want.is_some());
            }
        }
        assert!(found > keys.len(), "{found} names found");
    }
}
