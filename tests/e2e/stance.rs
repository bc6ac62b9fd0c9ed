//! End-to-end tests of the stance analyzer (issue 5): `target_stance` for input targets, the
//! portrayal and relations on the seed article, through the real `slant` binary.

use serde_json::Value;

use crate::support::*;

const KINDS: &[&str] =
    &["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict", "sentiment"];

#[test]
fn input_targets_get_a_target_stance_on_the_same_span_and_join_the_actors() {
    let text = "The senator praised Maria Lopez for her brilliant and courageous leadership during the crisis.";
    let start = text.find("Maria Lopez").unwrap();
    let line = serde_json::json!({
        "id": "t1", "text": text,
        "annotations": [{"layer": "target", "start": start, "end": start + 11, "label": "Lopez"}]
    });
    let run = slant(&["analyze", "--format", "jsonl", "--analyzers", "stance", "-"], format!("{line}\n").as_bytes());
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let rec = &run.records()[0];
    assert_record_shape(rec, text);
    let ts: Vec<&Value> =
        rec["annotations"].as_array().unwrap().iter().filter(|a| a["layer"] == "target_stance").collect();
    assert_eq!(ts.len(), 1);
    assert_eq!((ts[0]["start"].as_u64(), ts[0]["end"].as_u64()), (Some(start as u64), Some(start as u64 + 11)));
    assert_eq!(ts[0]["label"], "positive", "{}", ts[0]);
    assert!(ts[0]["attrs"]["evidence"].as_array().is_some_and(|e| !e.is_empty()));
    let actors = rec["summary"]["actors"].as_array().expect("summary.actors");
    let lopez =
        actors.iter().find(|a| a["name"] == "Lopez").expect("the target takes part as an actor under its label");
    assert_eq!(lopez["stance"]["label"], "positive");
}

#[test]
fn seed_portrayal_and_relations() {
    let seed = data("seed/armenia-csto.txt");
    let text = std::fs::read_to_string(&seed).expect("the seed article is in ../shared/data");
    let run = slant(&["analyze", "--format", "jsonl", "--analyzers", "stance", seed.to_str().unwrap()], b"");
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let rec = &run.records()[0];
    assert_record_shape(rec, &text);

    let actors = rec["summary"]["actors"].as_array().expect("summary.actors");
    assert!(!actors.is_empty(), "the actors analyzer found actors in the seed");
    for a in actors {
        let s = &a["stance"];
        let score = s["score"].as_f64().unwrap_or_else(|| panic!("no stance score: {a}"));
        assert!((-1.0..=1.0).contains(&score));
        assert!(["positive", "neutral", "negative"].contains(&s["label"].as_str().unwrap_or("")));
    }
    let label_of = |needle: &str| {
        actors
            .iter()
            .find(|a| a["name"].as_str().is_some_and(|n| n.contains(needle)))
            .map(|a| a["stance"]["label"].as_str().unwrap_or("").to_string())
    };
    // The author portrays Russia, Putin and Fyodorov negatively.
    for who in ["Russia", "Putin", "Fyodorov"] {
        assert_eq!(label_of(who).as_deref(), Some("negative"), "portrayal of {who}");
    }

    let rels = rec["summary"]["relations"].as_array().expect("summary.relations");
    for r in rels {
        assert!(KINDS.contains(&r["kind"].as_str().unwrap_or("")), "{r}");
        assert!(r["count"].as_u64().unwrap_or(0) >= 1);
    }
    let has = |src: &str, tgt: &str, label: &str| {
        rels.iter().any(|r| r["source"] == src && r["target"] == tgt && r["label"] == label)
    };
    // Turkey backs Azerbaijan ("strongly backed by its ally Turkey": passive voice).
    assert!(has("Turkey", "Azerbaijan", "positive"), "Turkey → Azerbaijan: {rels:?}");
    // Armenia seeks cooperation with Iran ("increase … cooperation with": a cooperation event
    // from the hand-written verb table; its sign is averaged with other Armenia/Iran mentions,
    // so the kind is what is asserted).
    let cooperates = rels.iter().any(|r| {
        r["source"] == "Armenia"
            && r["target"] == "Iran"
            && r["kind"].as_str().is_some_and(|k| k.ends_with("cooperation"))
    });
    assert!(cooperates, "Armenia → Iran: {rels:?}");
    // Not yet found by general rules (reported, not asserted): Armenia distancing itself from
    // Russia, Azerbaijan in conflict with Armenia.
    for a in rec["annotations"].as_array().unwrap().iter().filter(|a| a["layer"] == "relation") {
        assert!(a["attrs"]["source"].is_string() && a["attrs"]["target"].is_string(), "{a}");
        assert!(KINDS.contains(&a["attrs"]["kind"].as_str().unwrap_or("")), "{a}");
    }
}
