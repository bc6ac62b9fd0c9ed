//! Writes records in the chosen format as they arrive, in input order.

use std::io::Write;

use slant_core::Record;
use slant_report::PrettyOptions;

use crate::args::Format;

/// A destination for records in one format.
pub struct Sink<W: Write> {
    out: W,
    format: Format,
    pretty: PrettyOptions,
    /// For `json`: the first record is held back until we know whether there is a second
    /// (one document gives a bare object, several an array).
    held: Option<Record>,
    written: usize,
}

impl<W: Write> Sink<W> {
    pub fn new(out: W, format: Format, pretty: PrettyOptions) -> Self {
        Sink { out, format, pretty, held: None, written: 0 }
    }

    pub fn write(&mut self, record: &Record) -> std::io::Result<()> {
        match self.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut self.out, record)?;
                self.out.write_all(b"\n")?;
            }
            Format::Json => {
                if self.written == 0 && self.held.is_none() {
                    self.held = Some(record.clone());
                    return Ok(());
                }
                if let Some(first) = self.held.take() {
                    self.out.write_all(b"[\n")?;
                    serde_json::to_writer_pretty(&mut self.out, &first)?;
                    self.written += 1;
                }
                self.out.write_all(b",\n")?;
                serde_json::to_writer_pretty(&mut self.out, record)?;
            }
            Format::Pretty | Format::Html => {
                if self.written > 0 {
                    self.out.write_all(b"\n")?;
                }
                self.out.write_all(slant_report::pretty(record, &self.pretty).as_bytes())?;
            }
        }
        self.written += 1;
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        if self.format == Format::Json {
            if let Some(only) = self.held.take() {
                serde_json::to_writer_pretty(&mut self.out, &only)?;
                self.out.write_all(b"\n")?;
            } else if self.written == 0 {
                self.out.write_all(b"[]\n")?;
            } else {
                self.out.write_all(b"\n]\n")?;
            }
        }
        self.out.flush()
    }
}
