//! The technique ids Slant reports and how they map to the 14 classes of the PTC corpus.
//!
//! PTC (SemEval-2020 Task 11) annotates 18 techniques but publishes 14 classes: it merges
//! Bandwagon with Reductio ad Hitlerum, and Whataboutism with Straw Men and Red Herring, and
//! drops Obfuscation (11 cases). Slant keeps the 18 ids of `CONTRACT.md`; a span the model
//! labels with a merged class gets the member id its cues point to (see [`Technique::from_ptc`]
//! and the analyzer), and the evaluation maps every id back with [`Technique::ptc_class`].

/// Every technique and device the analyzer reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Technique {
    LoadedLanguage,
    NameCalling,
    Repetition,
    ExaggerationMinimisation,
    Doubt,
    AppealToFear,
    FlagWaving,
    CausalOversimplification,
    Slogans,
    AppealToAuthority,
    BlackAndWhiteFallacy,
    ThoughtTerminatingCliche,
    Whataboutism,
    StrawMan,
    RedHerring,
    Bandwagon,
    ReductioAdHitlerum,
    Obfuscation,
    RhetoricalQuestion,
    ScareQuotes,
    Sarcasm,
    Hedging,
}

impl Technique {
    pub const ALL: [Technique; 22] = [
        Technique::LoadedLanguage,
        Technique::NameCalling,
        Technique::Repetition,
        Technique::ExaggerationMinimisation,
        Technique::Doubt,
        Technique::AppealToFear,
        Technique::FlagWaving,
        Technique::CausalOversimplification,
        Technique::Slogans,
        Technique::AppealToAuthority,
        Technique::BlackAndWhiteFallacy,
        Technique::ThoughtTerminatingCliche,
        Technique::Whataboutism,
        Technique::StrawMan,
        Technique::RedHerring,
        Technique::Bandwagon,
        Technique::ReductioAdHitlerum,
        Technique::Obfuscation,
        Technique::RhetoricalQuestion,
        Technique::ScareQuotes,
        Technique::Sarcasm,
        Technique::Hedging,
    ];

    /// The id used as the annotation label (`CONTRACT.md`).
    pub fn id(self) -> &'static str {
        match self {
            Technique::LoadedLanguage => "loaded_language",
            Technique::NameCalling => "name_calling",
            Technique::Repetition => "repetition",
            Technique::ExaggerationMinimisation => "exaggeration_minimisation",
            Technique::Doubt => "doubt",
            Technique::AppealToFear => "appeal_to_fear",
            Technique::FlagWaving => "flag_waving",
            Technique::CausalOversimplification => "causal_oversimplification",
            Technique::Slogans => "slogans",
            Technique::AppealToAuthority => "appeal_to_authority",
            Technique::BlackAndWhiteFallacy => "black_and_white_fallacy",
            Technique::ThoughtTerminatingCliche => "thought_terminating_cliche",
            Technique::Whataboutism => "whataboutism",
            Technique::StrawMan => "straw_man",
            Technique::RedHerring => "red_herring",
            Technique::Bandwagon => "bandwagon",
            Technique::ReductioAdHitlerum => "reductio_ad_hitlerum",
            Technique::Obfuscation => "obfuscation",
            Technique::RhetoricalQuestion => "rhetorical_question",
            Technique::ScareQuotes => "scare_quotes",
            Technique::Sarcasm => "sarcasm",
            Technique::Hedging => "hedging",
        }
    }

    pub fn from_id(id: &str) -> Option<Technique> {
        Technique::ALL.iter().copied().find(|t| t.id() == id)
    }

    /// Words for explanations ("loaded language").
    pub fn words(self) -> &'static str {
        match self {
            Technique::LoadedLanguage => "loaded language",
            Technique::NameCalling => "name calling or labeling",
            Technique::Repetition => "repetition",
            Technique::ExaggerationMinimisation => "exaggeration or minimisation",
            Technique::Doubt => "doubt",
            Technique::AppealToFear => "appeal to fear or prejudice",
            Technique::FlagWaving => "flag-waving",
            Technique::CausalOversimplification => "causal oversimplification",
            Technique::Slogans => "slogan",
            Technique::AppealToAuthority => "appeal to authority",
            Technique::BlackAndWhiteFallacy => "black-and-white fallacy",
            Technique::ThoughtTerminatingCliche => "thought-terminating cliché",
            Technique::Whataboutism => "whataboutism",
            Technique::StrawMan => "straw man",
            Technique::RedHerring => "red herring",
            Technique::Bandwagon => "bandwagon",
            Technique::ReductioAdHitlerum => "reductio ad Hitlerum",
            Technique::Obfuscation => "obfuscation",
            Technique::RhetoricalQuestion => "rhetorical question",
            Technique::ScareQuotes => "scare quotes",
            Technique::Sarcasm => "sarcasm",
            Technique::Hedging => "hedging",
        }
    }

    /// Whether this is one of Slant's devices rather than a PTC technique.
    pub fn is_device(self) -> bool {
        matches!(self, Technique::RhetoricalQuestion | Technique::ScareQuotes | Technique::Sarcasm | Technique::Hedging)
    }

    /// The PTC class this technique is annotated as, or `None` for devices and obfuscation
    /// (which PTC dropped).
    pub fn ptc_class(self) -> Option<PtcClass> {
        use PtcClass as P;
        Some(match self {
            Technique::LoadedLanguage => P::LoadedLanguage,
            Technique::NameCalling => P::NameCalling,
            Technique::Repetition => P::Repetition,
            Technique::ExaggerationMinimisation => P::Exaggeration,
            Technique::Doubt => P::Doubt,
            Technique::AppealToFear => P::Fear,
            Technique::FlagWaving => P::FlagWaving,
            Technique::CausalOversimplification => P::Causal,
            Technique::Slogans => P::Slogans,
            Technique::AppealToAuthority => P::Authority,
            Technique::BlackAndWhiteFallacy => P::BlackAndWhite,
            Technique::ThoughtTerminatingCliche => P::Cliche,
            Technique::Whataboutism | Technique::StrawMan | Technique::RedHerring => P::WhataboutismStrawRedHerring,
            Technique::Bandwagon | Technique::ReductioAdHitlerum => P::BandwagonHitler,
            Technique::Obfuscation
            | Technique::RhetoricalQuestion
            | Technique::ScareQuotes
            | Technique::Sarcasm
            | Technique::Hedging => return None,
        })
    }
}

/// The 14 classes of PTC's `train-task2-TC.labels`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PtcClass {
    Authority,
    Fear,
    BandwagonHitler,
    BlackAndWhite,
    Causal,
    Doubt,
    Exaggeration,
    FlagWaving,
    LoadedLanguage,
    NameCalling,
    Repetition,
    Slogans,
    Cliche,
    WhataboutismStrawRedHerring,
}

impl PtcClass {
    pub const ALL: [PtcClass; 14] = [
        PtcClass::Authority,
        PtcClass::Fear,
        PtcClass::BandwagonHitler,
        PtcClass::BlackAndWhite,
        PtcClass::Causal,
        PtcClass::Doubt,
        PtcClass::Exaggeration,
        PtcClass::FlagWaving,
        PtcClass::LoadedLanguage,
        PtcClass::NameCalling,
        PtcClass::Repetition,
        PtcClass::Slogans,
        PtcClass::Cliche,
        PtcClass::WhataboutismStrawRedHerring,
    ];

    /// The class name exactly as written in the PTC labels file.
    pub fn name(self) -> &'static str {
        match self {
            PtcClass::Authority => "Appeal_to_Authority",
            PtcClass::Fear => "Appeal_to_fear-prejudice",
            PtcClass::BandwagonHitler => "Bandwagon,Reductio_ad_hitlerum",
            PtcClass::BlackAndWhite => "Black-and-White_Fallacy",
            PtcClass::Causal => "Causal_Oversimplification",
            PtcClass::Doubt => "Doubt",
            PtcClass::Exaggeration => "Exaggeration,Minimisation",
            PtcClass::FlagWaving => "Flag-Waving",
            PtcClass::LoadedLanguage => "Loaded_Language",
            PtcClass::NameCalling => "Name_Calling,Labeling",
            PtcClass::Repetition => "Repetition",
            PtcClass::Slogans => "Slogans",
            PtcClass::Cliche => "Thought-terminating_Cliches",
            PtcClass::WhataboutismStrawRedHerring => "Whataboutism,Straw_Men,Red_Herring",
        }
    }

    pub fn from_name(name: &str) -> Option<PtcClass> {
        PtcClass::ALL.iter().copied().find(|c| c.name() == name)
    }

    pub fn index(self) -> usize {
        PtcClass::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }

    /// The Slant id a model span of this class gets when no cue says which member of a merged
    /// class it is.
    pub fn default_technique(self) -> Technique {
        match self {
            PtcClass::Authority => Technique::AppealToAuthority,
            PtcClass::Fear => Technique::AppealToFear,
            PtcClass::BandwagonHitler => Technique::Bandwagon,
            PtcClass::BlackAndWhite => Technique::BlackAndWhiteFallacy,
            PtcClass::Causal => Technique::CausalOversimplification,
            PtcClass::Doubt => Technique::Doubt,
            PtcClass::Exaggeration => Technique::ExaggerationMinimisation,
            PtcClass::FlagWaving => Technique::FlagWaving,
            PtcClass::LoadedLanguage => Technique::LoadedLanguage,
            PtcClass::NameCalling => Technique::NameCalling,
            PtcClass::Repetition => Technique::Repetition,
            PtcClass::Slogans => Technique::Slogans,
            PtcClass::Cliche => Technique::ThoughtTerminatingCliche,
            PtcClass::WhataboutismStrawRedHerring => Technique::Whataboutism,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_ptc_classes_map_back() {
        for t in Technique::ALL {
            assert_eq!(Technique::from_id(t.id()), Some(t));
        }
        for c in PtcClass::ALL {
            assert_eq!(PtcClass::from_name(c.name()), Some(c));
            assert_eq!(c.default_technique().ptc_class(), Some(c));
            assert_eq!(PtcClass::ALL[c.index()], c);
        }
        assert_eq!(Technique::StrawMan.ptc_class(), Some(PtcClass::WhataboutismStrawRedHerring));
        assert_eq!(Technique::ReductioAdHitlerum.ptc_class(), Some(PtcClass::BandwagonHitler));
        assert_eq!(Technique::ScareQuotes.ptc_class(), None);
    }
}
