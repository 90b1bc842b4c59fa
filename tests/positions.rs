//! Property tests: positions round-trip on random text with CRLF, lone CR, a BOM and
//! multi-byte characters, and the text view always maps back onto the source.

use citelint::document::{Document, Format};
use citelint::position::{LineIndex, Position};
use proptest::prelude::*;

fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        "Z",
        " ",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "é",
        "中",
        "😀",
        "©",
        "\u{2019}",
        "<u>",
        "</u>",
        "<!-- a\nb -->",
        "<a\nhref=\"https://b.org\">link</a>",
        "&amp;",
        "**",
        "_",
        "[t](https://a.org/x)",
        "https://phys.org/n",
        "Citation: ",
    ])
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn offsets_and_positions_round_trip(body in text(), bom in any::<bool>()) {
        let source = if bom { format!("\u{feff}{body}") } else { body.clone() };
        let doc = Document::new("p.txt", source, Format::Text);
        prop_assert_eq!(doc.text(), body.as_str());
        let index = LineIndex::new(doc.text());
        let mut previous = Position { line: 1, column: 1 };
        for (offset, _) in doc.text().char_indices().chain(std::iter::once((doc.text().len(), ' '))) {
            let position = doc.position(offset);
            prop_assert!(position >= previous, "positions go forward");
            previous = position;
            let line_start = index.line_start(position.line).unwrap();
            prop_assert_eq!(position.column, doc.text()[line_start..offset].chars().count() + 1);
            if index.line_span(doc.text(), position.line).unwrap().end >= offset {
                prop_assert_eq!(index.offset(doc.text(), position), Some(offset));
            }
        }
    }

    #[test]
    fn line_count_matches_line_breaks(body in text()) {
        let index = LineIndex::new(&body);
        let breaks = body.matches('\n').count() + body.matches('\r').count() - body.matches("\r\n").count();
        prop_assert_eq!(index.line_count(), breaks + 1);
    }

    #[test]
    fn the_view_maps_back_onto_the_source(body in text(), markdown in any::<bool>()) {
        let format = if markdown { Format::Markdown } else { Format::Text };
        let doc = Document::new("p", body, format);
        let view = doc.view();
        let view_text = view.text();
        let breaks = |t: &str| t.matches(['\n', '\r']).count();
        prop_assert_eq!(breaks(view_text), breaks(doc.text()), "the view keeps every line break");
        for (at, c) in view_text.char_indices() {
            let span = view.to_source(at..at + c.len_utf8());
            prop_assert!(span.start <= span.end && span.end <= doc.text().len());
            prop_assert!(doc.text().is_char_boundary(span.start) && doc.text().is_char_boundary(span.end));
            // A character copied verbatim maps onto itself.
            if doc.text()[span.clone()] == c.to_string() {
                continue;
            }
            // Anything else stands for markup that was replaced (an entity, a link).
            prop_assert!(span.end > span.start || c == ' ' || c == '(' || c == ')');
        }
    }
}
