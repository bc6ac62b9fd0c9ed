//! The one greppable list of Slant's built-in analyzers.
//!
//! Each plugin crate registers itself with `inventory`, but the linker drops a crate that no
//! code names, and its analyzers would silently vanish. Naming every plugin crate here, and
//! naming this crate from the binary and from the tests, keeps them all linked; the test below
//! fails if one is lost.

use slant_actors as _;
use slant_rhetoric as _;
use slant_sentiment as _;
use slant_stance as _;
use slant_structure as _;

/// The names of the built-in analyzers, sorted. Adding a plugin crate means adding it to the
/// `use` list above and its name here.
pub const BUILTIN_NAMES: &[&str] = &["actors", "rhetoric", "sentiment", "stance", "structure"];

/// Call from a binary or test to make sure this crate (and so every plugin) is linked.
pub fn link() {}

#[cfg(test)]
mod tests {
    #[test]
    fn every_builtin_is_registered_exactly_once() {
        let names: Vec<&str> = slant_core::registered().iter().map(|r| r.name).collect();
        assert_eq!(names, super::BUILTIN_NAMES);
    }
}
