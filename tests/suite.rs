//! Every integration test, in one binary: one link instead of twenty (each links egui), so the
//! test build takes minutes less. Each file of `tests/` is a module; `cargo test NAME` runs a
//! file's tests (`cargo test suggest_quality -- --nocapture` prints the quality figures).

mod bad_inputs;
mod cli;
mod common;
mod core_properties;
mod entities;
mod exports;
mod exports_attributes;
mod find;
mod fragments;
mod imports;
mod ingest_documents;
mod ingest_html;
mod kill_during_save;
mod label_attributes;
mod long_document;
mod never_lose_work;
mod parser_properties;
mod reanchoring;
mod sample_project;
mod schema;
mod suggest;
mod suggest_quality;
mod team;
mod ui;
mod ui_analysis;
mod ui_safety;
