//! Text normalisation for comparing values written in different places: a citation's
//! title against the headline, a holder against the agency's own spelling.

use std::ops::Range;

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

/// The lower-case alphanumeric words of a text, apostrophes dropped (`China's` →
/// `chinas`), each with the byte range it came from. The words share one buffer.
#[derive(Debug, Clone, Default)]
pub struct Words {
    folded: String,
    /// `(range in folded, range in the text)` of each word.
    spans: Vec<(Range<usize>, Range<usize>)>,
}

impl Words {
    /// Splits `text` into words.
    pub fn new(text: &str) -> Words {
        if text.is_ascii() {
            // Most slugs and headlines: read a byte at a time, without decoding UTF-8.
            Self::from_chars(text.len(), text.bytes().map(char::from).enumerate())
        } else {
            Self::from_chars(text.len(), text.char_indices())
        }
    }

    /// Splits the characters of a text of `len` bytes, each with its byte offset, into words.
    fn from_chars(len: usize, chars: impl Iterator<Item = (usize, char)>) -> Words {
        let mut words = Words {
            folded: String::with_capacity(len),
            spans: Vec::new(),
        };
        // (start in folded, start in text, end in text) of the word being read.
        let mut current: Option<(usize, usize, usize)> = None;
        for (at, c) in chars {
            if c.is_alphanumeric() {
                let entry = current.get_or_insert((words.folded.len(), at, at));
                if c.is_ascii() {
                    words.folded.push(c.to_ascii_lowercase());
                } else {
                    words.folded.extend(c.to_lowercase());
                }
                entry.2 = at + c.len_utf8();
            } else if matches!(c, '\'' | '\u{2019}') && current.is_some() {
                continue;
            } else if let Some((folded, start, end)) = current.take() {
                words.spans.push((folded..words.folded.len(), start..end));
            }
        }
        if let Some((folded, start, end)) = current {
            words.spans.push((folded..words.folded.len(), start..end));
        }
        words
    }

    /// How many words there are.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Each word, lower-cased, with the byte range of the text it came from.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Range<usize>)> {
        self.spans
            .iter()
            .map(|(folded, source)| (&self.folded[folded.clone()], source.clone()))
    }
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
    fn words_drop_apostrophes() {
        let words = Words::new("China's 'cyber' WAR é");
        let w: Vec<&str> = words.iter().map(|(w, _)| w).collect();
        assert_eq!(w, ["chinas", "cyber", "war", "é"]);
        let ranges: Vec<_> = words.iter().map(|(_, r)| r).collect();
        assert_eq!(ranges, [0..7, 9..14, 16..19, 20..22]);
    }

    proptest::proptest! {
        /// An ASCII text read a byte at a time splits as it does a character at a time.
        #[test]
        fn ascii_texts_split_as_characters_do(text in "[a-zA-Z0-9 '.,-]{0,40}") {
            let bytes = Words::new(&text);
            let chars = Words::from_chars(text.len(), text.char_indices());
            proptest::prop_assert_eq!(bytes.folded, chars.folded);
            proptest::prop_assert_eq!(bytes.spans, chars.spans);
        }
    }
}
