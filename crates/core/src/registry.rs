//! The registry of built-in analyzers: each plugin crate submits a [`Registration`] with
//! `inventory`, and the host asks for [`registered`] ones.
//!
//! `inventory` only sees crates the final binary links, so the host names every built-in
//! plugin crate in `slant-builtins` (and a test asserts the exact list).

use crate::analyzer::{Analyzer, Settings};

/// A built-in analyzer factory.
pub struct Registration {
    pub name: &'static str,
    /// Builds the analyzer; the error names what in `Settings` was wrong.
    pub build: fn(&Settings) -> Result<Box<dyn Analyzer>, String>,
}

inventory::collect!(Registration);

/// All registered built-ins, sorted by name (inventory's order varies between builds).
pub fn registered() -> Vec<&'static Registration> {
    let mut all: Vec<&'static Registration> = inventory::iter::<Registration>.into_iter().collect();
    all.sort_by_key(|r| r.name);
    all
}

/// Registers a built-in analyzer type that implements `Analyzer` and has a constructor
/// `fn from_settings(&Settings) -> Result<Self, String>`.
#[macro_export]
macro_rules! register_analyzer {
    ($name:expr, $ty:ty) => {
        $crate::inventory::submit! {
            $crate::Registration {
                name: $name,
                build: |settings| {
                    <$ty>::from_settings(settings)
                        .map(|a| Box::new(a) as Box<dyn $crate::Analyzer>)
                },
            }
        }
    };
}
