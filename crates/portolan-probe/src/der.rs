//! A minimal DER reader: tag, length, value, for the handful of X.509 fields a certificate
//! report shows. Every read is bounds-checked and returns `None` on malformed input; nothing
//! here panics, whatever the bytes.

/// Universal and context tags the certificate reader meets.
pub(crate) mod tag {
    pub const BOOLEAN: u8 = 0x01;
    pub const INTEGER: u8 = 0x02;
    pub const BIT_STRING: u8 = 0x03;
    pub const OCTET_STRING: u8 = 0x04;
    pub const OID: u8 = 0x06;
    pub const UTC_TIME: u8 = 0x17;
    pub const GENERALIZED_TIME: u8 = 0x18;
    pub const SEQUENCE: u8 = 0x30;
    /// `[0] EXPLICIT` (the certificate's version).
    pub const CONTEXT_0: u8 = 0xa0;
    /// `[3] EXPLICIT` (the certificate's extensions).
    pub const CONTEXT_3: u8 = 0xa3;
    /// `[2] IMPLICIT IA5String`: a DNS name in a subject alternative name.
    pub const SAN_DNS: u8 = 0x82;
    /// `[7] IMPLICIT OCTET STRING`: an IP address in a subject alternative name.
    pub const SAN_IP: u8 = 0x87;
}

/// One element: its tag and its contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Element<'a> {
    pub tag: u8,
    pub value: &'a [u8],
}

/// Reads elements one after another from a byte slice.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    /// The next element, whatever its tag.
    pub fn next(&mut self) -> Option<Element<'a>> {
        let (&tag, rest) = self.rest.split_first()?;
        let (&first, mut rest) = rest.split_first()?;
        let length = if first < 0x80 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 || rest.len() < count {
                return None;
            }
            let (bytes, after) = rest.split_at(count);
            rest = after;
            bytes
                .iter()
                .fold(0usize, |length, byte| (length << 8) | usize::from(*byte))
        };
        if rest.len() < length {
            return None;
        }
        let (value, after) = rest.split_at(length);
        self.rest = after;
        Some(Element { tag, value })
    }

    /// The next element whole (tag, length and contents), which must have `tag`.
    pub fn whole(&mut self, tag: u8) -> Option<&'a [u8]> {
        let before = self.rest;
        let element = self.next()?;
        let used = before.len() - self.rest.len();
        (element.tag == tag).then(|| &before[..used])
    }

    /// The next element, which must have `tag`.
    pub fn expect(&mut self, tag: u8) -> Option<&'a [u8]> {
        let element = self.next()?;
        (element.tag == tag).then_some(element.value)
    }

    /// The next element if it has `tag`; otherwise nothing is consumed.
    pub fn optional(&mut self, tag: u8) -> Option<&'a [u8]> {
        if self.rest.first() == Some(&tag) {
            self.expect(tag)
        } else {
            None
        }
    }
}

/// An object identifier in dotted form (`1.2.840.10045.2.1`).
pub(crate) fn oid_text(bytes: &[u8]) -> Option<String> {
    let (&first, rest) = bytes.split_first()?;
    let mut parts = vec![u64::from(first / 40).min(2), 0];
    parts[1] = u64::from(first) - parts[0] * 40;
    let mut value: u64 = 0;
    for byte in rest {
        value = value.checked_mul(128)? | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            parts.push(value);
            value = 0;
        }
    }
    if value != 0 {
        return None;
    }
    Some(
        parts
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// The number of significant bits of an unsigned big-endian INTEGER's contents.
pub(crate) fn integer_bits(bytes: &[u8]) -> usize {
    let significant = match bytes.iter().position(|byte| *byte != 0) {
        Some(start) => &bytes[start..],
        None => return 0,
    };
    let leading = significant
        .first()
        .map_or(0, |byte| byte.leading_zeros() as usize);
    significant.len() * 8 - leading
}

/// A UTCTime or GeneralizedTime (`Z` form) as seconds since the Unix epoch.
pub(crate) fn time_seconds(element: Element<'_>) -> Option<i64> {
    let text = std::str::from_utf8(element.value).ok()?;
    let text = text.strip_suffix('Z')?;
    let (year, rest) = match element.tag {
        tag::UTC_TIME if text.len() == 12 => {
            let short: i64 = text.get(..2)?.parse().ok()?;
            // RFC 5280 §4.1.2.5.1: 50-99 are 19xx, 00-49 are 20xx.
            (
                if short >= 50 {
                    1900 + short
                } else {
                    2000 + short
                },
                &text[2..],
            )
        }
        tag::GENERALIZED_TIME if text.len() == 14 => (text.get(..4)?.parse().ok()?, &text[4..]),
        _ => return None,
    };
    let field = |range: std::ops::Range<usize>| -> Option<i64> { rest.get(range)?.parse().ok() };
    let (month, day) = (field(0..2)?, field(2..4)?);
    let (hour, minute, second) = (field(4..6)?, field(6..8)?, field(8..10)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Seconds since the Unix epoch as an RFC 3339 UTC time (`2026-12-01T08:00:00Z`).
pub(crate) fn rfc3339(seconds: i64) -> String {
    portolan_core::civil::UtcTime::from_unix(seconds).rfc3339()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_short_and_long_and_truncated() {
        let mut reader = Reader::new(&[0x04, 0x02, 0xaa, 0xbb, 0x30, 0x81, 0x01, 0x05]);
        assert_eq!(reader.expect(tag::OCTET_STRING), Some(&[0xaa, 0xbb][..]));
        assert_eq!(reader.expect(tag::SEQUENCE), Some(&[0x05][..]));
        assert_eq!(reader.next(), None);
        assert_eq!(Reader::new(&[0x04, 0x05, 0x01]).next(), None);
        assert_eq!(Reader::new(&[0x04, 0x85, 1, 1, 1, 1, 1]).next(), None);
        assert_eq!(Reader::new(&[0x04]).next(), None);
    }

    #[test]
    fn object_identifiers_and_integers() {
        assert_eq!(
            oid_text(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]).as_deref(),
            Some("1.2.840.10045.2.1")
        );
        assert_eq!(oid_text(&[0x55, 0x04, 0x03]).as_deref(), Some("2.5.4.3"));
        assert_eq!(oid_text(&[0x2a, 0x86]), None, "unterminated");
        assert_eq!(integer_bits(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(integer_bits(&[0x01, 0x00]), 9);
        assert_eq!(integer_bits(&[0x00]), 0);
    }

    #[test]
    fn times_round_trip_through_rfc_3339() {
        let utc = Element {
            tag: tag::UTC_TIME,
            value: b"261201083005Z",
        };
        let seconds = time_seconds(utc).unwrap();
        assert_eq!(rfc3339(seconds), "2026-12-01T08:30:05Z");
        let generalized = Element {
            tag: tag::GENERALIZED_TIME,
            value: b"20500229235959Z",
        };
        assert_eq!(time_seconds(generalized), None, "2050 is not a leap year");
        let leap = Element {
            tag: tag::GENERALIZED_TIME,
            value: b"20480229235959Z",
        };
        assert_eq!(rfc3339(time_seconds(leap).unwrap()), "2048-02-29T23:59:59Z");
        let old = Element {
            tag: tag::UTC_TIME,
            value: b"700101000000Z",
        };
        assert_eq!(time_seconds(old), Some(0));
        for bad in [&b"2612010830Z"[..], b"261301083005Z", b"261201083005"] {
            assert_eq!(
                time_seconds(Element {
                    tag: tag::UTC_TIME,
                    value: bad
                }),
                None
            );
        }
    }
}
