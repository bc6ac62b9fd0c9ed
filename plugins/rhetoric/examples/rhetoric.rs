//! Prints the rhetoric findings of text files (no other analyzer), and the time taken:
//! `cargo run --release -p slant-rhetoric --example rhetoric -- FILE...`

use std::time::Instant;

use slant_core::Settings;
use slant_rhetoric::text::split_sentences;
use slant_rhetoric::Rhetoric;

fn main() {
    let analyzer = match Rhetoric::from_settings(&Settings::default()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("rhetoric: {e}");
            std::process::exit(1);
        }
    };
    let quiet = std::env::args().any(|a| a == "--quiet");
    let mut bytes = 0usize;
    let mut secs = 0.0f64;
    for path in std::env::args().skip(1).filter(|a| a != "--quiet") {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("cannot read {path}: {e}");
                continue;
            }
        };
        let t0 = Instant::now();
        let findings = analyzer.find(&text, &split_sentences(&text));
        secs += t0.elapsed().as_secs_f64();
        bytes += text.len();
        if quiet {
            continue;
        }
        println!("== {path}");
        for f in findings {
            println!(
                "{:<26} {:.2} [{}] {:?}\n    {}",
                f.technique.id(),
                f.score,
                f.source,
                &text[f.start..f.end],
                f.explanation
            );
        }
    }
    eprintln!("{bytes} bytes in {secs:.3} s: {:.1} MB/s", bytes as f64 / 1e6 / secs.max(1e-9));
}
