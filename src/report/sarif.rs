//! SARIF 2.1.0 for GitHub code scanning: one run, every rule described in
//! `tool.driver.rules`, results with Unicode-code-point columns, paths relative to
//! `SRCROOT`, and partial fingerprints that survive edits elsewhere in the file.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{FileReport, READ_ERROR_RULE, ReportOptions, Reporter, Summary, fingerprints};
use crate::diagnostic::Severity;

/// Collects results; writes the log at the end.
pub struct Sarif {
    options: ReportOptions,
    results: Vec<Value>,
    /// Files that could not be read, as tool execution notifications.
    notifications: Vec<Value>,
}

impl Sarif {
    /// A SARIF reporter describing `options.rules`.
    pub fn new(options: ReportOptions) -> Sarif {
        Sarif {
            options,
            results: Vec::new(),
            notifications: Vec::new(),
        }
    }

    /// The artifact location of `path`: relative to SRCROOT when below it.
    fn location(&self, path: &str) -> Value {
        let relative = url::Url::parse("file:///").ok().and_then(|root| {
            let absolute = std::path::Path::new(path);
            if absolute.is_absolute() {
                let file = url::Url::from_file_path(absolute).ok()?;
                let base = url::Url::parse(self.options.base_uri.as_deref()?).ok()?;
                return base.make_relative(&file).filter(|r| !r.starts_with("../"));
            }
            // A relative path: encode it as a relative URI reference.
            let file = root.join(&super::clean_path(path)).ok()?;
            root.make_relative(&file)
        });
        match relative {
            Some(uri) if self.options.base_uri.is_some() => {
                json!({"uri": uri, "uriBaseId": "SRCROOT"})
            }
            Some(uri) => json!({ "uri": uri }),
            None => {
                json!({"uri": url::Url::from_file_path(path).map(|u| u.to_string()).unwrap_or_else(|_| path.to_string())})
            }
        }
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

impl Reporter for Sarif {
    fn file(&mut self, _: &mut dyn Write, file: &FileReport, _: Option<String>) -> io::Result<()> {
        if let Some(error) = &file.error {
            let mut location = json!({"artifactLocation": self.location(&file.path)});
            if let Some(at) = error.position {
                location["region"] = json!({"startLine": at.line, "startColumn": at.column});
            }
            self.notifications.push(json!({
                "level": "error",
                "message": {"text": error.message},
                "descriptor": {"id": READ_ERROR_RULE},
                "locations": [{"physicalLocation": location}],
            }));
        }
        let prints = fingerprints(&file.path, &file.diagnostics);
        for (d, print) in file.diagnostics.iter().zip(prints) {
            let index = self.options.rules.iter().position(|r| r.id == d.rule);
            let mut result = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": self.location(&file.path),
                        "region": {
                            "startLine": d.start.line,
                            "startColumn": d.start.column,
                            "endLine": d.end.line,
                            "endColumn": d.end.column,
                        }
                    }
                }],
                "partialFingerprints": {"citelint/v1": print},
            });
            if let Some(index) = index {
                result["ruleIndex"] = json!(index);
            }
            if !d.labels.is_empty() {
                result["relatedLocations"] = Value::Array(
                    d.labels
                        .iter()
                        .enumerate()
                        .map(|(i, label)| {
                            json!({
                                "id": i,
                                "message": {"text": label.message},
                                "physicalLocation": {
                                    "artifactLocation": self.location(&file.path),
                                    "region": {
                                        "startLine": label.start.line,
                                        "startColumn": label.start.column,
                                        "endLine": label.end.line,
                                        "endColumn": label.end.column,
                                    }
                                }
                            })
                        })
                        .collect(),
                );
            }
            self.results.push(result);
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        let rules: Vec<Value> = self
            .options
            .rules
            .iter()
            .map(|rule| {
                let mut value = json!({
                    "id": rule.id,
                    "name": rule.id.replace(['/', '-'], "_"),
                    "shortDescription": {"text": rule.summary},
                    "fullDescription": {"text": rule.description},
                    "help": {"text": rule.description, "markdown": rule.description},
                    "defaultConfiguration": {"level": level(rule.level)},
                });
                if let Some(url) = &rule.url {
                    value["helpUri"] = json!(url);
                }
                value
            })
            .collect();
        let mut run = json!({
            "tool": {
                "driver": {
                    "name": "citelint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": std::mem::take(&mut self.results),
        });
        if let Some(base) = &self.options.base_uri {
            run["originalUriBaseIds"] = json!({"SRCROOT": {"uri": base}});
        }
        // Files that could not be read make the run unsuccessful, each one a notification.
        if !self.notifications.is_empty() {
            run["invocations"] = json!([{
                "executionSuccessful": false,
                "toolExecutionNotifications": std::mem::take(&mut self.notifications),
            }]);
        }
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [run],
        });
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}
