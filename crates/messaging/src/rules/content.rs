use krika_kernel::FieldError;

/// Longest message, in characters, once trimmed.
pub const CONTENT_MAX: usize = 5_000;

/// Characters of a message an event or a notification quotes.
const PREVIEW_CHARS: usize = 140;

/// A message's text must hold no NUL and 1..=5000 characters once trimmed. The text is
/// stored exactly as sent: trimming is only for the length check.
pub fn check_content(content: &str) -> Result<(), FieldError> {
    if content.contains('\0') {
        return Err(FieldError::new(
            "content",
            "must not contain NUL characters",
        ));
    }
    let length = content.trim().chars().count();
    if !(1..=CONTENT_MAX).contains(&length) {
        return Err(FieldError::new("content", "must be 1 to 5000 characters"));
    }
    Ok(())
}

/// The first 140 characters of `content`.
pub fn preview(content: &str) -> String {
    content.chars().take(PREVIEW_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_after_trimming() {
        assert!(check_content("a").is_ok());
        assert!(check_content("   ").is_err());
        assert!(check_content("").is_err());
        assert!(check_content(&"é".repeat(5000)).is_ok(), "chars, not bytes");
        assert!(check_content(&format!("  {}  ", "a".repeat(5000))).is_ok());
        assert!(check_content(&"a".repeat(5001)).is_err());
        assert_eq!(check_content("a\0b").unwrap_err().field, "content");
    }

    #[test]
    fn preview_cuts_on_characters() {
        assert_eq!(preview(&"é".repeat(200)).chars().count(), 140);
        assert_eq!(preview("court"), "court");
    }
}
