//! `words-in-order`: the words of one field must appear, in order, in another.

use super::{Check, Cx, Finding, Kind, here};
use crate::normalize::{
    plain, plain_word_starts_with, same_plain_word, same_word, word_starts_with, words,
};
use crate::rules::error::RuleError;
use crate::rules::field::{FieldRef, Schema, sub_span};
use crate::rules::table::Table;
use crate::value::ValueType;

/// The `words-in-order` kind.
pub const KIND: Kind = Kind {
    name: "words-in-order",
    summary: "the words of a field (a URL slug) must appear in order in another (the headline)",
    doc: r#"## What it checks
That every word of `field` (split on anything not a letter or digit, lower-cased,
apostrophes dropped) appears in field `in`, in the same order; other words may come
between them. With `truncated: true` (the default) the last word may be cut short, as
publishers truncate long slugs. The finding points at the first word that does not fit;
`{word}` is that word.

## Why
A URL slug is made from the headline. A slug that does not follow the headline means
the citation points at a different article.

## Example
```yaml
- id: url-slug-mismatch
  kind: words-in-order
  field: url_path.slug
  in: headline
  message: "the URL slug word `{word}` is not in the headline"
```
"#,
    vars: &["word"],
    compile,
};

/// A comparison of two words (the same, or the first starting with the second).
type WordTest = fn(&str, &str) -> bool;

#[derive(Debug)]
struct WordsInOrder {
    field: FieldRef,
    within: FieldRef,
    label: String,
    truncated: bool,
}

fn compile(table: &mut Table, schema: &Schema) -> Result<Box<dyn Check>, RuleError> {
    let field = schema.resolve_typed(
        &table.require_string("field")?,
        &[ValueType::Text, ValueType::Url],
    )?;
    let within = schema.resolve_typed(&table.require_string("in")?, &[ValueType::Text])?;
    let truncated = table.boolean("truncated")?.unwrap_or(true);
    Ok(Box::new(WordsInOrder {
        field,
        within,
        label: here(schema, within),
        truncated,
    }))
}

impl Check for WordsInOrder {
    fn run(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let (Some(part), Some(within)) = (cx.part(self.field), cx.part(self.within)) else {
            return;
        };
        // Each wanted word is looked for after the one the previous word matched. Words of
        // two plain texts (the commonest case) compare by their bytes.
        let plain = plain(part.text) && plain(within.text);
        let (same, starts_with): (WordTest, WordTest) = if plain {
            (same_plain_word, plain_word_starts_with)
        } else {
            (same_word, word_starts_with)
        };
        let mut wanted = words(part.text).peekable();
        let mut available = words(within.text).map(|r| &within.text[r]);
        while let Some(range) = wanted.next() {
            let word = &part.text[range.clone()];
            let last = wanted.peek().is_none();
            let found = available.by_ref().any(|candidate| {
                same(candidate, word) || (last && self.truncated && starts_with(candidate, word))
            });
            if !found {
                let (span, _) = sub_span(cx.doc, part, range.clone());
                out.push(
                    Finding::at(span)
                        .var("word", part.text[range].to_string())
                        .label(within.span.clone(), self.label.clone()),
                );
                return;
            }
        }
    }

    fn subject(&self) -> Option<usize> {
        Some(self.field.field)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    const PACK: &str = r#"
pack: t
fields:
  headline: {kind: headline}
  slug: {kind: pattern, regex: '^slug: (?P<words>\S+)$'}
rules:
  - {id: slug, kind: words-in-order, field: slug.words, in: headline, message: "{word}"}
  - {id: strict, kind: words-in-order, field: slug.words, in: headline, truncated: false, message: "strict {word}"}
"#;

    #[test]
    fn words_in_order_with_gaps_pass() {
        assert!(
            run(
                PACK,
                "China's 'cyber' attack on Sony\nslug: chinas-cyber-sony\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn a_truncated_last_word_passes_unless_strict() {
        let found = run(PACK, "Marshes store carbon\nslug: marshes-store-carb\n");
        assert_eq!(
            found,
            vec![("t/strict".into(), "carb".into(), "strict carb".into())]
        );
    }

    #[test]
    fn the_first_word_out_of_place_is_reported() {
        let found = run(PACK, "Marshes store carbon\nslug: carbon-marshes\n");
        assert_eq!(
            found[0],
            ("t/slug".into(), "marshes".into(), "marshes".into())
        );
    }
}
