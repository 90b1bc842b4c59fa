//! Typed values extracted from documents: text, dates (possibly month- or year-precise),
//! years and URLs, and how each is parsed from the text it was written as.

use std::cmp::Ordering;
use std::fmt;

use jiff::civil::Date;
use url::Url;

/// The type a field part is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// Text, compared after normalisation.
    Text,
    /// A calendar date, possibly only to the month or year.
    Date,
    /// A four-digit year.
    Year,
    /// An absolute URL.
    Url,
}

impl ValueType {
    /// Parses a type name as written in rule files.
    pub fn from_name(name: &str) -> Option<ValueType> {
        Some(match name {
            "text" => ValueType::Text,
            "date" => ValueType::Date,
            "year" => ValueType::Year,
            "url" => ValueType::Url,
            _ => return None,
        })
    }

    /// All type names, for error messages.
    pub const NAMES: &'static [&'static str] = &["text", "date", "year", "url"];

    /// The type's name.
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Text => "text",
            ValueType::Date => "date",
            ValueType::Year => "year",
            ValueType::Url => "url",
        }
    }
}

/// How a part is parsed: its type, and for dates the `strftime` formats it may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeSpec {
    /// The value type.
    pub ty: ValueType,
    /// For dates: accepted formats (`%Y, %B %-d`, `%-d %B %Y`, `%Y-%m`, …).
    pub formats: Vec<String>,
}

impl TypeSpec {
    /// Plain text.
    pub fn text() -> TypeSpec {
        TypeSpec {
            ty: ValueType::Text,
            formats: Vec::new(),
        }
    }

    /// Parses `text` as this type; the error says what is wrong in words a writer follows.
    pub fn parse<'t>(&self, text: &'t str) -> Result<Value<'t>, String> {
        let text = crate::normalize::trim(text);
        match self.ty {
            ValueType::Text => Ok(Value::Text(text)),
            ValueType::Year => parse_year(text).map(Value::Year),
            ValueType::Url => Url::parse(text)
                .map(|url| Value::Url(Box::new(url)))
                .map_err(|e| format!("`{text}` is not a valid URL ({e})")),
            ValueType::Date => parse_date(text, &self.formats)
                .map(Value::Date)
                .map_err(|e| e.message),
        }
    }
}

/// A parsed value, borrowing its text from the document `'t`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'t> {
    /// Text as written (markup removed), trimmed.
    Text(&'t str),
    /// A date.
    Date(PartialDate),
    /// A year.
    Year(i16),
    /// A URL.
    Url(Box<Url>),
}

/// A date known to the day, the month or only the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    /// The year.
    pub year: i16,
    /// The month (1–12), when known.
    pub month: Option<i8>,
    /// The day of the month, when known (only with a month).
    pub day: Option<i8>,
}

impl PartialDate {
    /// A date known to the day.
    pub fn from_date(date: Date) -> PartialDate {
        PartialDate {
            year: date.year(),
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }

    /// Compares two dates at the precision both know (2014-12 equals 2014-12-22).
    pub fn cmp_common(&self, other: &PartialDate) -> Ordering {
        self.year
            .cmp(&other.year)
            .then_with(|| match (self.month, other.month) {
                (Some(a), Some(b)) => a.cmp(&b).then_with(|| match (self.day, other.day) {
                    (Some(a), Some(b)) => a.cmp(&b),
                    _ => Ordering::Equal,
                }),
                _ => Ordering::Equal,
            })
    }

    /// The first day this date may stand for.
    pub fn earliest(&self) -> Option<Date> {
        Date::new(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1)).ok()
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
            if let Some(day) = self.day {
                write!(f, "-{day:02}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(text) => f.write_str(text),
            Value::Date(date) => date.fmt(f),
            Value::Year(year) => write!(f, "{year}"),
            Value::Url(url) => f.write_str(url.as_str()),
        }
    }
}

fn parse_year(text: &str) -> Result<i16, String> {
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().map_err(|_| format!("`{text}` is not a year"))
    } else {
        Err(format!("`{text}` is not a four-digit year"))
    }
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// A message a writer can act on.
    pub message: String,
    /// Whether the text has the shape of a format but names no real day (February 30).
    pub fits_format: bool,
}

/// Parses `text` with the first matching format. A text that fits a format but names no
/// real day (February 30) gets its own message.
pub fn parse_date(text: &str, formats: &[String]) -> Result<PartialDate, DateError> {
    parse_fitting_date(text, formats).unwrap_or_else(|| {
        let shown: Vec<String> = formats.iter().map(|f| describe_format(f)).collect();
        Err(DateError {
            message: format!(
                "`{text}` is not a date in the expected format ({})",
                shown.join(" or ")
            ),
            fits_format: false,
        })
    })
}

/// [`parse_date`] of a `text` that has the shape of one of `formats`, real day or not;
/// `None`, without building a message, for one that has not.
pub fn parse_fitting_date(
    text: &str,
    formats: &[String],
) -> Option<Result<PartialDate, DateError>> {
    match read_date(text, formats) {
        DateReading::Date(date) => Some(Ok(date)),
        DateReading::NotARealDay { year, month, day } => Some(Err(DateError {
            message: not_a_real_day(text, year, month, day),
            fits_format: true,
        })),
        DateReading::NoFormat => None,
    }
}

/// What reading a text as a date found.
enum DateReading {
    Date(PartialDate),
    NotARealDay { year: i16, month: i8, day: i8 },
    NoFormat,
}

fn read_date(text: &str, formats: &[String]) -> DateReading {
    // MLA abbreviates September as `Sept.`; the parser knows `Sep`.
    static SEPT: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("Sept."));
    let owned;
    // Most dates hold no full stop: then the search is not made.
    let text = if text.as_bytes().contains(&b'.') && SEPT.find(text.as_bytes()).is_some() {
        owned = text.replace("Sept.", "Sep.");
        owned.as_str()
    } else {
        text
    };
    for format in formats {
        let Ok(parts) = jiff::fmt::strtime::parse(format, text) else {
            continue;
        };
        let (Some(year), month, day) = (parts.year(), parts.month(), parts.day()) else {
            continue;
        };
        if let (Some(month), Some(day)) = (month, day) {
            return match Date::new(year, month, day) {
                Ok(date) => DateReading::Date(PartialDate::from_date(date)),
                Err(_) => DateReading::NotARealDay { year, month, day },
            };
        }
        if day.is_none() {
            return DateReading::Date(PartialDate {
                year,
                month,
                day: None,
            });
        }
    }
    DateReading::NoFormat
}

/// A component of a URL as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlComponent {
    /// `https`
    Scheme,
    /// `phys.org`
    Host,
    /// `/news/2014-12-slug.html`
    Path,
    /// `a=1&b=2` (without the `?`)
    Query,
}

impl UrlComponent {
    /// Parses a component name as written in rule files.
    pub fn from_name(name: &str) -> Option<UrlComponent> {
        Some(match name {
            "scheme" => UrlComponent::Scheme,
            "host" => UrlComponent::Host,
            "path" => UrlComponent::Path,
            "query" => UrlComponent::Query,
            _ => return None,
        })
    }

    /// The names accepted in rule files.
    pub const NAMES: &'static [&'static str] = &["scheme", "host", "path", "query"];
}

/// Where `component` is written inside the URL text `url` (byte range into `url`).
/// Reads the text as written, so positions point at what the writer typed, not at the
/// `url` crate's normalised form.
pub fn url_component_span(url: &str, component: UrlComponent) -> Option<std::ops::Range<usize>> {
    let scheme_end = url.find(':')?;
    if component == UrlComponent::Scheme {
        return Some(0..scheme_end);
    }
    let after_scheme = scheme_end + 1;
    let authority_start = if url[after_scheme..].starts_with("//") {
        after_scheme + 2
    } else {
        after_scheme
    };
    // The delimiters are ASCII, so a byte search finds them at character boundaries
    // (and far faster than a search for one of several `char`s).
    let authority_end = memchr::memchr3(b'/', b'?', b'#', &url.as_bytes()[authority_start..])
        .map_or(url.len(), |i| authority_start + i);
    let path_end = memchr::memchr2(b'?', b'#', &url.as_bytes()[authority_end..])
        .map_or(url.len(), |i| authority_end + i);
    match component {
        UrlComponent::Scheme => unreachable!("handled above"),
        UrlComponent::Host => {
            let authority = &url[authority_start..authority_end];
            let host_start = authority
                .rfind('@')
                .map_or(authority_start, |i| authority_start + i + 1);
            let host = &url[host_start..authority_end];
            let host_end = if host.starts_with('[') {
                host.find(']').map_or(authority_end, |i| host_start + i + 1)
            } else {
                host.find(':').map_or(authority_end, |i| host_start + i)
            };
            Some(host_start..host_end)
        }
        UrlComponent::Path => Some(authority_end..path_end),
        UrlComponent::Query => {
            if !url[path_end..].starts_with('?') {
                return None;
            }
            let end = url[path_end..]
                .find('#')
                .map_or(url.len(), |i| path_end + i);
            Some(path_end + 1..end)
        }
    }
}

fn not_a_real_day(text: &str, year: i16, month: i8, day: i8) -> String {
    match Date::new(year, month, 1) {
        Ok(first) => format!(
            "`{text}` is not a real date: {} {year} has {} days, not {day}",
            first.strftime("%B"),
            first.days_in_month()
        ),
        Err(_) => format!("`{text}` is not a real date"),
    }
}

/// Renders a `strftime` format the way a writer reads it: `%Y, %B %-d` → `YYYY, Month D`.
pub fn describe_format(format: &str) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = chars.next().unwrap_or('%');
        let unpadded = matches!(spec, '-' | '_');
        if unpadded {
            spec = chars.next().unwrap_or('%');
        }
        out.push_str(match spec {
            'Y' => "YYYY",
            'y' => "YY",
            'B' => "Month",
            'b' | 'h' => "Mon",
            'm' if unpadded => "M",
            'm' => "MM",
            'd' if unpadded => "D",
            'd' => "DD",
            'e' => "D",
            'A' => "Weekday",
            'a' => "Wkd",
            '%' => "%",
            _ => "?",
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str, formats: &[&str]) -> Result<PartialDate, DateError> {
        let formats: Vec<String> = formats.iter().map(|s| s.to_string()).collect();
        parse_date(text, &formats)
    }

    #[test]
    fn fitting_a_format_agrees_with_parsing() {
        let formats: Vec<String> = vec!["%B %-d %Y".into(), "%Y-%m".into()];
        for text in [
            "March 3 2021",
            "February 30 2021",
            "2021-03",
            "Marsh soils",
            "2021",
        ] {
            let parsed = parse_date(text, &formats);
            let fits = parsed.as_ref().map_or_else(|e| e.fits_format, |_| true);
            let fitting = parse_fitting_date(text, &formats);
            assert_eq!(fitting.is_some(), fits, "{text}");
            if let Some(fitting) = fitting {
                assert_eq!(fitting, parsed, "{text}");
            }
        }
        assert!(parse_fitting_date("February 30 2021", &formats).is_some_and(|p| p.is_err()));
        assert!(parse_fitting_date("Marsh soils", &formats).is_none());
    }

    #[test]
    fn dates_in_their_formats() {
        let d = date("2014, December 22", &["%Y, %B %-d"]).unwrap();
        assert_eq!(d.to_string(), "2014-12-22");
        let m = date("2014-12", &["%Y-%m"]).unwrap();
        assert_eq!(m.to_string(), "2014-12");
        assert_eq!(d.cmp_common(&m), Ordering::Equal);
    }

    #[test]
    fn impossible_dates_say_why() {
        let error = date("2014, February 30", &["%Y, %B %-d"]).unwrap_err();
        assert!(error.fits_format);
        assert!(
            error.message.contains("February 2014 has 28 days"),
            "{error:?}"
        );
        let error = date("22/12/2014", &["%Y, %B %-d"]).unwrap_err();
        assert!(!error.fits_format);
        assert!(error.message.contains("YYYY, Month D"), "{error:?}");
    }

    #[test]
    fn years_and_urls() {
        let year = TypeSpec {
            ty: ValueType::Year,
            formats: vec![],
        };
        assert_eq!(year.parse("2014"), Ok(Value::Year(2014)));
        assert!(year.parse("14").is_err());
        let url = TypeSpec {
            ty: ValueType::Url,
            formats: vec![],
        };
        assert!(url.parse("https://phys.org/x").is_ok());
        assert!(url.parse("phys.org/x").is_err());
    }

    #[test]
    fn url_components_as_written() {
        let url = "HTTPS://user@Phys.org:443/news/x.html?utm_source=a&b=1#top";
        let part = |c| &url[url_component_span(url, c).unwrap()];
        assert_eq!(part(UrlComponent::Scheme), "HTTPS");
        assert_eq!(part(UrlComponent::Host), "Phys.org");
        assert_eq!(part(UrlComponent::Path), "/news/x.html");
        assert_eq!(part(UrlComponent::Query), "utm_source=a&b=1");
        assert_eq!(
            url_component_span("https://a.org", UrlComponent::Query),
            None
        );
    }

    #[test]
    fn formats_read_like_placeholders() {
        assert_eq!(describe_format("%-d %B %Y"), "D Month YYYY");
        assert_eq!(describe_format("%Y-%m-%d"), "YYYY-MM-DD");
    }
}
