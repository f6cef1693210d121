//! What a pasted message contains that the catalogue can match: SMTP reply codes, enhanced
//! status codes, bracketed IMAP and POP3 response codes, Windows error numbers, and the text
//! itself, folded for phrase matching.
//!
//! Scanning is tolerant: any case, any quoting, any surrounding log noise. Codes are found on
//! word boundaries only, so a port number or a date does not pass for an SMTP reply unless it
//! stands where a reply code stands.

/// The pieces found in one pasted text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scanned {
    /// SMTP reply codes (RFC 5321 §4.2): three digits from 2xx to 5xx, followed by a space, a
    /// dash or the end, and not part of a longer number.
    pub replies: Vec<u16>,
    /// Enhanced status codes (RFC 3463), like `5.7.8`.
    pub enhanced: Vec<String>,
    /// Bracketed response codes (RFC 5530 for IMAP, RFC 2449 and 3206 for POP3), upper case,
    /// like `AUTHENTICATIONFAILED` or `SYS/TEMP`.
    pub bracketed: Vec<String>,
    /// Windows error numbers as Outlook shows them, like `0x800CCC0E`, upper case.
    pub hex: Vec<String>,
    /// Ports the text names (`port 25`, `:587`), as a hint to what the user has set.
    pub ports: Vec<u16>,
    /// The text in lower case, with quotes removed and white space collapsed to single spaces.
    pub folded: String,
}

/// The most text scanned; the rest of a very long paste is ignored.
pub const MAX_SCANNED_BYTES: usize = 64 * 1024;

/// Scans `text` (at most [`MAX_SCANNED_BYTES`] of it, cut on a character boundary).
pub fn scan(text: &str) -> Scanned {
    let mut end = text.len().min(MAX_SCANNED_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let mut scanned = Scanned {
        folded: fold(text),
        ..Scanned::default()
    };
    let chars: Vec<char> = text.chars().collect();
    let mut index = 0;
    while index < chars.len() {
        let at_boundary = index == 0 || !chars[index - 1].is_ascii_alphanumeric();
        if at_boundary && chars[index].is_ascii_digit() {
            let run: String = chars[index..]
                .iter()
                .take_while(|c| c.is_ascii_digit() || **c == '.')
                .collect();
            let after = chars.get(index + run.chars().count()).copied();
            note_number(&run, after, &mut scanned);
            index += run.chars().count().max(1);
            continue;
        }
        if chars[index] == '[' {
            let inside: String = chars[index + 1..]
                .iter()
                .take_while(|c| **c != ']' && **c != '\n')
                .take(40)
                .collect();
            note_bracketed(&inside, &mut scanned);
        }
        index += 1;
    }
    let words: Vec<&str> = scanned.folded.split([' ', ',', ';', '(', ')']).collect();
    for (index, word) in words.iter().enumerate() {
        let named = match word.rsplit_once(':') {
            Some((host, port)) if host.contains('.') => Some(port),
            _ if index > 0 && words[index - 1] == "port" => Some(*word),
            _ => None,
        };
        if let Some(port) =
            named.and_then(|port| port.trim_end_matches(['.', ':']).parse::<u16>().ok())
        {
            push_once(&mut scanned.ports, port);
        }
    }
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let lower = word.to_ascii_lowercase();
        if let Some(digits) = lower.strip_prefix("0x") {
            if digits.len() == 8 && digits.chars().all(|c| c.is_ascii_hexdigit()) {
                push_once(
                    &mut scanned.hex,
                    format!("0x{}", digits.to_ascii_uppercase()),
                );
            }
        }
    }
    scanned
}

/// Records a run of digits and dots as a reply code or an enhanced status code.
fn note_number(run: &str, after: Option<char>, scanned: &mut Scanned) {
    let run = run.trim_end_matches('.');
    let parts: Vec<&str> = run.split('.').collect();
    let class_ok = |part: &str| matches!(part, "2" | "4" | "5");
    let followed_well = after.is_none_or(|c| !c.is_ascii_alphanumeric());
    match parts.as_slice() {
        [class, subject, detail]
            if class_ok(class)
                && (1..=3).contains(&subject.len())
                && (1..=3).contains(&detail.len())
                && followed_well =>
        {
            push_once(&mut scanned.enhanced, run.to_owned());
        }
        [code] if code.len() == 3 && after.is_none_or(ends_a_reply_code) => {
            // RFC 5321 §4.2: the first digit 2 to 5, the second 0 to 5 (so the ports 465 and
            // 587 are never taken for replies).
            let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
            if let &[first @ 2..=5, second @ 0..=5, third] = digits.as_slice() {
                if let Ok(reply) = u16::try_from(first * 100 + second * 10 + third) {
                    push_once(&mut scanned.replies, reply);
                }
            }
        }
        _ => {}
    }
}

/// True for what may follow a reply code: a space, a dash (a continued reply), the end of
/// the line or closing punctuation.
fn ends_a_reply_code(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '-' | '\n' | '\r' | ',' | ')' | ']' | '"' | '\''
    )
}

/// Records a bracketed response code: letters, digits, dashes and one slash, at least two
/// characters, taken up to its first space (`[ALERT] text` and `[AUTH] text` both count).
fn note_bracketed(inside: &str, scanned: &mut Scanned) {
    let code = inside.split_whitespace().next().unwrap_or_default();
    let valid = code.len() >= 2
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/')
        && code.chars().any(|c| c.is_ascii_alphabetic());
    if valid {
        push_once(&mut scanned.bracketed, code.to_ascii_uppercase());
    }
}

/// Lower case, quotes dropped, every run of white space one space.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if matches!(
            c,
            '"' | '\'' | '“' | '”' | '‘' | '’' | '«' | '»' | '„' | '`'
        ) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn push_once<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_found_in_log_noise() {
        let scanned = scan(
            "Dec  2 10:00:01 host msmtp: server message: 535-5.7.8 Username and Password not \
             accepted. Learn more at\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials",
        );
        assert_eq!(scanned.replies, [535]);
        assert_eq!(scanned.enhanced, ["5.7.8"]);
        assert!(scanned
            .folded
            .contains("username and password not accepted"));
    }

    #[test]
    fn bracketed_codes_and_windows_numbers() {
        let scanned =
            scan("* NO [AUTHENTICATIONFAILED] Invalid credentials (Failure); Error 0x800ccc0e");
        assert_eq!(scanned.bracketed, ["AUTHENTICATIONFAILED"]);
        assert_eq!(scanned.hex, ["0x800CCC0E"]);
        let pop = scan("-ERR [SYS/TEMP] try again later");
        assert_eq!(pop.bracketed, ["SYS/TEMP"]);
    }

    #[test]
    fn times_ports_and_long_numbers_are_not_reply_codes() {
        let scanned = scan("10:00:01 port 465, 587 or 993, id 55512, version 1.2.3.4 at 12:30");
        assert!(scanned.replies.is_empty(), "{:?}", scanned.replies);
        assert_eq!(scanned.ports, [465]);
        assert_eq!(scan("connect to smtp.example.com:25 failed").ports, [25]);
        assert!(scanned.enhanced.is_empty(), "{:?}", scanned.enhanced);
    }

    #[test]
    fn quotes_case_and_space_are_folded_and_long_text_is_cut_safely() {
        assert_eq!(
            scan("  „Relay  ACCESS\n denied“ ").folded,
            "relay access denied"
        );
        let long = "ä".repeat(MAX_SCANNED_BYTES);
        assert!(scan(&long).folded.len() <= MAX_SCANNED_BYTES);
    }
}
