//! User actor dictionaries: Slant's own format and PETRARCH/Phoenix `.actors.txt` files.
//!
//! # Slant's format (`--actors FILE`)
//!
//! UTF-8 text, one actor per line, five fields separated by tabs (shown as `→` here):
//!
//! ```text
//! # name → id → kind → affiliation → aliases
//! Nikol Pashinyan → ARM-PM → person → ARM → Pashinyan|Nikol Pashinian
//! Gazprom → GAZPROM → organization → Russia → Gazprom PJSC
//! Kremlin → RUS → country →  → Kremlin
//! ```
//!
//! - `name`: the canonical name (the `actor` label); it is also matched in the text.
//! - `id`: a stable id of your choosing; an id that already exists (built-in `RUS`, `EU`, … or
//!   an earlier line) **overrides** that actor's name, kind and affiliation and adds the names.
//! - `kind`: `country`, `person`, `organization`, `group` or `place`.
//! - `affiliation`: the id (`RUS`) or canonical name (`Russia`) of a state, or empty / `-`.
//! - `aliases`: other names separated by `|`, may be empty; the last two fields may be omitted.
//!
//! Blank lines and lines starting with `#` are skipped. Names match as written or in capitals;
//! names written all in capitals ("SOCAR") match only in capitals. A user name overrides a
//! built-in one written the same way. Mentions found this way have `via = "dictionary"`.
//!
//! # PETRARCH / Phoenix actor dictionaries (`--actors-petrarch FILE`)
//!
//! The format of `docs-dictionaries.rst` in PETRARCH2: a record is a primary phrase with an
//! optional `[CODE]`, then synonym lines starting with `+`, then optional date-restriction lines
//! starting with a tab, `[CODE date-range]`. Words are joined by `_` or blanks; comments start
//! with `#` (or `;` after a phrase); `<!-- … -->` lines are skipped. The actor's id is its code
//! (the undated one, else the last restriction's); its affiliation is the state whose alpha-3
//! code begins the code; its kind is `country` for a bare state code, `organization` for `IGO`,
//! `NGO`, `MNC`, … codes, `group` for militant (`IMG`, `REB`, `INS`) codes, and otherwise
//! `person` when the phrase looks like a personal name (two to four words, no organization
//! word) else `organization`. The canonical name is the primary phrase in title case. PETRARCH
//! phrases are written in capitals and match any capitalized text.

use crate::gazetteer::{title_case, ActorDef, Builder, CaseRule, Kind, Via};

/// Adds a Slant-format dictionary to `b`. The error is `path:line: what is wrong`.
pub fn load_slant(b: &mut Builder, path: &str, text: &str) -> Result<(), String> {
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let err = |what: String| format!("{path}:{line_no}: {what}");
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        if fields.len() < 3 || fields.len() > 5 {
            return Err(err(format!(
                "expected 3 to 5 tab-separated fields (name, id, kind, affiliation, aliases), found {}",
                fields.len()
            )));
        }
        let (name, id, kind) = (fields[0], fields[1], fields[2]);
        if name.is_empty() {
            return Err(err("the name (field 1) is empty".into()));
        }
        if id.is_empty() || id.contains(char::is_whitespace) {
            return Err(err(format!("the id (field 2) must be one word, found `{id}`")));
        }
        let kind = Kind::parse(kind).ok_or_else(|| {
            err(format!("unknown kind `{kind}` (expected country, person, organization, group or place)"))
        })?;
        let affiliation =
            match fields.get(3).copied().unwrap_or("") {
                "" | "-" => None,
                a => Some(b.country_name(a).ok_or_else(|| {
                    err(format!("unknown affiliation `{a}`: give a state's id (RUS) or name (Russia)"))
                })?),
            };
        let actor = b.add_actor(ActorDef { name: name.to_string(), id: id.to_string(), kind, affiliation });
        b.add_name(name, Some(actor), Via::Dictionary, CaseRule::AsWritten);
        for alias in fields.get(4).copied().unwrap_or("").split('|').map(str::trim).filter(|a| !a.is_empty()) {
            b.add_name(alias, Some(actor), Via::Dictionary, CaseRule::AsWritten);
        }
    }
    Ok(())
}

/// One PETRARCH record being read.
struct Record {
    line: usize,
    phrases: Vec<String>,
    code: Option<String>,
    restricted: Vec<String>,
}

/// Adds a PETRARCH/Phoenix actor dictionary to `b`. The error is `path:line: what is wrong`.
pub fn load_petrarch(b: &mut Builder, path: &str, text: &str) -> Result<(), String> {
    let mut current: Option<Record> = None;
    let mut in_comment = false;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let err = |what: String| format!("{path}:{line_no}: {what}");
        let line = raw.trim_end_matches('\r');
        // `<!-- … -->` blocks (the validation dictionaries use them).
        if in_comment {
            if line.contains("-->") {
                in_comment = false;
            }
            continue;
        }
        if line.trim_start().starts_with("<!--") {
            in_comment = !line.contains("-->");
            continue;
        }
        let content = strip_comment(line);
        if content.trim().is_empty() {
            continue;
        }
        if line.starts_with(char::is_whitespace) && content.trim_start().starts_with('[') {
            // A date restriction of the record above.
            let rec = current.as_mut().ok_or_else(|| err("a date restriction `[…]` before any actor phrase".into()))?;
            let code = parse_code(content.trim(), &err)?
                .ok_or_else(|| err(format!("expected a date restriction `[CODE date]`, found `{}`", content.trim())))?;
            rec.restricted.push(code);
            continue;
        }
        let content = content.trim();
        if let Some(syn) = content.strip_prefix('+') {
            let rec = current.as_mut().ok_or_else(|| err("a synonym `+…` before any actor phrase".into()))?;
            let (phrase, code) = split_phrase(syn, &err)?;
            if phrase.is_empty() {
                return Err(err("an empty synonym `+`".into()));
            }
            rec.phrases.push(phrase);
            if rec.code.is_none() {
                rec.code = code;
            }
            continue;
        }
        if content.starts_with('[') {
            return Err(err(format!("a code `{content}` without an actor phrase (restrictions start with a tab)")));
        }
        if let Some(rec) = current.take() {
            finish(b, path, rec)?;
        }
        let (phrase, code) = split_phrase(content, &err)?;
        current = Some(Record { line: line_no, phrases: vec![phrase], code, restricted: Vec::new() });
    }
    if in_comment {
        return Err(format!("{path}:{}: unterminated `<!--` comment", text.lines().count()));
    }
    if let Some(rec) = current.take() {
        finish(b, path, rec)?;
    }
    Ok(())
}

/// Drops a `#` comment, or a `;` comment after a phrase (`ABDUL_QADIR_  ; CountryInfo.txt`).
fn strip_comment(line: &str) -> &str {
    let mut end = line.len();
    if let Some(i) = line.find('#') {
        end = end.min(i);
    }
    if let Some(i) = line.find(';') {
        end = end.min(i);
    }
    &line[..end]
}

/// Splits `PHRASE_WORDS [CODE]` into the phrase (words joined by blanks) and the code.
fn split_phrase(s: &str, err: &dyn Fn(String) -> String) -> Result<(String, Option<String>), String> {
    let (phrase, code) = match s.find('[') {
        Some(i) => (&s[..i], parse_code(&s[i..], err)?),
        None => (s, None),
    };
    let words: Vec<&str> = phrase.split(|c: char| c == '_' || c.is_whitespace()).filter(|w| !w.is_empty()).collect();
    Ok((words.join(" "), code))
}

/// Reads `[CODE]` or `[CODE date-range]` and returns the code.
fn parse_code(s: &str, err: &dyn Fn(String) -> String) -> Result<Option<String>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let inner = s
        .strip_prefix('[')
        .and_then(|r| r.find(']').map(|i| &r[..i]))
        .ok_or_else(|| err(format!("unclosed `[` in `{s}`")))?;
    let code = inner.split_whitespace().next().unwrap_or("");
    if code.is_empty() {
        return Err(err("an empty code `[]`".into()));
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '~' || c == '-') {
        return Err(err(format!("a code may hold only letters and digits, found `{code}`")));
    }
    Ok(Some(code.to_ascii_uppercase()))
}

const ORG_CODES: &[&str] = &["IGO", "NGO", "NGM", "MNC", "BUS", "MED", "EDU", "GOV", "LEG", "JUD", "MIL", "COP"];
const GROUP_CODES: &[&str] = &["IMG", "REB", "INS", "SEP", "UAF", "CRM"];
const ORG_WORDS: &[&str] = &[
    "ARMY",
    "PARTY",
    "FORCES",
    "FORCE",
    "MINISTRY",
    "COUNCIL",
    "FRONT",
    "ORGANIZATION",
    "ORGANISATION",
    "UNION",
    "BANK",
    "COMMITTEE",
    "ASSOCIATION",
    "AGENCY",
    "BRIGADE",
    "BRIGADES",
    "MOVEMENT",
    "GROUP",
    "COMPANY",
    "POLICE",
    "GOVERNMENT",
    "COURT",
    "PARLIAMENT",
    "NATIONS",
    "FUND",
    "CORPS",
    "LEAGUE",
    "COMMISSION",
    "INSTITUTE",
    "OFFICE",
    "TROOPS",
    "SOLDIERS",
    "GUARD",
    "REPUBLIC",
    "STATE",
    "STATES",
    "KINGDOM",
    "CHURCH",
    "COMMAND",
    "SERVICE",
];

fn finish(b: &mut Builder, path: &str, rec: Record) -> Result<(), String> {
    let Some(primary) = rec.phrases.first() else { return Ok(()) };
    if primary.is_empty() {
        return Err(format!("{path}:{}: an actor record without a phrase", rec.line));
    }
    // A record without any code is a null actor in PETRARCH: nothing to report.
    let Some(code) = rec.code.clone().or_else(|| rec.restricted.last().cloned()) else { return Ok(()) };
    let prefix = code.get(..3).unwrap_or(&code);
    let rest = code.get(3..).unwrap_or("");
    let state = b.country_name(prefix);
    let words = primary.split(' ').count();
    // PETRARCH's three-letter codes are states, known to the gazetteer or not.
    let state_code = code.len() == 3
        && code.chars().all(|c| c.is_ascii_alphabetic())
        && !ORG_CODES.contains(&code.as_str())
        && !GROUP_CODES.contains(&code.as_str());
    let kind = if state_code {
        Kind::Country
    } else if GROUP_CODES.iter().any(|g| code.contains(g)) {
        Kind::Group
    } else if ORG_CODES.contains(&prefix) || (ORG_CODES.contains(&rest) && primary_is_org(primary)) {
        Kind::Organization
    } else if (2..=4).contains(&words) && !primary_is_org(primary) {
        Kind::Person
    } else {
        Kind::Organization
    };
    let name = match (kind, &state) {
        (Kind::Country, Some(s)) => s.clone(),
        _ => title_case(primary),
    };
    let state = if kind == Kind::Country { None } else { state };
    // A bare state code names the built-in state: its synonyms join it rather than replace it.
    let actor = match (kind, b.actor_by_id(&code)) {
        (Kind::Country, Some(existing)) => existing,
        _ => {
            let id = if kind == Kind::Person || kind == Kind::Organization || kind == Kind::Group {
                format!("{code}:{}", primary.to_ascii_uppercase().replace(' ', "_"))
            } else {
                code.clone()
            };
            b.add_actor(ActorDef { name, id, kind, affiliation: state })
        }
    };
    for phrase in &rec.phrases {
        if phrase.chars().filter(|c| c.is_alphanumeric()).count() >= 2 {
            b.add_name(phrase, Some(actor), Via::Dictionary, CaseRule::Capitalized);
        }
    }
    Ok(())
}

fn primary_is_org(phrase: &str) -> bool {
    phrase.split(' ').any(|w| ORG_WORDS.contains(&w.to_ascii_uppercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_handles_hyphens_and_initials() {
        assert_eq!(title_case("BAN KI-MOON"), "Ban Ki-Moon");
        assert_eq!(title_case("U.N."), "U.N.");
        assert_eq!(title_case("GEORGE W. BUSH"), "George W. Bush");
    }

    #[test]
    fn strips_both_comment_styles() {
        assert_eq!(strip_comment("ABDUL_QADIR_  ; CountryInfo.txt").trim(), "ABDUL_QADIR_");
        assert_eq!(strip_comment("+HELMAND # provinces").trim(), "+HELMAND");
    }
}
