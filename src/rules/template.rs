//! Message templates: `"citation title {citation.title} differs from the headline"`.
//!
//! A placeholder names a field (`{headline}`, `{citation.url}`) or a value the rule kind
//! provides (`{expected}`, `{host}`); both are checked when the rules load. `{{` and `}}`
//! stand for literal braces.

use super::error::{RuleError, suggestion};
use super::field::{Binding, FieldRef, Fields, Schema};
use super::table::Located;

#[derive(Debug, Clone)]
enum Piece {
    Literal(String),
    Field(FieldRef),
    Var(&'static str),
}

/// A compiled message template.
#[derive(Debug, Clone)]
pub struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Compiles `text`; placeholders must name a field of `schema` or one of `vars`.
    pub fn compile(
        text: &Located<String>,
        schema: &Schema,
        vars: &[&'static str],
    ) -> Result<Template, RuleError> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = text.value.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|(_, c)| *c) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().map(|(_, c)| *c) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let rest = &text.value[at + 1..];
                    let Some(close) = rest.find('}') else {
                        return Err(RuleError::at(
                            text.loc,
                            "unclosed `{` in message (write `{{` for a brace)",
                        ));
                    };
                    let name = rest[..close].trim();
                    for _ in 0..rest[..=close].chars().count() {
                        chars.next();
                    }
                    if !literal.is_empty() {
                        pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                    }
                    if let Some(var) = vars.iter().find(|v| **v == name) {
                        pieces.push(Piece::Var(var));
                    } else {
                        let located = Located {
                            value: name.to_string(),
                            loc: text.loc,
                        };
                        let field = schema.resolve(&located).map_err(|e| {
                            let mut names: Vec<&str> = vars.to_vec();
                            names.extend(schema.fields.iter().map(|f| f.name.as_str()));
                            RuleError::at(
                                text.loc,
                                format!("unknown placeholder `{{{name}}}` in message"),
                            )
                            .with_help(if name.contains('.') {
                                e.help.unwrap_or_default()
                            } else {
                                suggestion(name, &names)
                            })
                        })?;
                        pieces.push(Piece::Field(field));
                    }
                }
                '}' => {
                    return Err(RuleError::at(
                        text.loc,
                        "unmatched `}` in message (write `}}` for a brace)",
                    ));
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal));
        }
        Ok(Template { pieces })
    }

    /// Renders the template with the document's field values and the kind's `vars`.
    pub fn render(&self, fields: &Fields, binding: Binding, vars: &[(&str, String)]) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Field(field) => match fields.part(*field, binding) {
                    Some(part) => out.push_str(part.text),
                    None => out.push_str("(missing)"),
                },
                Piece::Var(name) => {
                    if let Some((_, value)) = vars.iter().find(|(n, _)| n == name) {
                        out.push_str(value);
                    }
                }
            }
        }
        out
    }
}
