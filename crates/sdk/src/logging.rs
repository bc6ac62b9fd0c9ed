//! Forwards the plugin's `tracing` events to the host. A dynamic library has its own copy of
//! `tracing`'s global dispatcher, so without this its events would go nowhere.

use std::fmt::Write as _;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};

use crate::abi::{level_number, LogCallback};

/// A subscriber that formats each event as one line and hands it to the host's callback.
/// Spans are not forwarded (the host's log shows events with their target).
struct Forward {
    log: LogCallback,
    max_level: u32,
}

/// Installs the forwarder as this library's global default. If the plugin already installed a
/// subscriber of its own, that one stays.
pub(crate) fn install(log: LogCallback, max_level: u32) {
    let _ = tracing::subscriber::set_global_default(Forward { log, max_level });
}

#[derive(Default)]
struct Line {
    message: String,
    fields: String,
}

impl Visit for Line {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.fields, " {}={value:?}", field.name());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={value:?}", field.name());
        }
    }
}

impl Subscriber for Forward {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        if self.enabled(meta) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>) -> bool {
        level_number(meta.level()) <= self.max_level
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(match self.max_level {
            0 => tracing::level_filters::LevelFilter::OFF,
            1 => tracing::level_filters::LevelFilter::ERROR,
            2 => tracing::level_filters::LevelFilter::WARN,
            3 => tracing::level_filters::LevelFilter::INFO,
            4 => tracing::level_filters::LevelFilter::DEBUG,
            _ => tracing::level_filters::LevelFilter::TRACE,
        })
    }

    fn new_span(&self, _span: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = Line::default();
        event.record(&mut line);
        line.message.push_str(&line.fields);
        let target = event.metadata().target();
        (self.log)(
            level_number(event.metadata().level()),
            target.as_ptr(),
            target.len(),
            line.message.as_ptr(),
            line.message.len(),
        );
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}
