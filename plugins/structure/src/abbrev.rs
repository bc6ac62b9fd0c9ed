//! Our own lexicons for sentence splitting: what a token ending in a period is, and which words
//! commonly open a sentence. Matching is on the token without its final period.

/// What a token followed by a period tells about a sentence boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A title before a name (Mr., Dr., Gov.): never ends a sentence.
    Title,
    /// Takes a number after it (No. 5, Jan. 6, Vol. 2): no boundary before a digit, otherwise
    /// a plain word.
    BeforeNumber,
    /// May end a sentence or not (U.S., Inc., a.m., initials): a boundary only when the next
    /// word is one that typically opens a sentence.
    Ambiguous,
    /// Never ends a sentence (e.g., i.e., vs.).
    Inner,
    /// A plain word or number: the period ends the sentence.
    Word,
}

/// Classifies the token before a period (`token` has no trailing period, but may contain inner
/// periods, as in `U.S` or `e.g`).
pub fn classify(token: &str) -> TokenKind {
    if token.is_empty() {
        return TokenKind::Word;
    }
    match token {
        "Mr" | "Mrs" | "Ms" | "Messrs" | "Mmes" | "Dr" | "Drs" | "Prof" | "Gov" | "Sen" | "Sens" | "Rep" | "Reps"
        | "Gen" | "Col" | "Lt" | "Sgt" | "Capt" | "Cmdr" | "Cdr" | "Adm" | "Maj" | "Brig" | "Cpl" | "Pvt" | "Rev"
        | "Hon" | "Pres" | "Supt" | "Det" | "Insp" | "Msgr" | "Mme" | "Mlle" | "Atty" | "Amb" | "Gens" | "Fr"
        | "Sr" | "Jr" | "Mt" | "Ft" | "Sec" | "Secs" | "Asst" | "Assoc" | "Lieut" | "Comdr" | "Dep" => match token {
            // Jr. and Sr. follow a name and often end the sentence.
            "Jr" | "Sr" => TokenKind::Ambiguous,
            _ => TokenKind::Title,
        },
        "No" | "Nos" | "Vol" | "Vols" | "Art" | "Arts" | "Fig" | "Figs" | "p" | "pp" | "para" | "paras" | "ch"
        | "Ch" | "Op" | "Nr" | "Jan" | "Feb" | "Mar" | "Apr" | "Jun" | "Jul" | "Aug" | "Sep" | "Sept" | "Oct"
        | "Nov" | "Dec" | "ca" | "approx" | "Approx" | "nos" | "vol" | "no" => TokenKind::BeforeNumber,
        "vs" | "v" | "cf" | "Cf" | "viz" | "e.g" | "i.e" | "E.g" | "I.e" | "eg" | "ie" | "incl" | "Incl"
        | "approx." | "resp" | "esp" | "Esp" | "ft" | "lb" | "lbs" | "oz" | "kg" | "km" | "mi" | "hrs" | "min"
        | "Mfg" | "dept" => TokenKind::Inner,
        "Inc" | "Corp" | "Ltd" | "Co" | "Cos" | "Bros" | "Bros." | "LLC" | "Plc" | "plc" | "Dept" | "Univ" | "Assn"
        | "Ave" | "Blvd" | "Rd" | "St" | "Sts" | "Ln" | "Hwy" | "Pl" | "Sq" | "etc" | "al" | "est" | "Est"
        | "Gov't" | "Govt" | "govt" | "Intl" | "Natl" | "Ph.D" | "PhD" | "Calif" | "Fla" | "Ga" | "Conn" | "Ariz"
        | "Colo" | "Mich" | "Minn" | "Tenn" | "Tex" | "Va" | "Wis" | "Ala" | "Ark" | "Ky" | "Md" | "Okla" | "Vt"
        | "Wyo" => TokenKind::Ambiguous,
        _ => classify_shape(token),
    }
}

/// Tokens not in the lists: initials and dotted acronyms are ambiguous, the rest are words.
fn classify_shape(token: &str) -> TokenKind {
    let mut chars = token.chars();
    let first = chars.next();
    let second = chars.next();
    // A single letter: an initial (J. R. R. Tolkien) or a list letter.
    if let (Some(c), None) = (first, second) {
        if c.is_alphabetic() {
            return if c.is_uppercase() { TokenKind::Ambiguous } else { TokenKind::Inner };
        }
        return TokenKind::Word;
    }
    // Dotted acronyms and abbreviations: U.S, a.m, D.C, U.N, Ph.D.
    if token.contains('.') {
        let letters_between_dots = token.split('.').all(|part| !part.is_empty() && part.chars().count() <= 3);
        if letters_between_dots && token.chars().all(|c| c.is_alphabetic() || c == '.') {
            return TokenKind::Ambiguous;
        }
    }
    TokenKind::Word
}

/// Words that typically open an English sentence. After an ambiguous abbreviation (U.S., Inc.,
/// an initial) a boundary is placed only before one of these.
pub fn opens_sentence(word: &str) -> bool {
    matches!(
        word,
        "The"
            | "A"
            | "An"
            | "He"
            | "She"
            | "It"
            | "They"
            | "We"
            | "I"
            | "You"
            | "But"
            | "And"
            | "In"
            | "On"
            | "At"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "His"
            | "Her"
            | "Their"
            | "Its"
            | "Our"
            | "My"
            | "Your"
            | "There"
            | "Here"
            | "What"
            | "When"
            | "Where"
            | "Why"
            | "How"
            | "Who"
            | "Which"
            | "If"
            | "As"
            | "So"
            | "Yet"
            | "Or"
            | "For"
            | "After"
            | "Before"
            | "While"
            | "Although"
            | "Though"
            | "However"
            | "Still"
            | "Now"
            | "Then"
            | "Last"
            | "Some"
            | "Many"
            | "Most"
            | "All"
            | "Both"
            | "Each"
            | "Every"
            | "Such"
            | "One"
            | "Two"
            | "Three"
            | "Mr"
            | "Ms"
            | "Mrs"
            | "Dr"
            | "According"
            | "Meanwhile"
            | "Since"
            | "Because"
            | "Despite"
            | "During"
            | "Under"
            | "With"
            | "Without"
            | "From"
            | "By"
            | "To"
            | "Not"
            | "No"
            | "Yes"
            | "Even"
            | "Also"
            | "Indeed"
            | "Moreover"
            | "Furthermore"
            | "Thus"
            | "Therefore"
            | "Instead"
            | "Today"
            | "Yesterday"
            | "Tomorrow"
            | "Earlier"
            | "Later"
            | "Officials"
            | "Police"
            | "Critics"
            | "Experts"
            | "Analysts"
            | "Asked"
            | "Let"
            | "Do"
            | "Does"
            | "Did"
            | "Is"
            | "Are"
            | "Was"
            | "Were"
            | "Will"
            | "Would"
            | "Can"
            | "Could"
            | "Should"
            | "May"
            | "Might"
            | "Must"
            | "Has"
            | "Have"
            | "Had"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(classify("Dr"), TokenKind::Title);
        assert_eq!(classify("Jan"), TokenKind::BeforeNumber);
        assert_eq!(classify("U.S"), TokenKind::Ambiguous);
        assert_eq!(classify("R"), TokenKind::Ambiguous);
        assert_eq!(classify("e.g"), TokenKind::Inner);
        assert_eq!(classify("Moscow"), TokenKind::Word);
        assert_eq!(classify("1991"), TokenKind::Word);
        assert_eq!(classify("3.5"), TokenKind::Word);
    }
}
