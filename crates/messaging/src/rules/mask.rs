//! Contact details in messages between people who have no order together (README.md, Messaging):
//! e-mail addresses and phone numbers give way to a marker, ordinary numbers stay.

use std::sync::OnceLock;

use regex::Regex;

/// What replaces a contact detail.
pub const MASK: &str = "[coordonnées masquées]";

fn email() -> &'static Regex {
    static EMAIL: OnceLock<Regex> = OnceLock::new();
    EMAIL.get_or_init(|| {
        // `nom@gmail.com`, and the usual disguises: `nom [at] gmail [dot] com`,
        // `nom(at)gmail.com`, `nom arobase gmail point com`.
        let at = r"(?:\s*@\s*|\s*[\[({]\s*(?:at|arobase)\s*[\])}]\s*|\s+arobase\s+)";
        let dot = r"(?:\.|\s*[\[({]\s*(?:dot|point)\s*[\])}]\s*|\s+point\s+)";
        let pattern = format!(
            r"(?i)[a-z0-9][a-z0-9._%+\-]*{at}[a-z0-9][a-z0-9\-]*(?:{dot}[a-z0-9][a-z0-9\-]*)*{dot}[a-z]{{2,}}\b"
        );
        Regex::new(&pattern).expect("the e-mail pattern is valid")
    })
}

fn phone() -> &'static Regex {
    static PHONE: OnceLock<Regex> = OnceLock::new();
    // Digits with at most three separators (spaces, dots, dashes, parentheses) between
    // them, optionally after `+` or `(`; the digit count and the shape decide afterwards.
    PHONE.get_or_init(|| {
        Regex::new(r"(?:\+|\(\s*\+?)?\d(?:[ \t.\-()]{0,3}\d)*").expect("the phone pattern is valid")
    })
}

/// `text` with e-mail addresses and phone numbers replaced by [`MASK`], and whether
/// anything was replaced.
pub fn mask_contacts(text: &str) -> (String, bool) {
    let mut masked = false;
    let without_emails = email().replace_all(text, |_: &regex::Captures| {
        masked = true;
        MASK
    });
    let mut out = String::with_capacity(without_emails.len());
    let mut last = 0;
    for found in phone().find_iter(&without_emails) {
        let before = without_emails[..found.start()].chars().next_back();
        let after = without_emails[found.end()..].chars().next();
        if looks_like_phone(found.as_str(), before, after) {
            out.push_str(&without_emails[last..found.start()]);
            out.push_str(MASK);
            last = found.end();
            masked = true;
        }
    }
    out.push_str(&without_emails[last..]);
    (out, masked)
}

fn looks_like_phone(candidate: &str, before: Option<char>, after: Option<char>) -> bool {
    // Part of a longer token: `KR-2026-000123`, `ref12345678`, `12345678abc`.
    if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/'))
        || after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    {
        return false;
    }
    let groups: Vec<&str> = candidate
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let digits: usize = groups.iter().map(|g| g.len()).sum();
    if digits < 8 {
        return false;
    }
    let international = candidate.contains('+');
    if international {
        return true;
    }
    !is_date(&groups) && !is_amount(candidate, &groups) && !is_years(&groups)
}

/// `01.12.2026`, `2026-12-01`.
fn is_date(groups: &[&str]) -> bool {
    let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    matches!(lens.as_slice(), [1 | 2, 1 | 2, 4] | [4, 1 | 2, 1 | 2])
}

/// `10 000 000`, `1.250.000`: thousands groups, not starting with a 0 as local numbers do.
fn is_amount(candidate: &str, groups: &[&str]) -> bool {
    groups.len() >= 2
        && !candidate.starts_with('0')
        && !candidate.contains(['(', ')', '-'])
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
}

/// `2025 2026`.
fn is_years(groups: &[&str]) -> bool {
    groups.len() >= 2
        && groups
            .iter()
            .all(|g| g.len() == 4 && (g.starts_with("19") || g.starts_with("20")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_contact_details() {
        let cases = [
            (
                "écris-moi à awa.kone@gmail.com merci",
                "écris-moi à [coordonnées masquées] merci",
            ),
            ("AWA_K+pro@Mail.Example.CI.", "[coordonnées masquées]."),
            ("nom [at] gmail [dot] com", "[coordonnées masquées]"),
            ("nom(at)gmail.com stp", "[coordonnées masquées] stp"),
            ("nom @ gmail.com", "[coordonnées masquées]"),
            (
                "appelle le +225 07 08 09 10 11 ce soir",
                "appelle le [coordonnées masquées] ce soir",
            ),
            ("07.08.09.10.11", "[coordonnées masquées]"),
            ("(+221) 77-123-45-67", "[coordonnées masquées]"),
            ("tel: 0708091011", "tel: [coordonnées masquées]"),
            ("77 123 45 67", "[coordonnées masquées]"),
            ("WhatsApp +22507080910", "WhatsApp [coordonnées masquées]"),
            (
                "07 08 09 10 ou a@b.co",
                "[coordonnées masquées] ou [coordonnées masquées]",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(mask_contacts(text), (expected.to_owned(), true), "{text:?}");
        }
    }

    #[test]
    fn leaves_ordinary_numbers_and_text() {
        let cases = [
            "Le logo coûte 5000 FCFA",
            "Livraison en 2026, promis",
            "Commande KR-2026-000123 reçue",
            "Rendez-vous le 01.12.2026 ou le 2026-12-01",
            "Budget total : 10 000 000 FCFA",
            "1.250.000 francs",
            "entre 2025 2026",
            "3 révisions, 5 jours",
            "Je suis à Abidjan. Merci !",
            "une arobase @ seule",
            "ref12345678",
            "",
        ];
        for text in cases {
            assert_eq!(mask_contacts(text), (text.to_owned(), false), "{text:?}");
        }
    }
}
