//! Marginalia: a desktop annotation workbench for analysts.
//!
//! The crate is a pure core plus two shells:
//!
//! | module | owns |
//! |---|---|
//! | [`model`] | pure data: offsets, spans, texts, schema, annotations, edits, history |
//! | [`ingest`] | article files → document text and metadata |
//! | [`store`] | the RON project file: layout, atomic save, load with errors |
//! | [`formats`] | exporters and importers of other tools' formats |
//! | [`suggest`] | suggested annotations: quotations with speakers, entity mentions |
//! | [`team`] | a project shared through git: `team init`, the merge driver's set-up |
//! | [`workspace`] | an open project: texts, undo history, save state; every user action |
//! | [`cli`] | the command line, parsed with clap; headless commands |
//! | `gui` | (feature `gui`) the eframe application |
//!
//! The core (everything but `gui`) never depends on egui: `cargo check
//! --no-default-features` proves it.

pub mod cli;
pub mod formats;
pub mod ingest;
pub mod model;
pub mod store;
pub mod suggest;
pub mod team;
pub mod workspace;

#[cfg(feature = "gui")]
pub mod gui;
