//! Reads the messages an SMTP sink stored in a Maildir, for tests.
//!
//! Tests elsewhere follow a real email (a password-reset link, say) from the SMTP server to
//! the inbox. The sink (`python3 -m aiosmtpd -c aiosmtpd.handlers.Mailbox DIR`) writes one
//! file per message under `DIR/new`; this module finds one and decodes what a person would
//! read: the recipient, the subject (RFC 2047 encoded words) and the plain-text body
//! (quoted-printable or base64). Only what lettre produces is covered, not all of MIME.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

const POLL: Duration = Duration::from_millis(50);

/// One message as its reader would see it. Line ends in `body` are `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl ReceivedMail {
    fn mentions(&self, needle: &str) -> bool {
        self.to.contains(needle) || self.subject.contains(needle) || self.body.contains(needle)
    }
}

/// Polls `dir/new` and `dir/cur` until a message whose recipient, subject or decoded body
/// contains `needle` appears, or `timeout` passes. When several match, the newest wins.
///
/// It blocks the thread: from a single-threaded async test whose mail is sent by a spawned
/// task (`BackgroundMailer`), use [`wait_for_message_async`] instead.
pub fn wait_for_message(dir: &Path, needle: &str, timeout: Duration) -> Option<ReceivedMail> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(found) = find(dir, needle) {
            return Some(found);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(POLL);
    }
}

/// [`wait_for_message`] that sleeps on tokio, letting other tasks (the sender) run.
pub async fn wait_for_message_async(
    dir: &Path,
    needle: &str,
    timeout: Duration,
) -> Option<ReceivedMail> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(found) = find(dir, needle) {
            return Some(found);
        }
        if Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Every message now in `dir/new` and `dir/cur`, oldest first. Unreadable files are skipped.
pub fn read_messages(dir: &Path) -> Vec<ReceivedMail> {
    let mut files: Vec<(SystemTime, ReceivedMail)> = Vec::new();
    for sub in ["new", "cur"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(raw) = std::fs::read(&path) else {
                continue; // moved from new/ to cur/ meanwhile
            };
            let modified = entry
                .metadata()
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            files.push((modified, parse(&raw)));
        }
    }
    files.sort_by_key(|(modified, _)| *modified);
    files.into_iter().map(|(_, mail)| mail).collect()
}

fn find(dir: &Path, needle: &str) -> Option<ReceivedMail> {
    read_messages(dir)
        .into_iter()
        .rev()
        .find(|mail| mail.mentions(needle))
}

/// Decodes one stored message (RFC 5322, with CRLF or LF line ends).
pub fn parse(raw: &[u8]) -> ReceivedMail {
    let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    let (headers, body) = split_entity(&text);
    let to = header(&headers, "to")
        .or_else(|| header(&headers, "x-rcptto"))
        .map(decode_words)
        .unwrap_or_default();
    let subject = header(&headers, "subject")
        .map(decode_words)
        .unwrap_or_default();
    ReceivedMail {
        to,
        subject,
        body: entity_text(&headers, body),
    }
}

type Headers = Vec<(String, String)>;

/// Splits a MIME entity into its unfolded headers and its body.
fn split_entity(text: &str) -> (Headers, &str) {
    let (head, body) = match text.find("\n\n") {
        Some(at) => (&text[..at], &text[at + 2..]),
        None => (text, ""),
    };
    let mut headers: Headers = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    (headers, body)
}

fn header<'a>(headers: &'a Headers, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.trim())
}

/// `type/subtype` in lower case, and the value of `param` when asked for.
fn content_type(headers: &Headers) -> (String, Option<String>) {
    let value = header(headers, "content-type").unwrap_or("text/plain");
    let mut parts = value.split(';');
    let mime = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let boundary = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    });
    (mime, boundary)
}

/// The readable text of an entity: its decoded body, or for a multipart the first
/// `text/plain` part (else the first part).
fn entity_text(headers: &Headers, body: &str) -> String {
    let (mime, boundary) = content_type(headers);
    if let (true, Some(boundary)) = (mime.starts_with("multipart/"), boundary) {
        let parts = multipart_parts(body, &boundary);
        let plain = parts
            .iter()
            .find(|(h, _)| content_type(h).0 == "text/plain")
            .or_else(|| parts.first());
        return plain.map(|(h, b)| entity_text(h, b)).unwrap_or_default();
    }
    let encoding = header(headers, "content-transfer-encoding")
        .unwrap_or("7bit")
        .to_ascii_lowercase();
    let bytes = match encoding.as_str() {
        "quoted-printable" => decode_quoted_printable(body, false),
        "base64" => {
            let compact: String = body.split_whitespace().collect();
            STANDARD
                .decode(compact)
                .unwrap_or_else(|_| body.as_bytes().to_vec())
        }
        _ => body.as_bytes().to_vec(),
    };
    String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
}

fn multipart_parts<'a>(body: &'a str, boundary: &str) -> Vec<(Headers, &'a str)> {
    let delimiter = format!("--{boundary}");
    body.split(delimiter.as_str())
        .skip(1) // the preamble
        .take_while(|part| !part.starts_with("--")) // the close delimiter
        .map(|part| {
            let part = part.strip_prefix('\n').unwrap_or(part);
            let part = part.strip_suffix('\n').unwrap_or(part);
            split_entity(part)
        })
        .collect()
}

/// Quoted-printable (RFC 2045): `=\n` is a soft line break, `=XX` a byte. In an encoded
/// word (RFC 2047 "Q"), `_` is also a space. Malformed escapes are kept as they are.
fn decode_quoted_printable(text: &str, encoded_word: bool) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'=' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'=' if bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n') => i += 3,
            b'=' => match bytes.get(i + 1..i + 3).and_then(hex_byte) {
                Some(byte) => {
                    out.push(byte);
                    i += 3;
                }
                None => {
                    out.push(b'=');
                    i += 1;
                }
            },
            b'_' if encoded_word => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

fn hex_byte(pair: &[u8]) -> Option<u8> {
    let text = std::str::from_utf8(pair).ok()?;
    u8::from_str_radix(text, 16).ok()
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?...?=`, `=?utf-8?q?...?=`) in a header value.
/// Whitespace between two encoded words is dropped, and adjacent words are joined as bytes
/// before decoding, so a character split across two words survives.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut pending: Vec<u8> = Vec::new(); // bytes of adjacent encoded words
    let mut rest = value;
    loop {
        let next = rest
            .match_indices("=?")
            .find_map(|(at, _)| encoded_word(&rest[at..]).map(|word| (at, word)));
        let Some((at, (bytes, len))) = next else {
            break;
        };
        let before = &rest[..at];
        if pending.is_empty() || !before.trim().is_empty() {
            out.push_str(&String::from_utf8_lossy(&pending));
            pending.clear();
            out.push_str(before);
        }
        pending.extend(bytes);
        rest = &rest[at + len..];
    }
    out.push_str(&String::from_utf8_lossy(&pending));
    out.push_str(rest);
    out
}

/// Parses one encoded word at the start of `text`: its decoded bytes and its length.
/// Only UTF-8 and US-ASCII charsets are expected (that is what lettre writes).
fn encoded_word(text: &str) -> Option<(Vec<u8>, usize)> {
    let inner = text.strip_prefix("=?")?;
    let (_charset, inner) = inner.split_once('?')?;
    let (encoding, inner) = inner.split_once('?')?;
    let end = inner.find("?=")?;
    let payload = &inner[..end];
    if payload.contains(char::is_whitespace) {
        return None;
    }
    let bytes = match encoding {
        "b" | "B" => STANDARD.decode(payload).ok()?,
        "q" | "Q" => decode_quoted_printable(payload, true),
        _ => return None,
    };
    let len = text.len() - inner.len() + end + 2;
    Some((bytes, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_quoted_printable_body_with_soft_breaks() {
        let raw = "To: a@example.com\r\nSubject: hi\r\n\
                   Content-Type: text/plain; charset=utf-8\r\n\
                   Content-Transfer-Encoding: quoted-printable\r\n\r\n\
                   R=C3=A9initialiser : https://x.test/reset?token=3Dabc&e=\r\nmail=3Da%40b.c\r\n";
        let mail = parse(raw.as_bytes());
        assert_eq!(mail.to, "a@example.com");
        assert_eq!(mail.subject, "hi");
        assert_eq!(
            mail.body,
            "Réinitialiser : https://x.test/reset?token=abc&email=a%40b.c\n"
        );
    }

    #[test]
    fn decodes_base64_body_and_lf_line_ends() {
        let encoded = STANDARD.encode("Éàü ligne 1\r\nligne 2");
        let raw = format!(
            "To: a@example.com\nSubject: x\nContent-Transfer-Encoding: base64\n\n{}\n{}\n",
            &encoded[..10],
            &encoded[10..]
        );
        assert_eq!(parse(raw.as_bytes()).body, "Éàü ligne 1\nligne 2");
    }

    #[test]
    fn decodes_encoded_word_subjects() {
        let b = STANDARD.encode("Réinitialisation — ");
        let value = format!("=?utf-8?b?{b}?=\r\n =?utf-8?q?d=C3=A9j=C3=A0_vu?= fin");
        let raw = format!("Subject: {value}\r\n\r\nbody");
        assert_eq!(
            parse(raw.as_bytes()).subject,
            "Réinitialisation — déjà vu fin"
        );
        assert_eq!(decode_words("plain subject"), "plain subject");
        assert_eq!(decode_words("a =?utf-8?q?=C3=A9?= b"), "a é b");
        assert_eq!(decode_words("=?bogus"), "=?bogus");
    }

    #[test]
    fn joins_a_character_split_across_encoded_words() {
        // "é" is C3 A9: one byte in each word.
        assert_eq!(decode_words("=?utf-8?q?=C3?= =?utf-8?q?=A9?="), "é");
    }

    #[test]
    fn picks_the_plain_part_of_a_multipart() {
        let raw = "Subject: m\nContent-Type: multipart/alternative; boundary=\"XYZ\"\n\n\
                   preamble\n--XYZ\nContent-Type: text/html\n\n<p>hi</p>\n\
                   --XYZ\nContent-Type: text/plain; charset=utf-8\n\
                   Content-Transfer-Encoding: quoted-printable\n\nh=C3=A9\n--XYZ--\n";
        assert_eq!(parse(raw.as_bytes()).body, "hé");
    }

    #[test]
    fn times_out_on_an_empty_maildir() {
        let dir = std::env::temp_dir().join("krika-mail-empty-maildir");
        assert!(wait_for_message(&dir, "nobody", Duration::from_millis(120)).is_none());
    }
}
