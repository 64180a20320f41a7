//! Markdown to HTML that is safe to insert in a page, and a plain-text excerpt.
//!
//! The Markdown (raw HTML included) is rendered by pulldown-cmark, then everything goes
//! through ammonia's allow-list: no `<script>`, `<iframe>`, `<svg>` or `<style>`, no event
//! handler or `style` attribute, only `http`, `https` and `mailto` URLs (so no
//! `javascript:` or `data:`), and every link gets `rel="nofollow noopener"`.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Options, Parser, html};

/// The characters an excerpt keeps.
pub const EXCERPT_CHARS: usize = 200;

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("nofollow noopener"));
    builder
});

/// Keeps text only: applied to HTML that is already sanitised.
static TEXT_ONLY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(ammonia::Builder::empty);

/// `markdown` rendered and sanitised.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut rendered = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut rendered, Parser::new_ext(markdown, options));
    SANITISER.clean(&rendered).to_string()
}

/// The first [`EXCERPT_CHARS`] characters of the text of sanitised HTML: no tags, entities
/// decoded, whitespace collapsed (block boundaries become spaces).
pub fn excerpt(safe_html: &str) -> String {
    let text = TEXT_ONLY.clean(safe_html).to_string();
    let text = unescape(&text);
    let mut excerpt = String::with_capacity(EXCERPT_CHARS);
    for (count, word) in text.split_whitespace().enumerate() {
        if count > 0 {
            excerpt.push(' ');
        }
        excerpt.push_str(word);
        if excerpt.chars().count() >= EXCERPT_CHARS {
            break;
        }
    }
    match excerpt.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => excerpt[..cut].trim_end().to_owned(),
        None => excerpt,
    }
}

/// The entities an HTML serialiser writes in text.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The classic payloads: none of their dangerous parts survives.
    const XSS: &[&str] = &[
        "<script>alert(1)</script>",
        "Avant <script>alert(1)</script> après",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "<img src=x onerror=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<svg onload=alert(1)>",
        "<a href=\"javascript:alert(1)\">clic</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">clic</a>",
        "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<div style=\"background:url(javascript:alert(1))\" onclick=\"alert(1)\">texte</div>",
        "<body onload=alert(1)>",
        "<math><mtext><script>alert(1)</script></mtext></math>",
    ];

    #[test]
    fn no_script_handler_or_dangerous_url_survives() {
        for payload in XSS {
            let html = to_html(payload).to_lowercase();
            for banned in [
                "<script",
                "onerror",
                "onload",
                "onclick",
                "javascript:",
                "data:",
                "<iframe",
                "<svg",
                "style=",
                "<math",
            ] {
                assert!(!html.contains(banned), "{payload:?} gave {html:?}");
            }
        }
    }

    #[test]
    fn markdown_renders_and_links_are_marked() {
        let html = to_html("# Titre\n\nDu **gras** et [un lien](https://2krika.com).");
        assert!(html.contains("<h1>Titre</h1>"), "{html}");
        assert!(html.contains("<strong>gras</strong>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://2krika.com" rel="nofollow noopener">un lien</a>"#),
            "{html}"
        );
    }

    #[test]
    fn excerpts_are_plain_text_of_at_most_200_characters() {
        let html = to_html("# Titre\n\nDu **gras** & <b>des</b>   espaces.\n\n- un\n- deux");
        assert_eq!(excerpt(&html), "Titre Du gras & des espaces. un deux");
        let long = to_html(&"é ".repeat(300));
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), 199, "ends on the last whole character");
        assert!(!cut.ends_with(' '));
        assert_eq!(excerpt(&to_html("<script>alert(1)</script>")), "");
    }
}
