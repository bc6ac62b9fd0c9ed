//! `slant vader`: VADER-exact scores, one JSON object per input line.

use crate::args::VaderArgs;
use crate::Failure;

pub fn run(_args: VaderArgs) -> Result<bool, Failure> {
    Err(Failure::Usage("`slant vader` is not implemented yet".into()))
}
