//! Bakes what the stance analyzer would otherwise build at start-up into files in `$OUT_DIR`,
//! which `src/model.rs` and `src/lexicon.rs` include:
//!
//! - for each committed weight file (`data/*.tsv`, written by `cargo xtask train stance`), the
//!   tables `src/table.rs` lays out (cells, name spans, key filter words) as bytes in the
//!   target's byte order, its feature names, and `baked_models.rs`, which ties them together;
//! - the lexicon's table and key filter (`lexicon.cells`, `lexicon.filter`): VADER's valences
//!   (from the `vader_sentiment` crate, a build dependency; the lexicon is never copied into
//!   this repository) and the word lists of `src/words.rs`, keyed by our token hash, laid out
//!   by `src/words.rs`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

#[path = "src/hash.rs"]
#[allow(dead_code)]
mod hash;
#[path = "src/table.rs"]
#[allow(dead_code)]
mod table;
#[path = "src/weights.rs"]
#[allow(dead_code)]
mod weights;
#[path = "src/words.rs"]
#[allow(dead_code)]
mod words;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/hash.rs");
    println!("cargo:rerun-if-changed=src/table.rs");
    println!("cargo:rerun-if-changed=src/weights.rs");
    println!("cargo:rerun-if-changed=src/words.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(out.join(name), bytes).unwrap_or_else(|e| panic!("cannot write {name}: {e}"))
    };
    // The tables are read in place, so their numbers go in the byte order of the target (which
    // may not be the order of the machine that builds).
    let big = std::env::var("CARGO_CFG_TARGET_ENDIAN").is_ok_and(|e| e == "big");
    let u32_bytes = |x: u32| if big { x.to_be_bytes() } else { x.to_le_bytes() };
    let u64_bytes = |x: u64| if big { x.to_be_bytes() } else { x.to_le_bytes() };

    let mut rs = String::from("// Written by build.rs: the committed models' baked tables.\n");
    for (file, stem, name) in [
        ("data/target_stance.tsv", "target_stance", "TARGET"),
        ("data/directed_sentiment.tsv", "directed_sentiment", "PAIR"),
    ] {
        println!("cargo:rerun-if-changed={file}");
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
        let (mut keys, mut ws, mut ends, mut names) = (Vec::new(), Vec::new(), Vec::new(), String::new());
        let classes = weights::read_text(&text, |key, name, w| {
            keys.push(key);
            ws.extend_from_slice(w);
            names.push_str(name);
            ends.push(names.len() as u32);
        })
        .unwrap_or_else(|e| panic!("{file}: {e}"));
        let t = table::lay_out(classes.len(), &keys, &ws, &ends, &names).unwrap_or_else(|e| panic!("{file}: {e}"));

        let mut cells = Vec::with_capacity(t.cells.len() * 32);
        for c in &t.cells {
            cells.extend_from_slice(&u64_bytes(c.key));
            c.w.iter().for_each(|w| cells.extend_from_slice(&u32_bytes(w.to_bits())));
        }
        let spans: Vec<u8> = t.spans.iter().flatten().flat_map(|&x| u32_bytes(x)).collect();
        let filter: Vec<u8> = table::KeyFilter::words_of(keys.iter().copied(), table::MODEL_FILTER_BITS)
            .into_iter()
            .flat_map(u64_bytes)
            .collect();
        write(&format!("{stem}.cells"), &cells);
        write(&format!("{stem}.spans"), &spans);
        write(&format!("{stem}.filter"), &filter);
        write(&format!("{stem}.names"), names.as_bytes());

        let include = |part: &str| format!("&Aligned(*include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{stem}.{part}\")))");
        writeln!(
            rs,
            "pub static {name}: Baked = Baked {{ classes: &{classes:?}, rows: {rows}, bias_rows: &{bias:?}, \
             cells: {cells}, spans: {spans}, filter: {filter}, \
             names: include_str!(concat!(env!(\"OUT_DIR\"), \"/{stem}.names\")) }};",
            rows = t.rows,
            bias = t.bias_rows,
            cells = include("cells"),
            spans = include("spans"),
            filter = include("filter"),
        )
        .expect("writing to a string");
    }
    write("baked_models.rs", rs.as_bytes());

    // The lexicon: VADER's valences keyed by our token hash, then the word lists' classes.
    // Keyed by hash in order, so that the table does not depend on a hash map's order; two
    // words with one hash (case variants) must agree.
    let mut lexicon: BTreeMap<u64, (f32, u16, &str)> = BTreeMap::new();
    for (word, v) in vader_sentiment::LEXICON.iter() {
        let (word, v) = (word.as_ref(), *v as f32);
        if let Some((old, _, other)) = lexicon.insert(hash::word_hash(word), (v, 0, word)) {
            if old.to_bits() != v.to_bits() {
                panic!("VADER lexicon: `{word}` and `{other}` hash alike but differ in valence");
            }
        }
    }
    for &(list, class) in words::CLASS_LISTS {
        for w in list {
            lexicon.entry(hash::word_hash(w)).or_insert((0.0, 0, w)).1 |= class;
        }
    }
    let entries: Vec<(u64, f32, u16)> = lexicon.iter().map(|(&h, &(v, c, _))| (h, v, c)).collect();
    let mut cells = Vec::with_capacity(entries.len() * 32);
    for c in words::lay_out(&entries) {
        cells.extend_from_slice(&u64_bytes(c.key));
        cells.extend_from_slice(&u32_bytes(c.valence.to_bits()));
        cells.extend_from_slice(&if big { c.classes.to_be_bytes() } else { c.classes.to_le_bytes() });
        cells.extend_from_slice(&[0, 0]);
    }
    let filter: Vec<u8> = table::KeyFilter::words_of(lexicon.keys().copied(), words::LEXICON_FILTER_BITS)
        .into_iter()
        .flat_map(u64_bytes)
        .collect();
    write("lexicon.cells", &cells);
    write("lexicon.filter", &filter);
}
