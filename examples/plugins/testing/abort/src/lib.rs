//! A correct SDK plugin that the test builds with `-C panic=abort`: the host must refuse it,
//! since a panic in it would abort the whole `slant` process.

use slant_sdk::{Analyzer, Document, Output};

#[derive(Default)]
pub struct Abort;

impl Analyzer for Abort {
    fn name(&self) -> &str {
        "abort"
    }

    fn provides(&self) -> Vec<&str> {
        vec!["abort"]
    }

    fn analyze(&self, _doc: &Document) -> Output {
        panic!("a panic here would abort the host")
    }
}

slant_sdk::export_analyzer!(Abort);
