//! `slant report`: a corpus view over saved `jsonl` results.

use crate::args::ReportArgs;
use crate::Failure;

pub fn run(_args: ReportArgs) -> Result<bool, Failure> {
    Err(Failure::Usage("`slant report` is not implemented yet".into()))
}
