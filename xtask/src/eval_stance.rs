//! `cargo xtask eval stance`: measures the stance analyzer on `../shared/data`.
//!
//! - NewsMTSC `dev-mt` and `dev-rw`: every target goes through the analyzer (a document per
//!   sentence, the targets as `target` annotations) and its `target_stance` label is scored:
//!   macro-F1 over negative/neutral/positive, and accuracy.
//! - Directed sentiment `valid.txt`: the committed pair model on each entity pair, 5 classes.
//! - PETRARCH2 unit-test suite: each sentence with actor mentions found by the suite's
//!   `PETR.Validate.actors.txt` (our own loader), through the analyzer; its relations are
//!   compared with the expected source, target and event class.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;
use slant_core::{Analyzer, Annotation, Document};
use slant_stance::events::EventClass;
use slant_stance::model::pair_model;
use slant_stance::text::{tokenize, Token};
use slant_stance::Stance;

use crate::train::stance::{pair_example, predict_all, read_directed, scores, Example, Named};
use crate::util;

pub fn run(_args: &[String]) -> Result<()> {
    let data = util::data_dir();
    let stance = Stance::from_settings(&Default::default()).map_err(anyhow::Error::msg)?;
    println!("stance evaluation (committed models)\n");
    for split in ["dev-mt", "dev-rw"] {
        let (f1, acc, per, n) = newsmtsc(&stance, &data.join(format!("newsmtsc/{split}.jsonl")))?;
        println!(
            "NewsMTSC {split:6}  n={n:4}  macro-F1 {f1:.3}  accuracy {acc:.3}  F1 neg/neu/pos {:.3}/{:.3}/{:.3}",
            per[0], per[1], per[2]
        );
    }
    let (f1, acc, per, n) = directed(&data.join("directed-sentiment/valid.txt"))?;
    println!(
        "\ndirected sentiment valid  n={n}  macro-F1 {f1:.3}  accuracy {acc:.3}\n  F1 per class: none {:.3}, \
         E1→E2 pos {:.3}, E2→E1 pos {:.3}, E1→E2 neg {:.3}, E2→E1 neg {:.3}",
        per[0], per[1], per[2], per[3], per[4]
    );
    petrarch(&stance, &data.join("petrarch2"))?;
    Ok(())
}

/// Runs every NewsMTSC sentence through the analyzer; returns macro-F1, accuracy, per-class
/// F1 and the number of targets.
fn newsmtsc(stance: &Stance, path: &Path) -> Result<(f64, f64, Vec<f64>, usize)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let (mut gold, mut pred) = (Vec::new(), Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line)?;
        let sentence = v["sentence_normalized"].as_str().context("sentence_normalized")?;
        let mut doc = Document::new("eval", sentence);
        let mut anns = vec![Annotation::new("sentence", 0, sentence.len())];
        let mut want = Vec::new();
        for t in v["targets"].as_array().context("targets")? {
            let map = doc.offsets();
            let s = map.to_byte(sentence, t["from"].as_u64().context("from")? as usize).context("from")?;
            let e = map.to_byte(sentence, t["to"].as_u64().context("to")? as usize).context("to")?;
            let class = match t["polarity"].as_f64().unwrap_or(4.0) as i64 {
                2 => 0,
                6 => 2,
                _ => 1,
            };
            anns.push(Annotation::new("target", s, e));
            want.push((s, e, class));
        }
        doc.add_annotations(anns);
        let out = stance.analyze(&doc);
        for (s, e, class) in want {
            let label = out
                .annotations
                .iter()
                .find(|a| a.layer == "target_stance" && a.start == s && a.end == e)
                .and_then(|a| a.label.clone())
                .unwrap_or_default();
            gold.push(class);
            pred.push(match &*label {
                "negative" => 0,
                "positive" => 2,
                _ => 1,
            });
        }
    }
    let (f1, acc, per) = scores(&gold, &pred, 3);
    Ok((f1, acc, per, gold.len()))
}

fn directed(path: &Path) -> Result<(f64, f64, Vec<f64>, usize)> {
    let model = pair_model().as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
    let items = read_directed(path)?;
    let mut named = Named::default();
    // Classes are read "first → second"; the data set's E1 is the first entity in most rows,
    // and `read_directed` already re-oriented the others, so scores are comparable.
    let examples: Vec<Example> = items.iter().filter_map(|it| pair_example(it, &mut named)).collect();
    let gold: Vec<usize> = examples.iter().map(|e| e.class).collect();
    let (f1, acc, per) = scores(&gold, &predict_all(model, &examples), 5);
    Ok((f1, acc, per, examples.len()))
}

/// One actor-dictionary phrase: lowercase words and the actor code.
struct Phrase {
    words: Vec<String>,
    code: String,
}

/// Reads PETRARCH's actor dictionary format: `NAME [CODE]` lines (the code may be on the next
/// line), `+SYNONYM` lines that inherit it, `<!-- … -->` and `#` comments; `_` joins words.
fn petrarch_actors(text: &str) -> Vec<Phrase> {
    let mut out = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    let mut code: Option<String> = None;
    let mut in_comment = false;
    for raw in text.lines() {
        let mut line = raw.split('#').next().unwrap_or("").trim().to_string();
        if in_comment {
            if let Some(i) = line.find("-->") {
                line = line[i + 3..].to_string();
                in_comment = false;
            } else {
                continue;
            }
        }
        if let Some(i) = line.find("<!--") {
            if !line[i..].contains("-->") {
                in_comment = true;
            }
            line = line[..i].to_string();
        }
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (name_part, code_part) = match line.find('[') {
            Some(i) => (&line[..i], Some(&line[i + 1..line[i..].find(']').map(|j| i + j).unwrap_or(line.len())])),
            None => (line, None),
        };
        let name = name_part.trim();
        if let Some(syn) = name.strip_prefix('+') {
            pending.push(syn.to_string());
        } else if !name.is_empty() {
            // A new entry: flush the previous one.
            if let Some(c) = code.take() {
                push_phrases(&mut out, &pending, &c);
            }
            pending = vec![name.to_string()];
        }
        if let Some(c) = code_part {
            let c = c.split_whitespace().next().unwrap_or("").trim_start_matches('~').to_uppercase();
            if !c.is_empty() && c != "---" {
                code = Some(c);
            }
        }
    }
    if let Some(c) = code {
        push_phrases(&mut out, &pending, &c);
    }
    out.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
    out
}

fn push_phrases(out: &mut Vec<Phrase>, names: &[String], code: &str) {
    for n in names {
        let words: Vec<String> =
            n.trim_end_matches('_').split(['_', ' ']).filter(|w| !w.is_empty()).map(|w| w.to_lowercase()).collect();
        if !words.is_empty() {
            out.push(Phrase { words, code: code.to_string() });
        }
    }
}

fn norm(w: &str) -> String {
    let w = w.to_lowercase().replace('’', "'");
    w.strip_suffix("'s").map(str::to_string).unwrap_or(w)
}

/// Actor mentions in `text` (longest phrase first, no overlaps); labels are the code's first
/// three letters (the suite composes agents like `GOV` onto them, which we do not).
fn find_actors(text: &str, phrases: &[Phrase]) -> Vec<Annotation> {
    let mut toks: Vec<Token> = Vec::new();
    tokenize(text, 0, &mut toks);
    let words: Vec<String> = toks.iter().map(|t| norm(&text[t.start..t.end])).collect();
    let mut taken = vec![false; toks.len()];
    let mut out = Vec::new();
    for p in phrases {
        let n = p.words.len();
        let mut i = 0;
        while i + n <= toks.len() {
            let m = (0..n).all(|k| {
                let w = &words[i + k];
                let d = &p.words[k];
                !taken[i + k] && (w == d || (k == n - 1 && (w == &format!("{d}s") || w == &format!("{d}es"))))
            });
            if m {
                for t in taken.iter_mut().skip(i).take(n) {
                    *t = true;
                }
                let code: String = p.code.chars().take(3).collect();
                out.push(Annotation::new("actor", toks[i].start, toks[i + n - 1].end).with_label(code));
                i += n;
            } else {
                i += 1;
            }
        }
    }
    out
}

/// Expected codings of one suite record.
struct Record {
    text: String,
    events: Vec<(String, String, String)>,
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let i = tag.find(&format!("{name}="))? + name.len() + 1;
    let rest = tag[i..].trim_start().strip_prefix('"')?;
    Some(&rest[..rest.find('"')?])
}

fn suite_records(xml: &str) -> Vec<Record> {
    let mut out = Vec::new();
    for chunk in xml.split("<Sentence ").skip(1) {
        let Some(body) = chunk.split("</Sentence>").next() else { continue };
        let Some(t0) = body.find("<Text>") else { continue };
        let Some(t1) = body.find("</Text>") else { continue };
        let text = body[t0 + 6..t1].split_whitespace().collect::<Vec<_>>().join(" ");
        let mut events = Vec::new();
        for tag in body.split("<EventCoding").skip(1) {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            if let (Some(s), Some(t), Some(e)) =
                (attr(tag, "sourcecode"), attr(tag, "targetcode"), attr(tag, "eventcode"))
            {
                events.push((s.chars().take(3).collect(), t.chars().take(3).collect(), e.to_string()));
            }
        }
        out.push(Record { text, events });
    }
    out
}

fn petrarch(stance: &Stance, dir: &Path) -> Result<()> {
    let actors_path = dir.join("dictionaries/PETR.Validate.actors.txt");
    let phrases = petrarch_actors(&std::fs::read_to_string(&actors_path).context("PETR.Validate.actors.txt")?);
    let xml = std::fs::read_to_string(dir.join("text/PETR.UnitTest.records.xml")).context("unit-test records")?;
    let records = suite_records(&xml);
    let (mut with_events, mut coded, mut src_ok, mut tgt_ok, mut pair_ok, mut class_n, mut class_ok) =
        (0, 0, 0, 0, 0, 0, 0);
    let (mut no_event_records, mut no_event_quiet) = (0, 0);
    let mut kinds: HashMap<&'static str, usize> = HashMap::new();
    for r in &records {
        let mut doc = Document::new("petr", r.text.as_str());
        let mut anns = vec![Annotation::new("sentence", 0, r.text.len())];
        anns.extend(find_actors(&r.text, &phrases));
        doc.add_annotations(anns);
        let out = stance.analyze(&doc);
        let rels: Vec<(&str, &str, &str)> = out
            .annotations
            .iter()
            .filter(|a| a.layer == "relation")
            .map(|a| {
                (
                    a.attr_str("source").unwrap_or(""),
                    a.attr_str("target").unwrap_or(""),
                    a.attr_str("kind").unwrap_or(""),
                )
            })
            .collect();
        if r.events.is_empty() {
            no_event_records += 1;
            no_event_quiet += rels.is_empty() as usize;
            continue;
        }
        with_events += 1;
        if std::env::var_os("STANCE_DEBUG").is_some()
            && !r.events.iter().any(|e| rels.iter().any(|x| x.0 == e.0 && x.1 == e.1))
        {
            eprintln!("MISS {:?} got {:?} :: {}", r.events, rels, r.text);
        }
        coded += !rels.is_empty() as usize;
        // A record agrees on a part when any of our relations matches any expected event there.
        src_ok += r.events.iter().any(|e| rels.iter().any(|x| x.0 == e.0)) as usize;
        tgt_ok += r.events.iter().any(|e| rels.iter().any(|x| x.1 == e.1)) as usize;
        pair_ok += r.events.iter().any(|e| rels.iter().any(|x| x.0 == e.0 && x.1 == e.1)) as usize;
        if let Some(e) = r.events.iter().find(|e| EventClass::from_cameo(&e.2).is_some()) {
            class_n += 1;
            let want = EventClass::from_cameo(&e.2).map(EventClass::as_str).unwrap_or("");
            let ok = rels.iter().any(|x| x.2 == want);
            class_ok += ok as usize;
            if std::env::var_os("STANCE_DEBUG").is_some() && !ok {
                eprintln!("CLASS want {} ({}) got {:?} :: {}", want, e.2, rels, r.text);
            }
        }
        for x in &rels {
            *kinds
                .entry(match x.2 {
                    "verbal_cooperation" => "verbal_cooperation",
                    "material_cooperation" => "material_cooperation",
                    "verbal_conflict" => "verbal_conflict",
                    "material_conflict" => "material_conflict",
                    _ => "sentiment",
                })
                .or_default() += 1;
        }
    }
    let pct = |a: usize, b: usize| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
    println!("\nPETRARCH2 unit-test suite ({} records, PETR.Validate.actors.txt, our loader; codes compared on their first three letters)", records.len());
    println!(
        "  records with expected events: {with_events}; we coded ≥1 relation in {coded} ({:.1}%)",
        pct(coded, with_events)
    );
    println!(
        "  source agrees: {src_ok} ({:.1}%)   target agrees: {tgt_ok} ({:.1}%)   source+target: {pair_ok} ({:.1}%)",
        pct(src_ok, with_events),
        pct(tgt_ok, with_events),
        pct(pair_ok, with_events)
    );
    println!("  event class (GDELT quad class of the expected CAMEO code; {class_n} records with a standard code) agrees: {class_ok} ({:.1}%)", pct(class_ok, class_n));
    println!("  records expecting no event: {no_event_records}; we coded none in {no_event_quiet}");
    let mut kinds: Vec<_> = kinds.into_iter().collect();
    kinds.sort();
    println!("  our relation kinds: {kinds:?}");
    Ok(())
}
