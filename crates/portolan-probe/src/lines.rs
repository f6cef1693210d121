//! Splitting what a server sends into lines, with a bound: a server that sends a line longer
//! than [`MAX_LINE_BYTES`] (or never ends one) gets a clean error instead of an ever-growing
//! buffer.

/// The longest line accepted, terminator included. RFC 5321 caps reply lines at 512 bytes;
/// IMAP capability lists run longer, so this leaves ample room for any honest server.
pub const MAX_LINE_BYTES: usize = 16 * 1024;

/// A line longer than [`MAX_LINE_BYTES`] arrived (or is still arriving).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineTooLong;

/// Bytes in, complete lines out (without `\r\n` or `\n`).
#[derive(Debug, Default, Clone)]
pub struct LineBuffer {
    pending: Vec<u8>,
}

impl LineBuffer {
    /// Adds bytes; an error as soon as the unfinished line is longer than the limit.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), LineTooLong> {
        self.pending.extend_from_slice(bytes);
        let unfinished = match self.pending.iter().rposition(|byte| *byte == b'\n') {
            Some(end) => self.pending.len() - end - 1,
            None => self.pending.len(),
        };
        if unfinished > MAX_LINE_BYTES || self.longest_complete_line() > MAX_LINE_BYTES {
            self.pending.clear();
            return Err(LineTooLong);
        }
        Ok(())
    }

    fn longest_complete_line(&self) -> usize {
        self.pending
            .split(|byte| *byte == b'\n')
            .map(<[u8]>::len)
            .max()
            .unwrap_or(0)
    }

    /// The next complete line, as text (invalid UTF-8 replaced), if one has arrived.
    pub fn next_line(&mut self) -> Option<String> {
        let end = self.pending.iter().position(|byte| *byte == b'\n')?;
        let mut line: Vec<u8> = self.pending.drain(..=end).collect();
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Some(String::from_utf8_lossy(&line).into_owned())
    }

    /// True when bytes have arrived that were not read as lines yet.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Takes whatever has arrived but was not read as a line yet.
    pub fn take_rest(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_across_pushes_and_both_terminators() {
        let mut buffer = LineBuffer::default();
        buffer.push(b"220 mail.exa").unwrap();
        assert_eq!(buffer.next_line(), None);
        buffer.push(b"mple ESMTP\r\n250-a\n250 b\r").unwrap();
        assert_eq!(
            buffer.next_line().as_deref(),
            Some("220 mail.example ESMTP")
        );
        assert_eq!(buffer.next_line().as_deref(), Some("250-a"));
        assert_eq!(buffer.next_line(), None);
        buffer.push(b"\n").unwrap();
        assert_eq!(buffer.next_line().as_deref(), Some("250 b"));
        assert!(buffer.take_rest().is_empty());
    }

    #[test]
    fn an_endless_line_is_an_error_not_growth() {
        let mut buffer = LineBuffer::default();
        let chunk = vec![b'a'; 4096];
        let mut pushed = 0;
        let error = loop {
            match buffer.push(&chunk) {
                Ok(()) => pushed += chunk.len(),
                Err(error) => break error,
            }
            assert!(pushed <= MAX_LINE_BYTES, "kept growing");
        };
        assert_eq!(error, LineTooLong);
        assert!(buffer.take_rest().is_empty());
        let mut buffer = LineBuffer::default();
        let mut long = vec![b'b'; MAX_LINE_BYTES + 1];
        long.extend_from_slice(b"\nok\n");
        assert_eq!(
            buffer.push(&long),
            Err(LineTooLong),
            "a long complete line too"
        );
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let mut buffer = LineBuffer::default();
        buffer.push(b"* OK \xff\xfe\r\n").unwrap();
        assert_eq!(buffer.next_line().as_deref(), Some("* OK \u{fffd}\u{fffd}"));
    }
}
