//! ISO 639-1 codes for whatlang's languages, and the languages docnorm adds to them.

use whatlang::Lang;

/// Languages the Cyrillic letter rule knows and whatlang does not.
pub const EXTRA_LANGUAGES: [&str; 3] = ["kk", "ky", "mn"];

/// ISO 639-1 code of a whatlang language (every whatlang 0.18 language has one).
pub fn iso639_1(lang: Lang) -> &'static str {
    use Lang::*;
    match lang {
        Epo => "eo",
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Cym => "cy",
    }
}

/// The whatlang language of an ISO 639-1 code, if whatlang knows it.
pub fn whatlang_lang(code: &str) -> Option<Lang> {
    Lang::all().iter().copied().find(|&l| iso639_1(l) == code)
}

/// Whether docnorm can ever answer `code`.
pub fn is_known(code: &str) -> bool {
    known(code).is_some()
}

/// The static spelling of a code docnorm can answer, or `None`.
pub fn known(code: &str) -> Option<&'static str> {
    EXTRA_LANGUAGES
        .iter()
        .copied()
        .chain(Lang::all().iter().map(|&l| iso639_1(l)))
        .find(|&c| c == code)
}

/// The name of a script as users know it (whatlang calls Han "Mandarin").
pub fn script_name(script: whatlang::Script) -> String {
    match script {
        whatlang::Script::Mandarin => "Han".to_string(),
        other => other.name().to_string(),
    }
}

/// Whether `name` is [`script_name`] of `script`, without building the name.
pub fn is_script_named(script: whatlang::Script, name: &str) -> bool {
    match script {
        whatlang::Script::Mandarin => name == "Han",
        other => other.name() == name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_whatlang_language_has_a_distinct_two_letter_code() {
        let mut codes: Vec<&str> = Lang::all().iter().map(|&l| iso639_1(l)).collect();
        assert!(codes.iter().all(|c| c.len() == 2), "{codes:?}");
        let n = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), n);
    }

    #[test]
    fn codes_round_trip_and_extras_are_known() {
        assert_eq!(whatlang_lang("de"), Some(Lang::Deu));
        assert_eq!(whatlang_lang("kk"), None);
        assert!(is_known("kk") && is_known("en") && !is_known("xx"));
    }
}
