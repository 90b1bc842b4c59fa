//! JUnit XML for Jenkins and other dashboards: one test suite per file, one test case per
//! rule checked on it; a failing case carries each violation's line, column and message.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{FileReport, READ_ERROR_RULE, Reporter, Summary, clean_path};

/// Collects a suite per file; writes the report at the end.
#[derive(Default)]
pub struct Junit {
    suites: Vec<TestSuite>,
}

impl Reporter for Junit {
    fn file(&mut self, _: &mut dyn Write, file: &FileReport, _: Option<String>) -> io::Result<()> {
        let path = clean_path(&file.path);
        let mut suite = TestSuite::new(path.as_str());
        if let Some(error) = &file.error {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(error.to_string()).set_type("read-error");
            let mut case = TestCase::new(READ_ERROR_RULE, status);
            case.set_classname(path.as_str());
            suite.add_test_case(case);
        }
        let mut rules: Vec<&str> = file.checked_rules.iter().map(String::as_str).collect();
        // Diagnostics of citelint's own rules appear as cases too.
        for d in &file.diagnostics {
            if !rules.contains(&d.rule.as_str()) {
                rules.push(&d.rule);
            }
        }
        for rule in rules {
            let failures: Vec<_> = file.diagnostics.iter().filter(|d| d.rule == rule).collect();
            let status = match failures.first() {
                None => TestCaseStatus::success(),
                Some(first) => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status
                        .set_message(format!(
                            "{}:{}:{}: {}",
                            path, first.start.line, first.start.column, first.message
                        ))
                        .set_type(first.severity.name())
                        .set_description(
                            failures
                                .iter()
                                .map(|d| {
                                    format!(
                                        "{}:{}:{}: {}: {}",
                                        path, d.start.line, d.start.column, d.severity, d.message
                                    )
                                })
                                .collect::<Vec<_>>()
                                .join("\n"),
                        );
                    status
                }
            };
            let mut case = TestCase::new(rule, status);
            case.set_classname(path.as_str());
            suite.add_test_case(case);
        }
        self.suites.push(suite);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        let mut report = Report::new("citelint");
        report.add_test_suites(std::mem::take(&mut self.suites));
        report.serialize(&mut *out).map_err(io::Error::other)
    }

    fn wants_checked_rules(&self) -> bool {
        true
    }
}
