//! The `actors` analyzer: countries, people and organizations, resolved to canonical actors.
//!
//! Every mention becomes an `actor` annotation whose label is the canonical actor name, with
//! attrs `id`, `kind` (`country`, `person`, `organization`, `group`, `place`), `affiliation`
//! (canonical state name or null) and `via` (how it was recognised: `name`, `alias`,
//! `demonym`, `capital`, `seat`, `title`, `apposition`, `coreference`, `dictionary`).
//! `summary.actors` lists `{name, id, kind, affiliation, mentions, aliases}`, most mentioned
//! first. Mentions inside `boilerplate` spans are ignored.
//!
//! How mentions are found (see [`resolve`] for the order):
//! - a built-in gazetteer written by hand (`data/countries.txt`, `data/organizations.txt`):
//!   every UN member and observer state and the main disputed ones with their short, formal
//!   and historic names, demonyms, capitals and seats of power, plus international bodies,
//!   blocs, collective actors and a few national institutions; compiled when the crate is
//!   built (`build.rs`) into one byte trie searched, longest name first, from each token start,
//!   case-aware, possessive-aware;
//! - people and organizations outside it, by titles and descriptions (`data/titles.txt`),
//!   appositions, organization head words, known given names (`data/given_names.txt`), with
//!   name boundaries set by capitalized function words (`data/function_words.txt`) and words
//!   of time (`data/time_words.txt`), which never begin or join a name;
//! - within-document coreference of surnames (also across title forms, middle names and
//!   initials, and among relatives who share a surname), acronyms and role descriptions;
//! - user dictionaries, in Slant's format or PETRARCH's (see [`dictionary`] for both formats).
//!
//! Ids: ISO 3166 alpha-3 for states, short upper-case ids for built-in organizations (`EU`,
//! `CSTO`, `WEST`), the dictionary's ids for user actors, and `person:<slug>` /
//! `org:<slug>` for people and organizations found in the text.

mod baked;
pub mod dictionary;
pub mod gazetteer;
pub mod lexicon;
pub mod resolve;
pub mod tokens;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use slant_core::{attrs, layers, Analyzer, Annotation, AttrValue, Attrs, DictionaryFormat, Document, Output, Settings};

use gazetteer::{Builder, Gazetteer, Kind, Via};
use lexicon::FxBuild;
use resolve::{find, ActorRef, Found};

/// countries, people and organizations, resolved to canonical actors.
#[derive(Debug)]
pub struct Actors {
    /// Made on first use: the host makes every built-in analyzer, also for runs that never
    /// use this one, and copying the baked tables' names into the gazetteer is not free.
    gazetteer: OnceLock<Arc<Gazetteer>>,
}

impl Default for Actors {
    fn default() -> Self {
        Actors { gazetteer: OnceLock::new() }
    }
}

impl Actors {
    /// Builds the analyzer with the user dictionaries of `settings`, in command-line order
    /// (later entries override earlier ones and the built-ins). A bad dictionary gives
    /// `Err("<path>:<line>: <what is wrong>")`.
    pub fn from_settings(settings: &Settings) -> Result<Self, String> {
        if settings.actor_dictionaries.is_empty() {
            return Ok(Actors::default());
        }
        let mut b = Builder::with_builtin_data();
        for d in &settings.actor_dictionaries {
            match d.format {
                DictionaryFormat::Slant => dictionary::load_slant(&mut b, &d.path, &d.text)?,
                DictionaryFormat::Petrarch => dictionary::load_petrarch(&mut b, &d.path, &d.text)?,
            }
        }
        Ok(Actors { gazetteer: OnceLock::from(Arc::new(b.build())) })
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        self.gazetteer.get_or_init(Gazetteer::builtin)
    }
}

/// One resolved actor as reported.
struct Resolved {
    name: String,
    id: String,
    kind: Kind,
    affiliation: Option<String>,
}

/// The id of an actor found in the text: `prefix`, a colon, and the name in lower case with
/// every run of other characters made one hyphen ("person:vladimir-putin"). Written straight
/// into one string: ASCII letters are lower-cased without the Unicode tables.
fn local_id(prefix: &str, name: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + 1 + name.len());
    s.push_str(prefix);
    s.push(':');
    let base = s.len();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if s.len() > base && !s.ends_with('-') {
            s.push('-');
        }
    }
    if s.len() > base && s.ends_with('-') {
        s.pop();
    }
    s
}

impl Actors {
    fn resolved(&self, found: &Found, r: ActorRef) -> Resolved {
        match r {
            ActorRef::Known(i) => {
                let a = &self.gazetteer().actors[i as usize];
                Resolved { name: a.name.clone(), id: a.id.clone(), kind: a.kind, affiliation: a.affiliation.clone() }
            }
            ActorRef::Local(i) => {
                let a = &found.locals[i];
                let prefix = if a.kind == Kind::Person { "person" } else { "org" };
                Resolved {
                    name: a.name.clone(),
                    id: local_id(prefix, &a.name),
                    kind: a.kind,
                    affiliation: a.affiliation.clone(),
                }
            }
        }
    }
}

impl Analyzer for Actors {
    fn name(&self) -> &str {
        "actors"
    }

    fn version(&self) -> &str {
        "0.3.0"
    }

    fn description(&self) -> &str {
        "countries, people and organizations, resolved to canonical actors"
    }

    fn requires(&self) -> Vec<&str> {
        vec!["sentence", "boilerplate"]
    }

    fn provides(&self) -> Vec<&str> {
        vec!["actor"]
    }

    fn analyze(&self, doc: &Document) -> Output {
        let text = doc.text();
        let starts: Vec<usize> = doc.layer(layers::SENTENCE).iter().map(|s| s.start).collect();
        let found = find(self.gazetteer(), text, &starts);
        let boilerplate = doc.layer(layers::BOILERPLATE);
        let mut out = Output::new();
        out.annotations.reserve(found.mentions.len());
        // Per actor: its slot in `order`, which holds what is reported of it. (Sized for the
        // mentions, the most actors there can be: the map never grows.)
        let mut index: HashMap<ActorRef, usize, FxBuild> =
            HashMap::with_capacity_and_hasher(found.mentions.len(), FxBuild::default());
        let mut order: Vec<Tally> = Vec::new();
        for m in &found.mentions {
            if Annotation::any_overlaps(boilerplate, m.start, m.end) {
                continue;
            }
            let slot = *index.entry(m.actor).or_insert_with(|| {
                order.push(Tally::new(self.resolved(&found, m.actor)));
                order.len() - 1
            });
            let t = &mut order[slot];
            t.count += 1;
            let surface = text[m.start..m.end].trim_end_matches(['’', '\'']);
            if !t.aliases.iter().any(|a| a.as_str() == Some(surface)) {
                t.aliases.push(AttrValue::text(surface));
            }
            // A later mention of the same actor found the same way copies the attrs of the
            // earlier one.
            let attrs = match t.with_attrs[m.via as usize] {
                0 => t.attrs(m.via),
                k => out.annotations[k as usize - 1].attrs.clone(),
            };
            // (Past `u32::MAX` mentions nothing is remembered: the attrs are then built anew.)
            t.with_attrs[m.via as usize] = u32::try_from(out.annotations.len() + 1).unwrap_or(0);
            // Made whole, with its attrs, rather than by `Annotation::new` and assignments,
            // which would make and drop an empty map for every mention.
            out.push(Annotation {
                layer: layers::ACTOR.into(),
                start: m.start,
                end: m.end,
                label: Some(t.actor.name.clone().into()),
                score: None,
                attrs,
            });
        }
        // Most mentioned first; ties keep the order of first mention (a stable sort).
        order.sort_by_key(|t| std::cmp::Reverse(t.count));
        let summary: Vec<AttrValue> = order.into_iter().map(Tally::into_summary).collect();
        out.summary("actors", AttrValue::List(summary));
        out
    }
}

/// One actor of a document while its mentions are written: how it is reported, how often it
/// is mentioned and the surfaces it goes by.
struct Tally {
    actor: Resolved,
    count: usize,
    /// The surfaces, as the strings `summary.actors` reports.
    aliases: Vec<AttrValue>,
    /// Per [`Via`]: one more than the index in the output of a mention of this actor found that
    /// way (0: none yet), whose attrs the next such mention copies.
    with_attrs: [u32; VIA_COUNT],
}

/// How many [`Via`] values there are.
const VIA_COUNT: usize = Via::Dictionary as usize + 1;

impl Tally {
    fn new(actor: Resolved) -> Self {
        Tally { actor, count: 0, aliases: Vec::new(), with_attrs: [0; VIA_COUNT] }
    }

    /// The attrs of a mention found by `via`: `affiliation`, `id`, `kind` and `via`.
    fn attrs(&self, via: Via) -> Attrs {
        let r = &self.actor;
        attrs! {
            "affiliation": r.affiliation.clone(),
            "id": r.id.clone(),
            "kind": r.kind.as_str(),
            "via": via.as_str(),
        }
    }

    /// The actor's entry in `summary.actors`, its strings moved rather than copied.
    fn into_summary(self) -> AttrValue {
        let r = self.actor;
        AttrValue::Map(attrs! {
            "affiliation": r.affiliation,
            "aliases": AttrValue::List(self.aliases),
            "id": r.id,
            "kind": r.kind.as_str(),
            "mentions": self.count,
            "name": r.name,
        })
    }
}

slant_core::register_analyzer!("actors", Actors);

#[cfg(test)]
mod tests {
    use super::local_id;

    /// The first way the ids were written, kept as the reference.
    fn reference_slug(name: &str) -> String {
        let mut s = String::with_capacity(name.len());
        for c in name.chars() {
            if c.is_alphanumeric() {
                s.extend(c.to_lowercase());
            } else if !s.ends_with('-') && !s.is_empty() {
                s.push('-');
            }
        }
        s.trim_end_matches('-').to_string()
    }

    #[test]
    fn ids_are_prefixed_slugs() {
        for name in [
            "Vladimir Putin",
            "Ban Ki-moon",
            "ÉLYSÉE İnc. ",
            "O’Brien & Co.",
            "--",
            "",
            "Straße 3M",
            "ǅemal",
            "McDONALD Ǆ1 a--B2 (SOCAR)",
            "KÖLN-Bonn ſ K",
        ] {
            assert_eq!(local_id("person", name), format!("person:{}", reference_slug(name)), "{name:?}");
        }
        assert_eq!(local_id("org", "Gazprom Neft (SOCAR)"), "org:gazprom-neft-socar");
    }
}
