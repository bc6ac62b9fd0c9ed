//! The `slant` binary: the only place that does IO. Parses the command line, sets up logging
//! on stderr, and hands each subcommand to its module.

mod alloc;
mod analyze;
mod analyzers;
mod args;
mod catalog;
mod input;
mod output;
mod report;
mod timings;
mod vader;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: see `Cargo.toml` for why, and [`alloc`] for how
/// it is called.
#[global_allocator]
static GLOBAL: alloc::Mimalloc = alloc::Mimalloc;

/// How a command failed, which decides the exit status (`CONTRACT.md`).
#[derive(Debug)]
pub enum Failure {
    /// Bad flags, missing paths, unloadable plugins: exit 2.
    Usage(String),
    /// Output could not be written: exit 1.
    Io(String),
    /// The reader went away (`slant … | head`): not an error.
    BrokenPipe,
}

fn main() -> ExitCode {
    slant_builtins::link();
    init_logging();
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::Analyze(a) => analyze::run(a),
        args::Command::Analyzers(a) => analyzers::run(a),
        args::Command::Vader(a) => vader::run(a),
        args::Command::Report(a) => report::run(a),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            eprintln!("slant: error: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Io(msg)) => {
            eprintln!("slant: error: {msg}");
            ExitCode::from(1)
        }
    }
}

/// Logs go to stderr, filtered by `RUST_LOG` (default: warnings). Panics inside analyzers
/// are caught and reported in records, so the default hook's stderr dump is replaced by a
/// log line.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).try_init();
    std::panic::set_hook(Box::new(|info| {
        tracing::warn!("caught panic: {info}");
    }));
}
