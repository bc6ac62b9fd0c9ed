//! Renders one saved record (JSON) as the HTML page or the terminal report:
//! `cargo run -p slant-report --example render_record -- RECORD.json [TEXT.txt] [--pretty]`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pretty = args.iter().any(|a| a == "--pretty");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let Some(record_path) = files.first() else {
        eprintln!("usage: render_record RECORD.json [TEXT.txt] [--pretty]");
        return ExitCode::from(2);
    };
    let record: slant_core::Record = match std::fs::read_to_string(record_path)
        .map_err(|e| e.to_string())
        .and_then(|s| serde_json::from_str(&s).map_err(|e| e.to_string()))
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot read record `{record_path}`: {e}");
            return ExitCode::from(2);
        }
    };
    let text = files.get(1).and_then(|p| std::fs::read_to_string(p).ok());
    if pretty {
        print!("{}", slant_report::pretty(&record, &slant_report::PrettyOptions { color: true, width: 100 }));
    } else {
        print!("{}", slant_report::html::page(&record, text.as_deref()));
    }
    ExitCode::SUCCESS
}
