//! Small value types parsed from form text: calendar dates and sums of money.

use super::input::InputError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Trims `text` and checks it holds between 1 and `max` characters, none of them control
/// characters.
pub(crate) fn plain_text(field: &str, what: &str, text: &str, max: usize) -> Result<String, InputError> {
    let text = visible_text(field, what, text)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(InputError::new(field, format!("Enter {what}.")));
    }
    if text.chars().count() > max {
        return Err(InputError::new(field, format!("{} must be {max} characters or fewer.", capitalise(what))));
    }
    if text.chars().any(char::is_control) {
        return Err(InputError::new(field, format!("{} cannot contain line breaks or control characters.", capitalise(what))));
    }
    Ok(text.to_owned())
}

/// Characters that change how text around them is shown without being seen themselves:
/// direction overrides, embeddings, isolates and marks, and zero-width spaces and joiners.
/// With them two different names can look the same, or a name can seem to say something else.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// `text` in the one Unicode form caremap stores (NFC), refusing invisible formatting.
fn visible_text(field: &str, what: &str, text: &str) -> Result<String, InputError> {
    use unicode_normalization::UnicodeNormalization;
    if text.chars().any(is_invisible_format) {
        return Err(InputError::new(
            field,
            format!("{} cannot contain invisible formatting characters, such as direction overrides or zero-width spaces.", capitalise(what)),
        ));
    }
    Ok(text.nfc().collect())
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Like [`plain_text`], but blank is allowed and gives an empty string.
pub(crate) fn optional_text(field: &str, what: &str, text: &str, max: usize) -> Result<String, InputError> {
    if text.trim().is_empty() { Ok(String::new()) } else { plain_text(field, what, text, max) }
}

/// Free text that may run over several lines: trimmed, at most `max` characters, no control
/// characters but line breaks and tabs; blank is allowed.
pub(crate) fn long_text(field: &str, what: &str, text: &str, max: usize) -> Result<String, InputError> {
    let text = visible_text(field, what, text)?.trim().replace("\r\n", "\n");
    if text.chars().count() > max {
        return Err(InputError::new(field, format!("{} must be {max} characters or fewer.", capitalise(what))));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(InputError::new(field, format!("{} cannot contain control characters.", capitalise(what))));
    }
    Ok(text)
}

/// A calendar day, written `YYYY-MM-DD` as HTML date inputs send it. Ordering is by date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CalendarDate {
    year: u16,
    month: u8,
    day: u8,
}

impl CalendarDate {
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let valid = (1900..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in(year, month);
        valid.then_some(CalendarDate { year, month, day })
    }

    /// Parses `YYYY-MM-DD`; `field` names the form field for the message.
    pub fn parse(field: &str, text: &str) -> Result<Self, InputError> {
        let bad = || InputError::new(field, "Enter a real date as YYYY-MM-DD, for example 2026-04-01.");
        let text = text.trim();
        let mut parts = text.splitn(3, '-');
        let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return Err(bad());
        }
        let number = |part: &str| part.parse::<u16>().ok().filter(|_| part.bytes().all(|b| b.is_ascii_digit()));
        match (number(year), number(month), number(day)) {
            (Some(year), Some(month), Some(day)) => CalendarDate::new(year, month as u8, day as u8).ok_or_else(bad),
            _ => Err(bad()),
        }
    }

    pub fn year(self) -> u16 {
        self.year
    }

    /// The same day a number of years later (28 February for 29 February in a common year).
    pub fn years_later(self, years: u16) -> Self {
        let year = self.year.saturating_add(years).min(9999);
        let day = self.day.min(days_in(year, self.month));
        CalendarDate { year, month: self.month, day }
    }

    /// The same day a number of years earlier (28 February for 29 February in a common year).
    pub fn years_earlier(self, years: u16) -> Self {
        let year = self.year.saturating_sub(years).max(1900);
        let day = self.day.min(days_in(year, self.month));
        CalendarDate { year, month: self.month, day }
    }

    /// The date as people read it in England, e.g. "1 April 2026".
    pub fn long(self) -> String {
        const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        format!("{} {} {}", self.day, MONTHS[usize::from(self.month - 1)], self.year)
    }
}

fn days_in(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for CalendarDate {
    type Error = InputError;
    fn try_from(text: String) -> Result<Self, InputError> {
        CalendarDate::parse("date", &text)
    }
}

impl From<CalendarDate> for String {
    fn from(date: CalendarDate) -> String {
        date.to_string()
    }
}

/// A sum in pounds, held in whole pence so adding never rounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Pence(pub i64);

/// The largest sum accepted: £1,000,000,000.00, far above any one action.
const MAX_PENCE: i64 = 100_000_000_000;

impl Pence {
    /// Parses pounds as people write them: "1250", "£1,250.50", "12.5". Blank means nothing.
    pub fn parse(field: &str, text: &str) -> Result<Self, InputError> {
        let bad = || InputError::new(field, "Enter an amount in pounds, for example 1250 or 1,250.50.");
        let cleaned: String = text.trim().trim_start_matches('£').chars().filter(|c| *c != ',').collect();
        let cleaned = cleaned.trim();
        if cleaned.is_empty() {
            return Ok(Pence(0));
        }
        let (pounds, pence) = cleaned.split_once('.').unwrap_or((cleaned, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if pounds.is_empty() || !digits(pounds) || !digits(pence) || pence.len() > 2 || pounds.len() > 12 {
            return Err(bad());
        }
        let pounds: i64 = pounds.parse().map_err(|_| bad())?;
        let pence: i64 = format!("{pence:0<2}").parse().map_err(|_| bad())?;
        let total = pounds * 100 + pence;
        if total > MAX_PENCE {
            return Err(InputError::new(field, "That amount is too large: enter £1,000,000,000 or less."));
        }
        Ok(Pence(total))
    }

    pub fn sum<'a>(amounts: impl IntoIterator<Item = &'a Pence>) -> Pence {
        Pence(amounts.into_iter().map(|p| p.0).sum())
    }
}

/// "£1,250.50"; whole pounds lose the pence: "£1,250".
impl fmt::Display for Pence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (pounds, pence) = (self.0 / 100, self.0 % 100);
        let digits = pounds.to_string();
        let mut grouped = String::new();
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        if pence == 0 { write!(f, "£{grouped}") } else { write!(f, "£{grouped}.{pence:02}") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_stored_composed_and_invisible_formatting_is_refused() {
        // "é" as e and a combining accent is stored as the one character.
        assert_eq!(plain_text("name", "a name", "Ame\u{301}lie", 100).unwrap(), "Am\u{e9}lie");
        assert_eq!(long_text("notes", "notes", "cafe\u{301}\r\nnext", 100).unwrap(), "caf\u{e9}\nnext");
        for spoof in ["Riverside\u{202E}gnp.exe", "Ada\u{200B}", "\u{2066}Ada\u{2069}", "A\u{FEFF}da", "Ada\u{200D}Admin"] {
            let error = plain_text("name", "a name", spoof, 100).unwrap_err();
            assert_eq!(error.field, "name");
            assert!(error.message.contains("invisible formatting"), "{}", error.message);
            assert!(long_text("notes", "notes", spoof, 100).is_err(), "{spoof:?}");
        }
    }

    #[test]
    fn dates_parse_only_real_days() {
        assert_eq!(CalendarDate::parse("d", " 2026-04-01 ").unwrap().to_string(), "2026-04-01");
        assert!(CalendarDate::parse("d", "2024-02-29").is_ok());
        for bad in ["2026-02-29", "2026-13-01", "2026-04-31", "26-04-01", "2026-4-1", "2026/04/01", "", "2026-04-01x", "+026-04-01"] {
            let error = CalendarDate::parse("due", bad).unwrap_err();
            assert_eq!(error.field, "due", "{bad}");
        }
    }

    #[test]
    fn dates_order_read_and_move_on() {
        let a = CalendarDate::parse("d", "2025-12-31").unwrap();
        let b = CalendarDate::parse("d", "2026-01-01").unwrap();
        assert!(a < b);
        assert_eq!(b.long(), "1 January 2026");
        let leap = CalendarDate::parse("d", "2024-02-29").unwrap();
        assert_eq!(leap.years_later(1).to_string(), "2025-02-28");
        assert_eq!(leap.years_earlier(1).to_string(), "2023-02-28");
        assert_eq!(b.years_earlier(1).to_string(), "2025-01-01");
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, "\"2025-12-31\"");
        assert_eq!(serde_json::from_str::<CalendarDate>(&json).unwrap(), a);
        assert!(serde_json::from_str::<CalendarDate>("\"2025-02-30\"").is_err());
    }

    #[test]
    fn money_parses_as_people_write_it() {
        assert_eq!(Pence::parse("cost", "1250").unwrap(), Pence(125_000));
        assert_eq!(Pence::parse("cost", "£1,250.5").unwrap(), Pence(125_050));
        assert_eq!(Pence::parse("cost", "0.07").unwrap(), Pence(7));
        assert_eq!(Pence::parse("cost", "  ").unwrap(), Pence(0));
        for bad in ["-5", "12.345", "abc", "1e3", ".5", "1.2.3", "9999999999999"] {
            assert!(Pence::parse("cost", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn money_shows_as_pounds() {
        assert_eq!(Pence(125_050).to_string(), "£1,250.50");
        assert_eq!(Pence(100_000_000).to_string(), "£1,000,000");
        assert_eq!(Pence(5).to_string(), "£0.05");
        assert_eq!(Pence::sum(&[Pence(150), Pence(250)]), Pence(400));
    }
}
