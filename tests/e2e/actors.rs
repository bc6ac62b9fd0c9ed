//! The actors analyzer end to end (issue 4): the seed article's actors with their aliases and
//! affiliations (no rule is written for that article), boilerplate ignored, and user
//! dictionaries read by the host, including bad ones (usage error naming file and line).

use serde_json::Value;

use crate::support::*;

fn seed_actors() -> (Value, String) {
    let seed = data("seed/armenia-csto.txt");
    let text = std::fs::read_to_string(&seed).expect("the seed article is in ../shared/data");
    let run = slant(&["analyze", "--format", "jsonl", "--analyzers", "actors", seed.to_str().unwrap()], b"");
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let mut records = run.records();
    assert_eq!(records.len(), 1);
    assert_record_shape(&records[0], &text);
    (records.remove(0), text)
}

fn entry<'a>(actors: &'a [Value], name: &str) -> &'a Value {
    actors.iter().find(|a| a["name"] == name).unwrap_or_else(|| {
        let names: Vec<&str> = actors.iter().filter_map(|a| a["name"].as_str()).collect();
        panic!("`{name}` is not among the seed's actors: {names:?}")
    })
}

fn aliases(a: &Value) -> Vec<&str> {
    a["aliases"].as_array().map(|v| v.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

#[test]
fn seed_actors_with_aliases_and_affiliations() {
    let (record, _) = seed_actors();
    let actors = record["summary"]["actors"].as_array().expect("summary.actors is a list");
    // States, with the capitals, seats and demonyms that name them.
    for (name, id, must) in [
        ("Armenia", "ARM", &["Armenia", "Yerevan", "Armenian"][..]),
        ("Russia", "RUS", &["Russia", "Moscow", "Kremlin"][..]),
        ("Azerbaijan", "AZE", &["Azerbaijan", "Baku"][..]),
        ("Iran", "IRN", &["Iran", "Tehran"][..]),
        ("France", "FRA", &["France", "Paris"][..]),
        ("Turkey", "TUR", &["Turkey"][..]),
    ] {
        let a = entry(actors, name);
        assert_eq!(a["id"], id);
        assert_eq!(a["kind"], "country");
        for alias in must {
            assert!(aliases(a).contains(alias), "{name} lacks alias {alias}: {a}");
        }
    }
    let eu = entry(actors, "European Union");
    assert!(aliases(eu).contains(&"EU"), "{eu}");
    let csto = entry(actors, "Collective Security Treaty Organization");
    assert!(aliases(csto).contains(&"CSTO"), "{csto}");
    // People with their office's state, joined across surnames and role descriptions.
    for (name, affiliation, must) in [
        ("Nikol Pashinyan", "Armenia", &["Pashinyan", "Armenian Prime Minister"][..]),
        ("Vladimir Putin", "Russia", &["Putin", "Russian leader"][..]),
        ("Ilham Aliyev", "Azerbaijan", &["Aliyev"][..]),
        ("Yevgeny Fyodorov", "Russia", &["Fyodorov"][..]),
    ] {
        let a = entry(actors, name);
        assert_eq!(a["kind"], "person", "{a}");
        assert_eq!(a["affiliation"], affiliation, "{a}");
        for alias in must {
            assert!(aliases(a).contains(alias), "{name} lacks alias {alias}: {a}");
        }
    }
    let gazprom = entry(actors, "Gazprom");
    assert_eq!(gazprom["kind"], "organization");
    assert_eq!(gazprom["affiliation"], "Russia");
    // Most mentioned first, and Armenia is the article's subject.
    let counts: Vec<u64> = actors.iter().map(|a| a["mentions"].as_u64().unwrap_or(0)).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert_eq!(actors[0]["name"], "Armenia");
}

#[test]
fn seed_boilerplate_mentions_are_ignored() {
    let (record, text) = seed_actors();
    let anns = record["annotations"].as_array().expect("annotations");
    let chars: Vec<char> = text.chars().collect();
    let bio_start = text.find("Nikola Mikovic is a freelance").expect("the seed's author bio");
    let bio_start = text[..bio_start].chars().count() as u64;
    assert!(anns.iter().any(|a| a["layer"] == "boilerplate"), "structure marks the bio");
    for a in anns.iter().filter(|a| a["layer"] == "actor") {
        assert!(a["start"].as_u64().unwrap_or(0) < bio_start, "actor inside the author bio: {a}");
        for key in ["id", "kind", "via"] {
            assert!(a["attrs"][key].is_string(), "actor without {key}: {a}");
        }
    }
    assert!(chars.len() as u64 > bio_start);
    let names: Vec<&str> =
        record["summary"]["actors"].as_array().unwrap().iter().filter_map(|a| a["name"].as_str()).collect();
    assert!(!names.contains(&"Serbia") && !names.contains(&"Libya"), "bio actors counted: {names:?}");
}

#[test]
fn user_dictionaries_are_read_and_bad_ones_refused() {
    let dict = fixture("actors/dictionaries/slant.tsv");
    let run = slant(
        &["analyze", "--format", "jsonl", "--analyzers", "actors", "--actors", dict.to_str().unwrap(), "-"],
        "Ada Okonkwo met the Ruritanian envoy.".as_bytes(),
    );
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let names: Vec<String> = run.records()[0]["summary"]["actors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["name"].as_str().map(String::from))
        .collect();
    assert!(names.contains(&"Ada Okonkwo".to_string()) && names.contains(&"Ruritania".to_string()), "{names:?}");

    let petrarch = fixture("actors/dictionaries/petrarch.actors.txt");
    let run = slant(
        &[
            "analyze",
            "--format",
            "jsonl",
            "--analyzers",
            "actors",
            "--actors-petrarch",
            petrarch.to_str().unwrap(),
            "-",
        ],
        "King Rudolf left Strelsau.".as_bytes(),
    );
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let actors = run.records()[0]["summary"]["actors"].clone();
    assert!(
        actors.as_array().unwrap().iter().any(|a| a["name"] == "Rudolf Rassendyll" && a["affiliation"] == "Ruritania"),
        "{actors}"
    );

    let bad = fixture("actors/dictionaries/bad_kind.tsv");
    let run = slant(&["analyze", "--analyzers", "actors", "--actors", bad.to_str().unwrap(), "-"], b"text");
    assert_eq!(run.status, 2, "a bad dictionary is a usage error; stderr: {}", run.stderr);
    assert!(run.stderr.contains("bad_kind.tsv:1:") && run.stderr.contains("unknown kind"), "stderr: {}", run.stderr);
}
