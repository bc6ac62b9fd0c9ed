//! The command line, as `CONTRACT.md` gives it.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "slant", version, about = "Reads news and opinion articles and shows how they argue.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyze documents: text files, JSONL files, directories or standard input.
    Analyze(AnalyzeArgs),
    /// List the available analyzers (built-in and loaded plugins).
    Analyzers(AnalyzersArgs),
    /// VADER-exact sentence scores: one text per line (or JSONL with `text`) in, one
    /// `{"neg","neu","pos","compound"}` per line out.
    Vader(VaderArgs),
    /// Summarize saved `jsonl` results over a corpus.
    Report(ReportArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Jsonl,
    Pretty,
    Html,
}

#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// Files (.txt, .md, no extension: one document; .jsonl: one per line), directories, or `-`.
    pub paths: Vec<String>,
    /// Output format; default `pretty` on a terminal, `jsonl` otherwise. `html` is one
    /// self-contained page; for several documents, `--output x.html` writes the index to
    /// `x.html` and one page per document beside it (`x-<id>.html`), while standard output
    /// gets one page with the index at the top.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Analyzers to run, comma-separated; their requirements are added. Default: all.
    #[arg(long, value_delimiter = ',')]
    pub analyzers: Option<Vec<String>>,
    /// Load a dynamic analyzer library (repeatable).
    #[arg(long = "plugin", value_name = "LIB")]
    pub plugins: Vec<PathBuf>,
    /// Worker threads (default: all cores). Output does not depend on it.
    #[arg(long)]
    pub jobs: Option<usize>,
    /// The JSONL field that holds the text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// Write the output here instead of standard output.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// An actor dictionary in Slant's format (repeatable).
    #[arg(long = "actors", value_name = "FILE")]
    pub actors: Vec<PathBuf>,
    /// An actor dictionary in PETRARCH/Phoenix format (repeatable).
    #[arg(long = "actors-petrarch", value_name = "FILE")]
    pub actors_petrarch: Vec<PathBuf>,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// When the run ends, print on stderr where its time went: each analyzer's own work, the
    /// storing of its output, and the host's reading, serializing and writing, with MB/s of
    /// text. `--timings=json` prints one JSON object instead of the table.
    #[arg(long, value_enum, num_args = 0..=1, require_equals = true, default_missing_value = "text", value_name = "FORMAT")]
    pub timings: Option<TimingsFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimingsFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct AnalyzersArgs {
    /// Load a dynamic analyzer library (repeatable).
    #[arg(long = "plugin", value_name = "LIB")]
    pub plugins: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ListFormat,
}

#[derive(Debug, clap::Args)]
pub struct VaderArgs {
    /// A file with one text per line (or JSONL with `text`); `-` or nothing for stdin.
    /// Bytes are read as UTF-8; any byte that is not valid UTF-8 is read as Windows-1252
    /// (cp1252), and a trailing CR is dropped, so CRLF and cp1252 files score as Python does
    /// when it opens them with the matching encoding.
    pub path: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Pretty,
    Csv,
    Html,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Saved `slant analyze --format jsonl` output files (`-` for standard input), read as a
    /// stream: most mentioned actors with their mean portrayal, most frequent techniques,
    /// tone distribution, and a breakdown per outlet when records carry `meta.source`.
    #[arg(required = true)]
    pub results: Vec<PathBuf>,
    /// `pretty` (a terminal table; the default), `csv` (one table, a `section` column tells
    /// the parts apart) or `html` (a self-contained page).
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write the report here instead of standard output.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Rows per table in `pretty` and `html` (CSV has every row).
    #[arg(long, default_value_t = 15)]
    pub top: usize,
}
