//! The built-in gazetteer as static tables, written by `build.rs` from the crate's data with
//! [`crate::gazetteer::Builder`] (`$OUT_DIR/gazetteer_baked.rs`): a run neither parses the
//! data nor builds the trie, it only copies the actors' and names' strings out of the tables.
//! A test checks the baked gazetteer equals the one built from the data at run time.

use std::sync::{Arc, OnceLock};

use crate::gazetteer::{node, CaseRule, Gazetteer, Kind, Node, Via};

include!(concat!(env!("OUT_DIR"), "/gazetteer_baked.rs"));

impl Gazetteer {
    /// The built-in gazetteer, made once per process from the baked tables.
    pub fn builtin() -> Arc<Gazetteer> {
        static BUILTIN: OnceLock<Arc<Gazetteer>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                Arc::new(Gazetteer::from_baked(
                    &ACTORS,
                    &VARIANTS,
                    &ROOT,
                    &NODES,
                    &EDGES,
                    &DENSE,
                    [&PREFIXES, &SHORT_PREFIXES, &PREFIXES5],
                    FIRST_BYTES,
                ))
            })
            .clone()
    }
}
