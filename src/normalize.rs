//! Text normalisation for comparing values written in different places: a citation's
//! title against the headline, a holder against the agency's own spelling.

use std::ops::Range;

/// `text` without white space at either end, as [`str::trim`] leaves it. A text that
/// begins and ends with a visible ASCII character (most values read from an article) is
/// returned as it is, without decoding its ends.
pub fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// What to ignore when comparing two texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Normalize {
    /// Collapse runs of white space and trim the ends.
    pub whitespace: bool,
    /// Treat curly quotes, primes and backticks as straight quotes, and dashes as `-`.
    pub quotes: bool,
    /// Ignore letter case.
    pub case: bool,
    /// Ignore punctuation altogether.
    pub punctuation: bool,
}

impl Default for Normalize {
    fn default() -> Self {
        Normalize {
            whitespace: true,
            quotes: true,
            case: true,
            punctuation: false,
        }
    }
}

impl Normalize {
    /// The option names accepted in rule files.
    pub const NAMES: &'static [&'static str] = &["whitespace", "quotes", "case", "punctuation"];

    /// Nothing normalised.
    pub fn none() -> Normalize {
        Normalize {
            whitespace: false,
            quotes: false,
            case: false,
            punctuation: false,
        }
    }

    /// Normalises `text`. (Entities and markup are already gone from field values.)
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut pending_space = false;
        for c in text.chars() {
            let c = if self.quotes { fold_quote(c) } else { c };
            if self.punctuation && (c.is_ascii_punctuation() || is_unicode_punctuation(c)) {
                pending_space = self.whitespace;
                continue;
            }
            if self.whitespace && c.is_whitespace() {
                pending_space = true;
                continue;
            }
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            if self.case && c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else if self.case {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }
}

fn fold_quote(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        '\u{00A0}' | '\u{202F}' => ' ',
        c => c,
    }
}

fn is_unicode_punctuation(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{00AB}' | '\u{00BB}' | '\u{00BF}' | '\u{00A1}')
}

/// The words of a text, as the byte ranges they span: runs of letters and digits, an
/// apostrophe inside a word belonging to it (`China's`), from its first letter or digit
/// to its last. Words compare folded ([`same_word`]): lower case, apostrophes dropped
/// (`China's` is `chinas`). Nothing is allocated.
pub fn words(text: &str) -> Words<'_> {
    Words { text, at: 0 }
}

/// The iterator of [`words`].
#[derive(Debug, Clone)]
pub struct Words<'t> {
    text: &'t str,
    /// Where the next word is looked for.
    at: usize,
}

impl Iterator for Words<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.text.as_bytes();
        let mut current: Option<Range<usize>> = None;
        while let Some(&byte) = bytes.get(self.at) {
            let at = self.at;
            // A run of ASCII letters and digits is taken whole.
            if byte.is_ascii_alphanumeric() {
                let run = bytes[at..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .map_or(bytes.len(), |n| at + n);
                current.get_or_insert(at..at).end = run;
                self.at = run;
                continue;
            }
            // Other ASCII but an apostrophe ends a word.
            if byte.is_ascii() && byte != b'\'' {
                self.at += 1;
                if current.is_some() {
                    return current;
                }
                continue;
            }
            // An apostrophe and other characters are decoded.
            let (c, len) = if byte.is_ascii() {
                (char::from(byte), 1)
            } else {
                let c = self.text[at..].chars().next()?;
                (c, c.len_utf8())
            };
            self.at += len;
            if c.is_alphanumeric() {
                current.get_or_insert(at..at).end = at + len;
            } else if matches!(c, '\'' | '\u{2019}') && current.is_some() {
                continue;
            } else if current.is_some() {
                return current;
            }
        }
        current
    }
}

/// A word's characters as words compare: lower case, apostrophes dropped.
fn folded(word: &str) -> impl Iterator<Item = char> + '_ {
    word.chars()
        .filter(|c| !matches!(c, '\'' | '\u{2019}'))
        .flat_map(char::to_lowercase)
}

/// Whether a text is ASCII without an apostrophe: folding its words is lower-casing their
/// bytes, so two such words are the same if [`same_plain_word`] says so (a check that
/// compares many words of two texts tests each text once).
pub fn plain(text: &str) -> bool {
    text.is_ascii() && memchr::memchr(b'\'', text.as_bytes()).is_none()
}

/// [`same_word`] for two [`plain`] words.
pub fn same_plain_word(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// [`word_starts_with`] for two [`plain`] words.
pub fn plain_word_starts_with(word: &str, prefix: &str) -> bool {
    word.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Whether two words (of [`words`]) are the same, folded.
pub fn same_word(a: &str, b: &str) -> bool {
    if plain(a) && plain(b) {
        return same_plain_word(a, b);
    }
    folded(a).eq(folded(b))
}

/// Whether word `word` begins with word `prefix`, both folded.
pub fn word_starts_with(word: &str, prefix: &str) -> bool {
    if plain(word) && plain(prefix) {
        return plain_word_starts_with(word, prefix);
    }
    let mut word = folded(word);
    folded(prefix).all(|c| word.next() == Some(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curly_and_straight_quotes_compare_equal() {
        let n = Normalize::default();
        assert_eq!(
            n.apply("China condemns \u{2018}cyber terrorism\u{2019}"),
            n.apply("china  condemns 'cyber terrorism'")
        );
    }

    #[test]
    fn punctuation_can_be_ignored() {
        let n = Normalize {
            punctuation: true,
            ..Normalize::default()
        };
        assert_eq!(n.apply("Hello, world!"), "hello world");
    }

    #[test]
    fn normalised_texts_in_each_mode() {
        let punctuation = Normalize {
            punctuation: true,
            ..Normalize::default()
        };
        let glued = Normalize {
            whitespace: false,
            ..punctuation
        };
        let cases = [
            (Normalize::default(), "", ""),
            (Normalize::default(), "  \t ", ""),
            (
                Normalize::default(),
                "  China  condemns\t\u{2018}Cyber\u{00A0}terrorism\u{2019}  ",
                "china condemns 'cyber terrorism'",
            ),
            // Lower case that is two characters, then a space after it.
            (Normalize::default(), " İ  x ", "i\u{307} x"),
            (Normalize::default(), "ΣΟΦΙΑ \u{2014} Ltd", "σοφια - ltd"),
            (Normalize::none(), " A  \u{2019}b ", " A  \u{2019}b "),
            (punctuation, "Hello,world! (again)", "hello world again"),
            (glued, "Hello, world!", "hello world"),
            (glued, "Hello,world!", "helloworld"),
        ];
        for (n, text, expected) in cases {
            assert_eq!(n.apply(text), expected, "{n:?} {text:?}");
            // Normalising twice changes nothing more.
            assert_eq!(n.apply(expected), expected, "{n:?} {expected:?}");
        }
    }

    #[test]
    fn words_keep_inner_apostrophes_and_compare_without_them() {
        let text = "China's 'cyber' WAR é chinas'";
        let found: Vec<&str> = words(text).map(|r| &text[r]).collect();
        assert_eq!(found, ["China's", "cyber", "WAR", "é", "chinas"]);
        let ranges: Vec<_> = words(text).collect();
        assert_eq!(ranges, [0..7, 9..14, 16..19, 20..22, 23..29]);
        assert!(same_word("China's", "chinas"));
        assert!(same_word("WAR", "war") && !same_word("war", "wars"));
        assert!(word_starts_with("Carbon", "carb") && !word_starts_with("carb", "carbon"));
    }

    /// Words as they were split before: folded into one buffer, each with its range.
    fn reference(text: &str) -> Vec<(String, Range<usize>)> {
        let mut out = Vec::new();
        let mut current: Option<(String, usize, usize)> = None;
        for (at, c) in text.char_indices() {
            if c.is_alphanumeric() {
                let entry = current.get_or_insert((String::new(), at, at));
                entry.0.extend(c.to_lowercase());
                entry.2 = at + c.len_utf8();
            } else if matches!(c, '\'' | '\u{2019}') && current.is_some() {
                continue;
            } else if let Some((folded, start, end)) = current.take() {
                out.push((folded, start..end));
            }
        }
        if let Some((folded, start, end)) = current {
            out.push((folded, start..end));
        }
        out
    }

    proptest::proptest! {
        /// The shortcut trims as `str::trim` does.
        #[test]
        fn trim_is_str_trim(text in "[ a.\t\r\n\u{a0}\u{2003}\u{85}é~\x1f\x7f]{0,6}") {
            proptest::prop_assert_eq!(trim(&text), text.trim());
        }

        /// The plain-ASCII shortcuts answer as the folded comparison does.
        #[test]
        fn plain_words_compare_as_folded_ones(a in "[a-zA-Z0-9']{0,6}", b in "[a-zA-Z0-9']{0,6}") {
            proptest::prop_assert_eq!(same_word(&a, &b), folded(&a).eq(folded(&b)));
            let mut word = folded(&a);
            let starts = folded(&b).all(|c| word.next() == Some(c));
            proptest::prop_assert_eq!(word_starts_with(&a, &b), starts);
        }

        /// Words, folded, are those of the splitting they replaced.
        #[test]
        fn words_split_and_fold_as_before(text in "[a-zA-Z0-9 '’.,-éÉİΣß]{0,40}") {
            let found: Vec<(String, Range<usize>)> = words(&text)
                .map(|r| (folded(&text[r.clone()]).collect(), r))
                .collect();
            proptest::prop_assert_eq!(found, reference(&text));
        }
    }
}
