//! What an attachment really is, read from its first bytes. Whatever a browser could run
//! (HTML, SVG, JavaScript, XML) or we do not recognise is served as a download.

/// The type of anything not recognised as harmless.
pub const SAFE_FALLBACK: &str = "application/octet-stream";

/// The content type the bytes really are, among the ones safe to serve inline;
/// [`SAFE_FALLBACK`] otherwise.
pub fn sniff_content_type(bytes: &[u8]) -> &'static str {
    if let Some(image) = krika_kernel::media::ImageKind::sniff(bytes) {
        return image.content_type();
    }
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
    if at(0, b"GIF87a") || at(0, b"GIF89a") {
        "image/gif"
    } else if at(0, b"%PDF-") {
        "application/pdf"
    } else if at(0, b"PK\x03\x04") || at(0, b"PK\x05\x06") {
        "application/zip"
    } else if at(4, b"ftyp") {
        "video/mp4"
    } else if at(0, b"ID3") || at(0, &[0xFF, 0xFB]) || at(0, &[0xFF, 0xF3]) || at(0, &[0xFF, 0xF2])
    {
        "audio/mpeg"
    } else if at(0, b"OggS") {
        "audio/ogg"
    } else if at(0, b"RIFF") && at(8, b"WAVE") {
        "audio/wav"
    } else if at(0, &[0x1A, 0x45, 0xDF, 0xA3]) {
        "video/webm"
    } else {
        SAFE_FALLBACK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_harmless_types_by_content() {
        assert_eq!(sniff_content_type(b"\x89PNG\r\n\x1a\n...."), "image/png");
        assert_eq!(sniff_content_type(b"GIF89a...."), "image/gif");
        assert_eq!(sniff_content_type(b"%PDF-1.7\n"), "application/pdf");
        assert_eq!(sniff_content_type(b"PK\x03\x04rest"), "application/zip");
        assert_eq!(sniff_content_type(b"\0\0\0\x18ftypmp42"), "video/mp4");
        assert_eq!(sniff_content_type(b"ID3\x04\0"), "audio/mpeg");
    }

    #[test]
    fn runnable_or_unknown_content_is_a_download() {
        for bytes in [
            &b"<!DOCTYPE html><script>alert(1)</script>"[..],
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            b"<?xml version='1.0'?>",
            b"alert(document.cookie)",
            b"",
        ] {
            assert_eq!(sniff_content_type(bytes), SAFE_FALLBACK);
        }
    }
}
