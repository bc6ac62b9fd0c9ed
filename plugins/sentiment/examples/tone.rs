//! Prints VADER's compound, the news tone and its evidence for each line of standard input
//! (a debugging aid: `cargo run -p slant-sentiment --example tone < sentences.txt`).

use std::io::BufRead;

fn main() {
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let v = slant_sentiment::polarity_scores(&line);
        let (t, ev) = slant_sentiment::news::news_tone_explained(&line);
        println!("vader {:+.4} tone {:+.4}  {line}", v.compound, t.tone);
        for e in ev {
            println!("    {:<24} {:+.3} (base {:+.2}) {}", e.word, e.valence, e.base, e.rule);
        }
    }
}
