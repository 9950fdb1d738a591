//! A letter rule for the Cyrillic languages whatlang does not know: Kazakh, Kyrgyz, Mongolian.
//!
//! whatlang has no Kazakh (it calls it Belarusian) and no Kyrgyz or Mongolian. Their alphabets
//! add letters to the Russian one, and which letters are added tells them apart:
//!
//! | letters | Kazakh | Kyrgyz | Mongolian | Ukrainian | Belarusian |
//! |---|---|---|---|---|---|
//! | ғ қ ұ | yes | – | – | – | – |
//! | ә һ | yes (also Tatar, Bashkir) | – | – | – | – |
//! | ң | yes | yes | – | – | – |
//! | ө ү | yes | yes | yes | – | – |
//! | і | yes | – | – | yes | yes |
//!
//! Kyrgyz and Mongolian share ө ү; ң is Kyrgyz only, and so are к and е in native words, where
//! Mongolian writes х and э instead (х э are 16 % of Mongolian letters, к е 0.2 %; in Kyrgyz
//! к е are 12 %, х э 1.5 %).
//!
//! Letters of other Turkic and Iranian alphabets (Tatar җ, Bashkir ҙ ҡ ҫ, Tajik ӣ ӯ ҳ ҷ, Chuvash
//! ӑ ӗ ҫ ӳ) mean a language docnorm does not know: the answer is then "unknown", never Kazakh.

/// What the letters of a Cyrillic text say.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Kazakh, Kyrgyz or Mongolian, with a confidence in 0..1.
    Language(&'static str, f64),
    /// Letters of a Cyrillic language no detector here knows.
    Unknown,
    /// None of the letters of Ukrainian, Belarusian, Serbian or Macedonian: Russian or Bulgarian,
    /// for whatlang to tell.
    RussianOrBulgarian,
    /// A language of the Russian family, for whatlang to tell.
    RussianFamily,
}

/// Counts of the letters that matter, over lower-cased text.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    cyrillic: u32,
    kazakh_only: u32,
    a_h: u32,
    eng: u32,
    o_u: u32,
    dotted_i: u32,
    other_alphabets: u32,
    /// к е: frequent in Kyrgyz, loanwords only in Mongolian.
    ka_ye: u32,
    /// х э: frequent in Mongolian, rare in Kyrgyz.
    kha_e: u32,
    /// э: 8 % of Mongolian letters, under 0.5 % of Russian.
    e: u32,
    /// ы э: Russian and Belarusian (and the Turkic languages), never Ukrainian or Bulgarian.
    yery_e: u32,
    /// ї є ґ: Ukrainian only.
    ukrainian: u32,
    /// ў: Belarusian (and Uzbek).
    short_u: u32,
    /// ђ ћ ѓ ќ ѕ ј љ њ џ: Serbian and Macedonian.
    serbo_macedonian: u32,
}

impl Counts {
    fn of(text: &str) -> Counts {
        let mut c = Counts::default();
        for ch in text.chars() {
            if !('\u{0400}'..='\u{04FF}').contains(&ch) {
                continue;
            }
            c.cyrillic += 1;
            match ch {
                'ғ' | 'Ғ' | 'қ' | 'Қ' | 'ұ' | 'Ұ' => c.kazakh_only += 1,
                'ә' | 'Ә' | 'һ' | 'Һ' => c.a_h += 1,
                'ң' | 'Ң' => c.eng += 1,
                'ө' | 'Ө' | 'ү' | 'Ү' => c.o_u += 1,
                'і' | 'І' => c.dotted_i += 1,
                'җ' | 'Җ' | 'ҙ' | 'Ҙ' | 'ҡ' | 'Ҡ' | 'ҫ' | 'Ҫ' | 'ӣ' | 'Ӣ' | 'ӯ' | 'Ӯ' | 'ҳ'
                | 'Ҳ' | 'ҷ' | 'Ҷ' | 'ӑ' | 'Ӑ' | 'ӗ' | 'Ӗ' | 'ӳ' | 'Ӳ' => {
                    c.other_alphabets += 1
                }
                'к' | 'К' | 'е' | 'Е' => c.ka_ye += 1,
                'х' | 'Х' => c.kha_e += 1,
                'э' | 'Э' => {
                    c.kha_e += 1;
                    c.yery_e += 1;
                    c.e += 1;
                }
                'ы' | 'Ы' => c.yery_e += 1,
                'ї' | 'Ї' | 'є' | 'Є' | 'ґ' | 'Ґ' => c.ukrainian += 1,
                'ў' | 'Ў' => c.short_u += 1,
                'ђ' | 'Ђ' | 'ћ' | 'Ћ' | 'ѓ' | 'Ѓ' | 'ќ' | 'Ќ' | 'ѕ' | 'Ѕ' | 'ј' | 'Ј' | 'љ'
                | 'Љ' | 'њ' | 'Њ' | 'џ' | 'Џ' => c.serbo_macedonian += 1,
                _ => {}
            }
        }
        c
    }

    fn share(&self, n: u32) -> f64 {
        n as f64 / self.cyrillic.max(1) as f64
    }
}

/// Share of a text's Cyrillic letters that must be Turkic or Mongolian letters before the rule
/// speaks: well below the 8–12 % of real Kazakh, Kyrgyz or Mongolian text, well above a Russian
/// text that quotes a few Kazakh names.
const MIN_SHARE: f64 = 0.025;

/// Classifies a text by its Cyrillic letters.
pub fn classify(text: &str) -> Verdict {
    let c = Counts::of(text);
    let turkic = c.kazakh_only + c.a_h + c.eng + c.o_u;
    if c.other_alphabets >= 2 && c.share(c.other_alphabets) >= 0.005 {
        return Verdict::Unknown;
    }
    // Kazakh: a letter only Kazakh has, or і together with Turkic letters (Kyrgyz, Tatar and
    // Mongolian have no і, Ukrainian and Belarusian no Turkic letters).
    let core = c.kazakh_only + if turkic > 0 { c.dotted_i } else { 0 };
    let marks = core + c.a_h;
    if core > 0 && marks >= 2 && c.share(turkic + c.dotted_i) >= MIN_SHARE {
        return Verdict::Language("kk", confidence(marks + c.eng + c.o_u));
    }
    if c.dotted_i + c.kazakh_only + c.a_h == 0 && c.share(c.eng + c.o_u) >= MIN_SHARE {
        let marks = c.eng + c.o_u;
        return if c.eng > 0 || c.ka_ye > c.kha_e {
            Verdict::Language(
                "ky",
                confidence(marks).min(margin(c.ka_ye + c.eng, c.kha_e)),
            )
        } else {
            Verdict::Language("mn", confidence(marks).min(margin(c.kha_e, c.ka_ye)))
        };
    }
    if c.share(turkic) >= MIN_SHARE {
        // Turkic letters in a mix no language here has (Tatar ә without і, say).
        return Verdict::Unknown;
    }
    if c.dotted_i + c.short_u + c.ukrainian == 0 && c.e >= 2 && c.share(c.e) >= 0.03 {
        // Mongolian without ө ү in this stretch: Russian never writes э this often.
        return Verdict::Language("mn", confidence(c.e).min(0.9));
    }
    russian_family(&c)
}

/// Russian or Ukrainian when their own letters say so and no other family member's do; else
/// whatlang decides, among Russian and Bulgarian when no letter points elsewhere.
fn russian_family(c: &Counts) -> Verdict {
    let not_russian = c.ukrainian + c.short_u + c.serbo_macedonian + c.dotted_i;
    if c.yery_e >= 2 && not_russian == 0 {
        return Verdict::Language("ru", confidence(c.yery_e));
    }
    if c.ukrainian + c.dotted_i >= 1 && c.yery_e + c.short_u + c.serbo_macedonian == 0 {
        return Verdict::Language("uk", confidence(c.ukrainian + c.dotted_i));
    }
    if not_russian == 0 && c.cyrillic >= 20 {
        return Verdict::RussianOrBulgarian;
    }
    Verdict::RussianFamily
}

/// How far `winner` leads `loser`, as a confidence: 0.5 when level, near 1 when far ahead.
fn margin(winner: u32, loser: u32) -> f64 {
    (winner as f64 + 1.0) / (winner as f64 + loser as f64 + 2.0)
}

/// Each telling letter halves the doubt, up to 0.99.
fn confidence(marks: u32) -> f64 {
    (1.0 - 0.5f64.powi(marks.min(30) as i32)).min(0.99)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(text: &str) -> Option<&'static str> {
        match classify(text) {
            Verdict::Language(l, _) => Some(l),
            _ => None,
        }
    }

    #[test]
    fn kazakh_kyrgyz_and_mongolian_are_told_apart() {
        assert_eq!(
            lang("Біз бүгін Алматыда жаңа мектептің ашылуына қатыстық."),
            Some("kk")
        );
        assert_eq!(
            lang("Биз бүгүн Бишкекте жаңы мектептин ачылышына катыштык."),
            Some("ky")
        );
        assert_eq!(
            lang("Бид өнөөдөр Улаанбаатарт шинэ сургуулийн нээлтэд оролцов."),
            Some("mn")
        );
        // Kyrgyz without ң: к and е, not х and э.
        assert_eq!(
            lang("Бүгүн күн ысык болду, балдар көлгө барып сүзүштү."),
            Some("ky")
        );
        assert_eq!(
            lang("Монгол улсын хүн ам өнөө жил хурдан өсөв."),
            Some("mn")
        );
        assert_eq!(
            lang("Энэ бол миний нэр юм, тэр ном унших дуртай."),
            Some("mn")
        );
    }

    #[test]
    fn russian_and_ukrainian_by_their_own_letters_the_rest_left_to_whatlang() {
        assert_eq!(
            lang("Мы сегодня были на открытии новой школы в Алматы."),
            Some("ru")
        );
        assert_eq!(
            lang("Ми сьогодні були на відкритті нової школи в Києві."),
            Some("uk")
        );
        for text in [
            "Мы сёння былі на адкрыцці новай школы ў Мінску.",
            "Данас смо били на отварању нове школе у Београду.",
            "Сегодня открыли школу.",
        ] {
            assert_eq!(classify(text), Verdict::RussianFamily, "{text}");
        }
        for text in [
            "Днес бяхме на откриването на новото училище в София.",
            "Никто не знает, сколько семей до сих пор живут без водопровода.",
        ] {
            assert_eq!(classify(text), Verdict::RussianOrBulgarian, "{text}");
        }
    }

    #[test]
    fn a_russian_text_quoting_kazakh_names_stays_russian() {
        let text = "Президент Касым-Жомарт Токаев встретился с акимом города Алматы. \
                    Встреча прошла в здании акимата на площади Республики, где обсуждали \
                    строительство новых школ, дорог и больниц в районе Қарасай.";
        assert_eq!(lang(text), Some("ru"));
    }

    #[test]
    fn tatar_and_tajik_are_unknown_not_kazakh() {
        assert_eq!(
            classify("Мин бүген яңа мәктәпкә бардым, анда җырлар җырладык."),
            Verdict::Unknown
        );
        assert_eq!(
            classify("Ман имрӯз ба мактаби нав рафтам ва ҳамаи дӯстонамро дидам."),
            Verdict::Unknown
        );
    }
}
