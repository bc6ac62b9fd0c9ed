//! End-to-end tests: run the real `slant` binary on fixtures and on `../shared/data`, and
//! check the records against the contract.

#[allow(dead_code)] // Not every helper is used by every test module.
mod support;

mod actors;
mod bad_input;
mod contract;
mod jobs;
mod plugins;
mod registry;
mod report;
mod rhetoric;
mod sentiment;
mod stance;
mod structure;
mod vader;
