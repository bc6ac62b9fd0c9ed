//! The cue list: words and phrases that soften a claim (hedges) or insist on it (boosters),
//! written for this plugin from general English usage. Each cue has a kind and says why it
//! counts, so every finding can explain itself.

/// Whether a cue weakens or strengthens the commitment to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polarity {
    Hedge,
    Booster,
}

impl Polarity {
    pub fn label(self) -> &'static str {
        match self {
            Polarity::Hedge => "hedge",
            Polarity::Booster => "booster",
        }
    }
}

/// One cue: its words (lower case, as separate tokens), polarity, kind and explanation.
pub struct Cue {
    pub words: &'static str,
    pub polarity: Polarity,
    pub kind: &'static str,
    pub why: &'static str,
}

const fn hedge(words: &'static str, kind: &'static str, why: &'static str) -> Cue {
    Cue { words, polarity: Polarity::Hedge, kind, why }
}

const fn boost(words: &'static str, kind: &'static str, why: &'static str) -> Cue {
    Cue { words, polarity: Polarity::Booster, kind, why }
}

const MODAL: &str = "a modal verb that presents the claim as possible rather than certain";
const ADVERB: &str = "an adverb that lowers the writer's commitment to the claim";
const SEEM: &str = "a verb of appearance: the claim is how things look, not how they are";
const BELIEF: &str = "a verb of belief or inference instead of assertion";
const VAGUE: &str = "the claim is attributed to an unnamed or vague source";
const APPROX: &str = "an approximator that makes a quantity or degree imprecise";
const LIKELY: &str = "an estimate of likelihood instead of a statement of fact";
const SURE: &str = "an adverb that insists the claim is beyond doubt";
const FACT: &str = "a phrase that presents the claim as established fact";
const ALL: &str = "a universal that admits no exception";

/// All cues. Multi-word cues are matched as whole token sequences; the longest match wins.
pub const CUES: &[Cue] = &[
    hedge("may", "modal", MODAL),
    hedge("might", "modal", MODAL),
    hedge("could", "modal", MODAL),
    hedge("may have", "modal", MODAL),
    hedge("might have", "modal", MODAL),
    hedge("could have", "modal", MODAL),
    hedge("perhaps", "adverb", ADVERB),
    hedge("possibly", "adverb", ADVERB),
    hedge("maybe", "adverb", ADVERB),
    hedge("presumably", "adverb", ADVERB),
    hedge("arguably", "adverb", ADVERB),
    hedge("supposedly", "adverb", ADVERB),
    hedge("reportedly", "attribution", VAGUE),
    hedge("allegedly", "attribution", VAGUE),
    hedge("apparently", "adverb", ADVERB),
    hedge("seemingly", "adverb", ADVERB),
    hedge("seem", "appearance", SEEM),
    hedge("seems", "appearance", SEEM),
    hedge("seemed", "appearance", SEEM),
    hedge("appear to", "appearance", SEEM),
    hedge("appears to", "appearance", SEEM),
    hedge("appeared to", "appearance", SEEM),
    hedge("suggest", "belief", BELIEF),
    hedge("suggests", "belief", BELIEF),
    hedge("suggested that", "belief", BELIEF),
    hedge("i think", "belief", BELIEF),
    hedge("we think", "belief", BELIEF),
    hedge("i believe", "belief", BELIEF),
    hedge("we believe", "belief", BELIEF),
    hedge("is believed", "attribution", VAGUE),
    hedge("are believed", "attribution", VAGUE),
    hedge("is thought to", "attribution", VAGUE),
    hedge("is said to", "attribution", VAGUE),
    hedge("are said to", "attribution", VAGUE),
    hedge("sources say", "attribution", VAGUE),
    hedge("sources said", "attribution", VAGUE),
    hedge("some say", "attribution", VAGUE),
    hedge("some experts", "attribution", VAGUE),
    hedge("critics say", "attribution", VAGUE),
    hedge("observers say", "attribution", VAGUE),
    hedge("according to some", "attribution", VAGUE),
    hedge("it is believed", "attribution", VAGUE),
    hedge("it is possible", "likelihood", LIKELY),
    hedge("likely", "likelihood", LIKELY),
    hedge("unlikely", "likelihood", LIKELY),
    hedge("probably", "likelihood", LIKELY),
    hedge("probable", "likelihood", LIKELY),
    hedge("approximately", "approximator", APPROX),
    hedge("roughly", "approximator", APPROX),
    hedge("about", "approximator", APPROX),
    hedge("around", "approximator", APPROX),
    hedge("somewhat", "approximator", APPROX),
    hedge("relatively", "approximator", APPROX),
    hedge("to some extent", "approximator", APPROX),
    hedge("more or less", "approximator", APPROX),
    hedge("sort of", "approximator", APPROX),
    hedge("kind of", "approximator", APPROX),
    boost("clearly", "certainty", SURE),
    boost("certainly", "certainty", SURE),
    boost("undoubtedly", "certainty", SURE),
    boost("undeniably", "certainty", SURE),
    boost("definitely", "certainty", SURE),
    boost("obviously", "certainty", SURE),
    boost("surely", "certainty", SURE),
    boost("unquestionably", "certainty", SURE),
    boost("indisputably", "certainty", SURE),
    boost("of course", "certainty", SURE),
    boost("without doubt", "certainty", SURE),
    boost("without a doubt", "certainty", SURE),
    boost("no doubt", "certainty", SURE),
    boost("there is no doubt", "certainty", SURE),
    boost("beyond doubt", "certainty", SURE),
    boost("in fact", "fact", FACT),
    boost("the fact that", "fact", FACT),
    boost("it is clear", "fact", FACT),
    boost("it is evident", "fact", FACT),
    boost("proves", "fact", FACT),
    boost("proved", "fact", FACT),
    boost("proven", "fact", FACT),
    boost("demonstrates", "fact", FACT),
    boost("always", "universal", ALL),
    boost("never", "universal", ALL),
    boost("everyone", "universal", ALL),
    boost("nobody", "universal", ALL),
];
