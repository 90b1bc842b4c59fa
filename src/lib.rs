//! citelint: a copyright-and-citation compliance checker for articles.
//!
//! Data flows one way: a [`document::Document`] is read from text; a [`rules::RuleSet`]
//! compiled from YAML packs extracts typed fields and runs checks on it; [`check`]
//! returns [`diagnostic::Diagnostic`]s with exact positions, which a reporter prints.
//! The library does no I/O.

pub mod builtin;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod engine;
pub mod normalize;
pub mod position;
pub mod report;
pub mod rules;
pub mod value;
pub mod yaml;

pub use diagnostic::{Diagnostic, Severity};
pub use document::{Document, Format};
pub use engine::{CheckOptions, check};
pub use rules::RuleSet;
