//! URL slugs: lower-case ASCII words joined by dashes, accents folded (`Développeur web` →
//! `developpeur-web`), so French titles give readable links.

/// The slug of `text`, at most `max_len` bytes, cut on a word boundary; empty when the
/// text has no letter or digit at all.
pub fn slugify(text: &str, max_len: usize) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    if slug.len() > max_len {
        let cut = slug[..=max_len]
            .rfind('-')
            .filter(|&i| i > 0)
            .unwrap_or(max_len);
        slug.truncate(cut);
    }
    slug
}

/// The ASCII letters a character stands for (Latin letters with diacritics and ligatures
/// as French, Wolof, Yoruba or Hausa text uses them); anything else is kept as is.
fn fold(c: char) -> impl Iterator<Item = char> {
    let folded: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
            "a"
        }
        'ç' | 'Ç' | 'ć' | 'č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ẹ' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ẹ' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' | 'ŋ' | 'Ŋ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ọ' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ọ' | 'ø' => {
            "o"
        }
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' | 'ƴ' | 'Ƴ' => "y",
        'ɓ' | 'Ɓ' => "b",
        'ɗ' | 'Ɗ' => "d",
        'ƙ' | 'Ƙ' => "k",
        'ṣ' | 'Ṣ' | 'š' => "s",
        'ž' => "z",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' => "ss",
        '\'' | '’' => "",
        _ => return Folded::One(Some(c)),
    };
    Folded::Many(folded.chars())
}

enum Folded {
    One(Option<char>),
    Many(std::str::Chars<'static>),
}

impl Iterator for Folded {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        match self {
            Folded::One(c) => c.take(),
            Folded::Many(chars) => chars.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn folds_accents_and_punctuation() {
        assert_eq!(slugify("Développeur web", 80), "developpeur-web");
        assert_eq!(
            slugify("  Je vais créer votre logo !  ", 80),
            "je-vais-creer-votre-logo"
        );
        assert_eq!(
            slugify("Cœur d'Abidjan — Ça va", 80),
            "coeur-dabidjan-ca-va"
        );
        assert_eq!(slugify("!!!", 80), "");
    }

    #[test]
    fn cuts_on_a_word_boundary() {
        assert_eq!(slugify("alpha beta gamma", 12), "alpha-beta");
        assert_eq!(slugify("abcdefghijkl", 5), "abcde");
    }
}
