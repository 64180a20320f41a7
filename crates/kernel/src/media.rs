//! Recognising uploaded files by their first bytes, never by the name or the declared type.

/// The image formats the platform accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    Webp,
}

impl ImageKind {
    /// The kind the bytes really are, if they are one we accept.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
        }
    }
}

/// Why an upload is not an acceptable image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageRejection {
    TooLarge { limit: usize },
    NotAnImage,
}

/// The one check every image upload goes through: size first, then real content type.
pub fn check_image(bytes: &[u8], limit: usize) -> Result<ImageKind, ImageRejection> {
    if bytes.len() > limit {
        return Err(ImageRejection::TooLarge { limit });
    }
    ImageKind::sniff(bytes).ok_or(ImageRejection::NotAnImage)
}

/// A file name safe inside a storage key: `[A-Za-z0-9._-]`, at most 100 characters.
pub fn storage_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    match cleaned.trim_matches('.') {
        "" => "file".into(),
        name => name.into(),
    }
}

#[cfg(test)]
mod storage_name_tests {
    use super::storage_name;

    #[test]
    fn file_names_cannot_escape_their_folder() {
        assert_eq!(storage_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(storage_name("logo final.png"), "logo_final.png");
        assert_eq!(storage_name(".."), "file");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_images_by_content() {
        assert_eq!(
            ImageKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(
            ImageKind::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(ImageKind::Png)
        );
        assert_eq!(
            ImageKind::sniff(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some(ImageKind::Webp)
        );
    }

    #[test]
    fn checks_size_before_content() {
        let png = b"\x89PNG\r\n\x1a\n....";
        assert_eq!(check_image(png, 100), Ok(ImageKind::Png));
        assert_eq!(
            check_image(png, 4),
            Err(ImageRejection::TooLarge { limit: 4 })
        );
        assert_eq!(check_image(b"text", 100), Err(ImageRejection::NotAnImage));
    }

    #[test]
    fn refuses_text_whatever_its_name() {
        assert_eq!(ImageKind::sniff(b"hello, I am a text file"), None);
        assert_eq!(ImageKind::sniff(b""), None);
        assert_eq!(ImageKind::sniff(b"RIFF\0\0\0\0WAVE"), None);
    }
}
