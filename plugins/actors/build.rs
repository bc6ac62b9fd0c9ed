//! Bakes the built-in gazetteer (`data/countries.txt`, `data/organizations.txt`,
//! `data/blockers.txt`) into static tables (`$OUT_DIR/gazetteer_baked.rs`, read by
//! `src/baked.rs`), compiled by the crate's own `src/gazetteer.rs`, so that a run starts without
//! parsing the data or building the trie (about 7.5M instructions, most of a one-article run of
//! this analyzer).

use std::path::PathBuf;

#[path = "src/lexicon.rs"]
#[allow(dead_code)]
mod lexicon;

#[path = "src/gazetteer.rs"]
#[allow(dead_code)]
mod gazetteer;

fn main() {
    for path in [
        "build.rs",
        "src/gazetteer.rs",
        "src/lexicon.rs",
        "data/countries.txt",
        "data/organizations.txt",
        "data/blockers.txt",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    let gazetteer = gazetteer::Builder::with_builtin_data().build();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("gazetteer_baked.rs");
    if let Err(e) = std::fs::write(&out, gazetteer.baked_source()) {
        panic!("{}: {e}", out.display());
    }
}
