//! Boilerplate in scraped articles: what is not article body. General cues only: the shape of
//! a line (short, a few known words, no sentence), our own keyword lexicons, and position (an
//! author bio is a paragraph near the end that opens with a name and "is a … journalist").
//! Also finds the byline: "By NAME", "Author: NAME", or the subject of the author bio.

use crate::scan::{core_of, is_capitalized, tokens_fwd};

/// Lines longer than this (bytes) are never whole-line boilerplate.
const SHORT_LINE: usize = 160;
/// An author bio is looked for among this many last paragraphs.
const BIO_TAIL: usize = 4;

/// One boilerplate span: `kind` is the label (share, social, newsletter, author_bio, comments,
/// photo_credit, read_more, related, byline, advertisement, navigation, copyright) and `rule`
/// names the cue that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boilerplate {
    pub start: usize,
    pub end: usize,
    pub kind: &'static str,
    pub rule: &'static str,
}

/// Finds the boilerplate of a text (sorted by start) and the byline name.
pub fn find(text: &str, paragraphs: &[(usize, usize)]) -> (Vec<Boilerplate>, Option<String>) {
    let mut out = Vec::new();
    let mut byline: Option<String> = None;
    let mut norm = String::new();
    let n = paragraphs.len();
    let mut bio_at: Option<usize> = None;
    for (k, &(a, b)) in paragraphs.iter().enumerate() {
        let line = &text[a..b];
        if line.len() <= SHORT_LINE {
            normalize(line, &mut norm);
            if let Some((kind, rule)) = line_cue(&norm) {
                out.push(Boilerplate { start: a, end: b, kind, rule });
                if kind == "author_bio" && k + 1 < n {
                    // "About the author": the next paragraph is the bio.
                    let (na, nb) = paragraphs[k + 1];
                    out.push(Boilerplate { start: na, end: nb, kind, rule: "after_about_the_author" });
                    if byline.is_none() {
                        byline = bio_name(text, na, nb, false).map(|(s, e)| text[s..e].to_string());
                    }
                    bio_at = Some(k + 1);
                }
                continue;
            }
            if let Some((name, rule)) = byline_line(text, a, b) {
                out.push(Boilerplate { start: a, end: b, kind: "byline", rule });
                if byline.is_none() {
                    byline = Some(name);
                }
                continue;
            }
        }
        if k + BIO_TAIL >= n && bio_at.is_none() && !out.iter().any(|o| o.start == a) {
            if let Some((s, e)) = bio_name(text, a, b, true) {
                out.push(Boilerplate { start: a, end: b, kind: "author_bio", rule: "name_is_a_profession" });
                bio_at = Some(k);
                if byline.is_none() {
                    byline = Some(text[s..e].to_string());
                }
            }
        }
        inline_credits(text, a, b, &mut out);
    }
    // A line that only repeats the author's name (above the bio, under the headline) is the
    // byline block.
    if let Some(name) = &byline {
        for (k, &(a, b)) in paragraphs.iter().enumerate() {
            let near = k < 4 || k + BIO_TAIL + 2 >= n;
            if near && text[a..b] == **name && !out.iter().any(|o| o.start <= a && b <= o.end) {
                out.push(Boilerplate { start: a, end: b, kind: "byline", rule: "author_name_line" });
            }
        }
    }
    out.sort_by_key(|o| (o.start, o.end));
    (out, byline)
}

/// Lowercases a short line and strips surrounding punctuation and whitespace into `buf`.
fn normalize(line: &str, buf: &mut String) {
    buf.clear();
    let trimmed = line.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '.' | ':' | '!' | '|' | '»' | '›' | '>' | '-' | '–' | '—' | '•' | '*' | '…')
    });
    // The cues are ASCII: ASCII lowercasing is enough and costs a copy, not a char loop.
    buf.push_str(trimmed);
    buf.make_ascii_lowercase();
}

/// Words of share and social button rows.
fn is_social_word(w: &str) -> bool {
    matches!(
        w,
        "facebook"
            | "twitter"
            | "linkedin"
            | "pinterest"
            | "reddit"
            | "whatsapp"
            | "email"
            | "e-mail"
            | "print"
            | "tweet"
            | "telegram"
            | "messenger"
            | "flipboard"
            | "tumblr"
            | "vk"
            | "copy"
            | "link"
            | "share"
            | "shares"
            | "sms"
            | "mail"
            | "x"
            | "pin"
            | "save"
            | "gab"
            | "parler"
            | "mix"
            | "pocket"
            | "this"
            | "on"
            | "via"
            | "article"
            | "story"
            | "the"
            | "to"
            | "|"
            | "/"
            | "•"
            | "comment"
            | "comments"
            | "url"
            | "copied"
            | "google+"
            | "google"
            | "threads"
            | "bluesky"
            | "truth"
            | "social"
            | "youtube"
            | "instagram"
            | "rss"
    )
}

/// A whole-line cue on a normalized (lowercase, trimmed) short line.
fn line_cue(s: &str) -> Option<(&'static str, &'static str)> {
    if s.is_empty() {
        return None;
    }
    let starts = |p: &str| s.starts_with(p);
    // Share buttons and rows of social network names.
    let words: Vec<&str> = s.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    if words.len() <= 12 && words.iter().all(|w| is_social_word(w)) {
        let shares = words.iter().any(|w| matches!(*w, "share" | "shares" | "tweet" | "pin"));
        let network = words.iter().any(|w| !matches!(*w, "this" | "on" | "via" | "article" | "story" | "the" | "to"));
        if network {
            return Some(if shares { ("share", "share_button") } else { ("social", "social_buttons") });
        }
    }
    if words.len() <= 8
        && (starts("follow us")
            || (starts("follow ") && (s.contains(" on twitter") || s.contains(" on facebook") || s.contains('@'))))
    {
        return Some(("social", "follow_prompt"));
    }
    // Comment notices.
    if starts("comments are closed")
        || starts("comments closed")
        || starts("leave a comment")
        || starts("leave a reply")
        || starts("join the conversation")
        || starts("join the discussion")
        || starts("view comments")
        || starts("show comments")
        || starts("post a comment")
        || starts("add a comment")
        || starts("you must be logged in to post a comment")
        || starts("comments (")
        || (words.len() == 2 && words[0].bytes().all(|c| c.is_ascii_digit()) && words[1].starts_with("comment"))
    {
        return Some(("comments", "comment_notice"));
    }
    // Newsletter prompts.
    if starts("sign up for")
        || starts("sign up to")
        || starts("sign up here")
        || starts("subscribe to")
        || starts("subscribe now")
        || s == "subscribe"
        || starts("get our newsletter")
        || starts("get the newsletter")
        || (s.contains("newsletter") && (s.contains("sign up") || s.contains("subscribe") || s.contains("inbox")))
    {
        return Some(("newsletter", "newsletter_prompt"));
    }
    // Photo credits.
    if starts("photo:")
        || starts("photo by")
        || starts("photos:")
        || starts("photograph:")
        || starts("photograph by")
        || starts("image:")
        || starts("image by")
        || starts("image credit")
        || starts("picture:")
        || starts("credit:")
        || starts("photo credit")
        || starts("(photo")
        || starts("[photo")
        || starts("file photo")
        || starts("featured image")
        || starts("top image")
        || starts("header image")
    {
        return Some(("photo_credit", "photo_prefix"));
    }
    // A short line naming a photo agency, unless it holds a sentence before the credit.
    if s.len() <= 120
        && !s.contains(". ")
        && (s.contains("getty images")
            || s.contains("shutterstock")
            || s.contains("ap photo")
            || s.contains("reuters/")
            || s.contains("/reuters")
            || s.contains("/afp")
            || s.contains("afp/")
            || s.contains("/ap")
            || s.contains("istock"))
    {
        return Some(("photo_credit", "photo_agency"));
    }
    // "Read more" and related links.
    if starts("related:")
        || matches!(
            s,
            "related"
                | "related articles"
                | "related stories"
                | "related coverage"
                | "related content"
                | "related posts"
        )
    {
        return Some(("related", "related_prefix"));
    }
    if starts("read more")
        || starts("read also")
        || starts("also read")
        || starts("read:")
        || starts("read next")
        || starts("continue reading")
        || starts("click here")
        || starts("more:")
        || starts("see also")
        || starts("recommended")
        || starts("you may also like")
        || starts("you might also like")
        || starts("more from")
        || starts("trending:")
        || starts("watch:")
    {
        return Some(("read_more", "read_more_prefix"));
    }
    // Copyright lines.
    if starts("©") || starts("copyright") || starts("(c) ") || s.contains("all rights reserved") {
        return Some(("copyright", "copyright_line"));
    }
    if matches!(
        s,
        "advertisement"
            | "ad"
            | "sponsored"
            | "sponsored content"
            | "paid content"
            | "promoted"
            | "ad feedback"
            | "story continues below advertisement"
            | "story continues below"
            | "article continues below advertisement"
            | "article continues below"
            | "continue reading the main story"
            | "scroll to continue with content"
    ) {
        return Some(("advertisement", "advertisement_line"));
    }
    if matches!(
        s,
        "skip to content"
            | "skip to main content"
            | "back to top"
            | "home"
            | "menu"
            | "next article"
            | "previous article"
            | "next post"
            | "previous post"
            | "next story"
            | "previous story"
            | "print this page"
            | "go to comments"
    ) {
        return Some(("navigation", "navigation_line"));
    }
    if matches!(s, "about the author" | "about the authors" | "author bio" | "about author") {
        return Some(("author_bio", "about_the_author"));
    }
    None
}

/// Whether a token can be part of a person's name in a byline or bio.
fn is_name_word(tok: &str) -> bool {
    is_capitalized(tok) && tok.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
}

/// "By NAME", "Author: NAME", "Written by NAME" lines: the name and the rule.
fn byline_line(text: &str, a: usize, b: usize) -> Option<(String, &'static str)> {
    let line = &text[a..b];
    let (rest, rule) = if let Some(r) = line.strip_prefix("By ").or_else(|| line.strip_prefix("BY ")) {
        (r, "by_line")
    } else if let Some(r) = line.strip_prefix("Author: ").or_else(|| line.strip_prefix("Written by ")) {
        (r, "author_line")
    } else {
        return None;
    };
    if rest.ends_with('.') && !rest.ends_with(" Jr.") || rest.len() > 100 {
        return None;
    }
    // The name ends at a separator (", Reuters", " | Updated …").
    let name = rest.split([',', '|', '–', '—']).next().unwrap_or("").trim();
    let name = name.split(" - ").next().unwrap_or("").trim();
    let tokens: Vec<&str> = name.split_whitespace().collect();
    let ok = (1..=8).contains(&tokens.len())
        && tokens.iter().all(|t| is_name_word(t) || matches!(*t, "and" | "&" | "de" | "van" | "von"))
        && tokens.iter().filter(|t| is_name_word(t)).count() >= 2.min(tokens.len());
    ok.then(|| (name.to_string(), rule))
}

/// Words that say a bio's subject writes or studies for a living.
fn is_profession(w: &str) -> bool {
    matches!(
        w,
        "journalist"
            | "reporter"
            | "writer"
            | "analyst"
            | "correspondent"
            | "editor"
            | "columnist"
            | "author"
            | "researcher"
            | "contributor"
            | "professor"
            | "fellow"
            | "blogger"
            | "commentator"
            | "producer"
            | "freelance"
            | "historian"
            | "economist"
            | "lecturer"
            | "scholar"
            | "expert"
            | "director"
            | "founder"
            | "consultant"
            | "attorney"
            | "lawyer"
            | "veteran"
            | "student"
            | "graduate"
            | "specialist"
            | "strategist"
            | "contributing"
            | "staff"
            | "host"
            | "novelist"
            | "filmmaker"
            | "photographer"
            | "reporter,"
            | "writer,"
            | "journalist,"
            | "analyst,"
            | "researcher,"
    )
}

/// If the paragraph is an author bio ("Jane Doe is a freelance journalist …"), the name's
/// byte range. With `need_profession`, a profession word must follow within a few words.
fn bio_name(text: &str, a: usize, b: usize, need_profession: bool) -> Option<(usize, usize)> {
    let toks = tokens_fwd(text, a, b, 20);
    let mut k = 0;
    while k < toks.len() && k < 5 {
        let (s, e) = toks[k];
        let (ca, cz) = core_of(text, s, e);
        // A name word with nothing attached, or an initial with its period.
        let initial = cz == ca + 1 && &text[cz..e] == ".";
        if ca == s && ca < cz && is_name_word(&text[ca..cz]) && (cz == e || initial) {
            k += 1;
        } else {
            break;
        }
    }
    if !(2..=4).contains(&k) || k >= toks.len() {
        return None;
    }
    let verb = &text[toks[k].0..toks[k].1];
    if !matches!(verb, "is" | "was" | "has" | "writes" | "covers" | "teaches" | "serves" | "works" | "reports") {
        return None;
    }
    if need_profession {
        let found = toks[k + 1..].iter().take(12).any(|&(s, e)| {
            let (cs, ce) = core_of(text, s, e);
            is_profession(&text[cs..ce].to_ascii_lowercase())
        });
        if !found {
            return None;
        }
    }
    Some((toks[0].0, toks[k - 1].1))
}

/// Photo credits inside a paragraph: "(Photo by …)", "(AP Photo/…)", "(Getty Images)".
fn inline_credits(text: &str, a: usize, b: usize, out: &mut Vec<Boilerplate>) {
    let para = &text.as_bytes()[a..b];
    for hit in memchr::memchr_iter(b'(', para) {
        let rest = &para[hit + 1..];
        let credit =
            [&b"Photo"[..], b"photo", b"AP Photo", b"Getty", b"Image", b"Credit"].iter().any(|n| rest.starts_with(n));
        if !credit {
            continue;
        }
        let start = a + hit;
        let limit = (hit + 160).min(para.len());
        if let Some(close) = memchr::memchr(b')', &para[hit..limit]) {
            let end = start + close + 1;
            if !(start == a && end == b) {
                out.push(Boilerplate { start, end, kind: "photo_credit", rule: "photo_parenthetical" });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paragraph::paragraphs;

    fn kinds(t: &str) -> (Vec<(&str, &str)>, Option<String>) {
        let (bp, by) = find(t, &paragraphs(t));
        (bp.into_iter().map(|x| (x.kind, &t[x.start..x.end])).collect(), by)
    }

    #[test]
    fn lines() {
        let (k, by) = kinds("By Jane Roe\nBody text here.\nShare this\nFacebook Twitter Email\nComments are closed.");
        assert_eq!(
            k,
            [
                ("byline", "By Jane Roe"),
                ("share", "Share this"),
                ("social", "Facebook Twitter Email"),
                ("comments", "Comments are closed.")
            ]
        );
        assert_eq!(by.as_deref(), Some("Jane Roe"));
    }

    #[test]
    fn bio_and_name_line() {
        let t = "Body one.\n\nBody two.\n\nJohn Smith\n\nJohn Smith is an analyst based in Rome. He writes.";
        let (k, by) = kinds(t);
        assert_eq!(by.as_deref(), Some("John Smith"));
        assert_eq!(k[0], ("byline", "John Smith"));
        assert_eq!(k[1].0, "author_bio");
    }

    #[test]
    fn inline_photo_credit() {
        let (k, _) = kinds("The crowd gathered. (Photo by Jane Roe/Getty Images) It rained.");
        assert_eq!(k, [("photo_credit", "(Photo by Jane Roe/Getty Images)")]);
    }
}
