//! The stage on documents written for each family of the issue: what must go and what must stay.

use super::*;
use crate::config::BOILERPLATE;

/// Built once for all tests, as a run builds it once for all documents.
fn stage() -> &'static Clean {
    static STAGE: std::sync::OnceLock<Clean> = std::sync::OnceLock::new();
    STAGE.get_or_init(|| {
        let rules = BOILERPLATE.built_in();
        Clean::new(&CleanConfig::default(), &rules).unwrap()
    })
}

fn clean_as(format: Format, text: &str) -> Document {
    let doc = Document {
        text: text.to_string(),
        format,
        ..Document::default()
    };
    let out = stage().apply(doc).unwrap();
    assert_offsets_point_at_before(text, &out);
    assert_changes_replay(text, &out);
    out
}

fn clean(text: &str) -> Document {
    clean_as(Format::Text, text)
}

/// Every change to the text names what was there, at its offset in the text the stage received.
fn assert_offsets_point_at_before(src: &str, doc: &Document) {
    for c in doc.changes.iter().filter(|c| c.field.is_none()) {
        assert_eq!(
            src.get(c.at..c.at + c.before.len()),
            Some(c.before.as_str()),
            "{c:?}"
        );
    }
}

/// The audit is complete: the changes to the text, applied to the text the stage received,
/// give the text it produced, byte for byte.
fn assert_changes_replay(src: &str, doc: &Document) {
    // Past a rule's cap, edits are only counted: nothing to replay.
    if doc.changes.iter().any(|c| c.count > 1) {
        return;
    }
    let mut changes: Vec<&Change> = doc.changes.iter().filter(|c| c.field.is_none()).collect();
    changes.sort_by_key(|c| (c.at, c.before.len()));
    let mut replayed = String::new();
    let mut pos = 0;
    for c in changes {
        assert!(c.at >= pos, "{c:?} overlaps the change before it");
        replayed.push_str(&src[pos..c.at]);
        replayed.push_str(&c.after);
        pos = c.at + c.before.len();
    }
    replayed.push_str(&src[pos..]);
    assert_eq!(replayed, doc.text, "{:#?}", doc.changes);
}

fn rules_fired(doc: &Document) -> Vec<&str> {
    doc.changes.iter().map(|c| c.rule.as_ref()).collect()
}

/// The rules that fired, without the layout's white-space edits around what they removed.
fn removals(doc: &Document) -> Vec<&str> {
    let rules = rules_fired(doc).into_iter();
    rules.filter(|r| !r.starts_with("layout-")).collect()
}

const ARTICLE: &str = "Residents of Shanyrak gathered at dawn to block the bulldozers sent by the city.\n\nThe akimat declined to comment on the clashes that followed.";

fn with_tail(tail: &str) -> String {
    format!("{ARTICLE}\n\n{tail}\n")
}

fn assert_only_article(doc: &Document) {
    assert_eq!(doc.text, ARTICLE, "changes: {:#?}", doc.changes);
}

#[test]
fn wordpress_comment_form_goes() {
    let doc = clean(&with_tail(
        "Leave a Reply Cancel reply\n\nYour email address will not be published. Required fields are marked *\n\nComment *\n\nName *\n\nEmail *\n\nWebsite\n\nSave my name, email, and website in this browser for the next time I comment.\n\nNotify me of follow-up comments by email.\n\nNotify me of new posts by email.\n\nThis site uses Akismet to reduce spam. Learn how your comment data is processed.",
    ));
    assert_only_article(&doc);
}

#[test]
fn wordpress_form_lines_go_even_without_a_heading() {
    let doc = clean(&with_tail(
        "Your email address will not be published.\n\nComment *\n\nName\n\nEmail\n\nWebsite\n\nPost Comment",
    ));
    assert_only_article(&doc);
}

#[test]
fn wordpress_com_comment_form_and_responses_go() {
    let doc = clean(&with_tail(
        "3 thoughts on “Shanyrak residents resist”\n\n  1. Pingback: Shanyrak | Signalfire\n\nLeave a Reply\n\nFill in your details below or click an icon to log in:\n\nWordPress.com Logo\n\nYou are commenting using your WordPress.com account. Log\u{a0}Out\u{a0}/\u{a0} Change\u{a0})\n\nConnecting to %s",
    ));
    assert_only_article(&doc);
    assert!(rules_fired(&doc).contains(&"comments-count-block"));
}

#[test]
fn disqus_and_be_the_first_go() {
    let doc = clean(&with_tail(
        "Be the first to comment\n\nPlease enable JavaScript to view the comments powered by Disqus.",
    ));
    assert_only_article(&doc);
    let doc = clean(&with_tail("blog comments powered by Disqus"));
    assert_only_article(&doc);
}

#[test]
fn patreon_substack_and_newsletter_prompts_go() {
    for tail in [
        "Liked this article? We need your support to improve our work. Please become a Patron! and support our work\nBecome a patron at Patreon!",
        "Thanks for reading The Steppe Letter! Subscribe for free to receive new posts and support my work.\n\nGive a gift subscription\n\nSubscribe now\n\nType your email…",
        "Sign up for our newsletter to get the week's stories.\n\nEnter your email address",
        "If you enjoyed this article, please consider supporting our independent journalism with a donation.",
        "Please support our work: every donation counts.",
        "Sign up for more like this.",
    ] {
        assert_only_article(&clean(&with_tail(tail)));
    }
}

#[test]
fn share_and_like_widgets_go() {
    let doc = clean(&with_tail(
        "Share this:\n\n  * Click to share on Twitter (Opens in new window)\n  * Click to share on Facebook (Opens in new window)\n  * Click to email a link to a friend (Opens in new window)\n\nLike this:\n\nLike Loading...\n\nRelated",
    ));
    // The bullets stay only if a rule misses them: every line here is a widget.
    assert_eq!(doc.text, ARTICLE, "{:#?}", doc.changes);
}

#[test]
fn one_word_buttons_go_in_a_cluster_only() {
    let doc = clean(&with_tail("Share\n\nTweet\n\nEmail\n\nPrint"));
    assert_only_article(&doc);
    let alone = "The post was shared widely on one network.\n\nTwitter\n\nIt was the only platform the akimat used.";
    assert_eq!(clean(alone).text, alone);
}

#[test]
fn navigation_and_footer_residue_goes() {
    let doc = clean(&with_tail(
        "This entry was posted in International, Repression and tagged , , . Bookmark the permalink.\n\nPosted in News | Tagged land, protest | Leave a comment\n\nPost navigation\n\nPrevious article9/11 Five years on — Bush exploits tragedy\nNext articleProgress on climate change or just hot air?\n\nThis website uses cookies to improve your experience.\n\n© 2016 Socialist World. All rights reserved.\n\nPrivacy Policy | Terms of Service | Contact",
    ));
    assert_only_article(&doc);
}

#[test]
fn a_contents_heading_left_without_its_links_goes() {
    for head in [
        "Table of Contents",
        "In This Article",
        "On this page:",
        "Jump to",
    ] {
        let doc = clean(&format!("{head}\n\n{ARTICLE}"));
        assert_eq!(doc.text, ARTICLE, "{head}: {:#?}", doc.changes);
        assert_eq!(removals(&doc), ["contents-heading"], "{head}");
    }
    let intro = "In this article, we look at why the residents stayed.";
    let text = format!("{intro}\n\n{ARTICLE}");
    assert_eq!(clean(&text).text, text);
}

#[test]
fn ad_labels_placeholders_and_invisible_lines_go() {
    for (line, rule) in [
        ("Advertisement", "ad-label"),
        ("Sponsored", "ad-label"),
        ("\u{200d}", "invisible-line"),
        ("\u{200b}\u{feff}", "invisible-line"),
        ("Loading paragraph...", "loading-placeholder"),
        ("Last edited: Jul 9, 2022", "forum-last-edited"),
        (
            "Last edited by a moderator: Mar 3, 2024",
            "forum-last-edited",
        ),
        ("See similar questions with these tags.", "qa-site-prompts"),
        ("Improve this answer", "qa-site-prompts"),
        ("Show 2 more comments", "qa-site-prompts"),
        (
            "You must log in to answer this question.",
            "qa-site-prompts",
        ),
        ("last edited by", "forum-last-edited"),
    ] {
        let doc = clean(&format!("{line}\n\n{ARTICLE}"));
        assert_eq!(doc.text, ARTICLE, "{line:?}: {:#?}", doc.changes);
        assert_eq!(removals(&doc), [rule], "{line:?}");
    }
}

/// Each tail after the article goes, by `rule` alone.
fn assert_tails_go_by(rule: &str, tails: &[&str]) {
    for tail in tails {
        let doc = clean(&with_tail(tail));
        assert_only_article(&doc);
        assert_eq!(removals(&doc), [rule], "{tail}");
    }
}

#[test]
fn photo_credit_lines_go() {
    assert_tails_go_by(
        "photo-credit",
        &[
            "Photo: Shutterstock",
            "Image credit: © Depositphotos.com/AndrewLozovyi",
            "Credit: Getty Images / fizkes",
            "Image used under license from Shutterstock",
        ],
    );
}

#[test]
fn javascript_notices_go() {
    assert_tails_go_by(
        "javascript-notice",
        &[
            "JavaScript is disabled. For a better experience, please enable JavaScript in your browser before proceeding.",
            "You need to enable JavaScript to run this app.",
            "This slideshow requires JavaScript.",
            "Notice: JavaScript is required for this content.",
            "Please enable JavaScript.",
            "Sadly, you must enable JavaScript to get past this challenge. This is required because AI companies have changed the social contract.",
            "There may be more comments in this discussion. Without JavaScript enabled, you might want to turn on Classic Discussion System in your preferences instead.",
        ],
    );
}

#[test]
fn blogger_residue_goes_and_the_byline_becomes_the_author() {
    let doc = clean(&with_tail(
        "Posted by Aigerim Sadykova at 10:05 PM\n\nEmail ThisBlogThis!Share to TwitterShare to FacebookShare to Pinterest\n\nLabels: land, protests\n\nNo comments:\n\nPost a Comment\n\nNewer Post Older Post Home\n\nSubscribe to: Post Comments (Atom)",
    ));
    assert_only_article(&doc);
    assert_eq!(doc.author.as_deref(), Some("Aigerim Sadykova"));
}

#[test]
fn ghost_and_medium_residue_goes() {
    let doc = clean(&format!(
        "Open in app\n\nSign in\n\nMember-only story\n\n{ARTICLE}\n\nListen\n\nShare\n\nYou might also like\n\nRead more →\n\nMore from The Steppe Review\n\nRecommended from Medium"
    ));
    assert_eq!(doc.text, ARTICLE, "{:#?}", doc.changes);
}

#[test]
fn drupal_and_joomla_residue_goes_and_metadata_is_lifted() {
    let doc = clean(&format!(
        "Written by Aigerim Sadykova\n\nPublished: 21 May 2016\n\nHits: 1234\n\nPrint Email\n\n{ARTICLE}\n\nLog in or register to post comments\n\nAdd new comment\n\nPrinter-friendly version"
    ));
    assert_eq!(doc.text, ARTICLE, "{:#?}", doc.changes);
    assert_eq!(doc.author.as_deref(), Some("Aigerim Sadykova"));
    assert_eq!(doc.published.as_deref(), Some("2016-05-21"));
    let doc = clean(&with_tail("Submitted by admin on Tue, 05/24/2016 - 10:00"));
    assert_only_article(&doc);
    assert_eq!(doc.author.as_deref(), Some("admin"));
}

#[test]
fn russian_and_kazakh_prompts_go() {
    let article = "Жители Шанырака вышли на улицу, чтобы остановить снос домов.\n\nАкимат отказался комментировать события.";
    let doc = clean(&format!(
        "{article}\n\nПоделиться:\n\nБөлісу\n\nПодписывайтесь на наш канал в Telegram!\n\nЧитайте также\n\nОставить комментарий\n\nИмя *\n\nКомментарий"
    ));
    assert_eq!(doc.text, article, "{:#?}", doc.changes);
    let doc = clean(&format!("{article}\n\nПікір қалдыру\n\nПікірлер"));
    assert_eq!(doc.text, article, "{:#?}", doc.changes);
}

#[test]
fn prose_that_mentions_the_words_stays() {
    let prose = [
        "The akimat declined to comment.",
        "Many residents subscribe to the view that the land is theirs.",
        "He was a patron of the youth club for years.",
        "Share prices fell sharply after the announcement.",
        "Related to this, the mayor resigned a week later.",
        "By one o’clock, the disputed quarters were completely surrounded by police.",
        "Leave a reply at the council office, the clerk told them.",
        "Thanks for reading the statement, the lawyer said to the judge.",
        "Previous articles in this series covered Bakai.",
        "Posted in the square, the notice listed every house to be demolished.",
        "Comments from residents were collected by the akimat.",
        "Copyright law does not cover the residents' photographs.",
        "Support for the protests grew through the summer.",
        "Published on 5 May 2016, the report blamed the akimat for the evictions.",
        "Discussion",
        "The residents' lawyer wrote a long reply.",
        "Поделиться своим мнением жители не решились.",
        "Enable JavaScript in your browser settings under Site permissions.",
        "To enable JavaScript in Firefox, open about:config and set javascript.enabled to true.",
        "The site requires JavaScript developers with five years of experience.",
        "JavaScript is a programming language that runs in the browser.",
        "Sponsored by the akimat, the fair ran for a week.",
        "Advertisement boards lined the road to the square.",
        "Loading the trucks took the whole night.",
        "Last edited in 2019, the city plan still shows the houses.",
        "Photo: the square before the demolition, taken by a resident.",
        "Credit: the residents raised the money themselves, from Getty Images sales and donations.",
        "JavaScript is disabled by default in the safest mode of Tor Browser.",
    ];
    let text = prose.join("\n\n");
    let doc = clean_as(Format::Html, &text);
    assert_eq!(doc.text, text, "{:#?}", doc.changes);
}

#[test]
fn boilerplate_words_alone_in_the_middle_stay_unless_beside_boilerplate() {
    let text = "The form had three boxes.\n\nName\n\nThe first asked for a name, as any form does.";
    assert_eq!(clean_as(Format::Html, text).text, text);
}

#[test]
fn recurring_captions_go_alone_and_glued() {
    let text = "Residents gathered.\n\nkazakhstan land reforms 1During a peaceful rally, arrests were made.\n\nHe was held for 4 hours instead of three as per regulations?kazakhstan land reforms 5\n\nkazakhstan land reforms 6\n\nThe plate was kz380KP02.kazakhstan land reforms 2\n\nThe old man spoke.\u{a0} kazakhstan land reforms 3";
    let doc = clean_as(Format::Html, text);
    assert_eq!(
        doc.text,
        "Residents gathered.\n\nDuring a peaceful rally, arrests were made.\n\nHe was held for 4 hours instead of three as per regulations?\n\nThe plate was kz380KP02.\n\nThe old man spoke."
    );
    assert_eq!(
        rules_fired(&doc)
            .iter()
            .filter(|r| **r == "caption-residue")
            .count(),
        5
    );
}

#[test]
fn headings_with_numbers_are_not_captions() {
    let text = "World War 1\n\nThe first war.\n\nWorld War 2\n\nThe second war ended in 1945.\n\nChapter 3\n\nAfter the wars.";
    assert_eq!(clean_as(Format::Html, text).text, text);
}

#[test]
fn metadata_lines_fill_fields_and_leave_the_text() {
    let doc = clean(&format!(
        "Police Pick up Troublemakers\n\nAuthor: [Gaziza Baituova](#)\n\n{ARTICLE}\n\nOriginally published on 22.05.2016 on the website of the movement.\n\nSource URL: <https://iwpr.net/global-voices/police>\n"
    ));
    assert_eq!(doc.text, ARTICLE);
    assert_eq!(doc.title.as_deref(), Some("Police Pick up Troublemakers"));
    assert_eq!(doc.author.as_deref(), Some("Gaziza Baituova"));
    assert_eq!(doc.published.as_deref(), Some("2016-05-22"));
    assert_eq!(
        doc.url.as_deref(),
        Some("https://iwpr.net/global-voices/police")
    );
    let fields: Vec<_> = doc
        .changes
        .iter()
        .filter_map(|c| c.field.as_deref())
        .collect();
    assert_eq!(fields, ["title", "author", "published", "url"]);
}

#[test]
fn known_fields_are_not_overwritten_but_the_line_still_goes() {
    let doc = Document {
        text: format!("{ARTICLE}\n\nSource URL: <https://example.org/other>"),
        url: Some("https://example.org/fetched".into()),
        author: Some("Extractor".into()),
        ..Document::default()
    };
    let out = stage().apply(doc).unwrap();
    assert_eq!(out.text, ARTICLE);
    assert_eq!(out.url.as_deref(), Some("https://example.org/fetched"));
    assert!(out.changes.iter().all(|c| c.field.is_none()));
}

#[test]
fn the_headline_becomes_the_title_with_plain_spaces_and_repeats_go() {
    let doc = clean(&format!(
        "May 21: Arrests at a Rally against the Sale of\u{a0}Land\n\nMay 21: Arrests at a Rally against the Sale of Land\n\n{ARTICLE}"
    ));
    assert_eq!(
        doc.title.as_deref(),
        Some("May 21: Arrests at a Rally against the Sale of Land")
    );
    assert_eq!(doc.text, ARTICLE);
    assert!(rules_fired(&doc).contains(&"title-duplicate"));
}

#[test]
fn sentences_and_html_first_lines_are_not_titles() {
    let doc = clean(ARTICLE);
    assert_eq!(doc.title, None);
    let doc = clean_as(Format::Html, &format!("Short Heading\n\n{ARTICLE}"));
    assert_eq!(doc.title, None);
    assert!(doc.text.starts_with("Short Heading"));
}

#[test]
fn hard_wrapped_lines_are_joined_but_addresses_and_lists_stay() {
    let text = "Riot police repelled.\n\nSurrounding several quarters, and with bulldozers, the police\nattempted to begin the demolition of homes. But dozens of women and\npensioners surrounded the vehicles and prevented them from moving.\n\nProtests should be sent to:\nThe Office of the Mayor of Almaty, Imangali Tasmagambetov\nTel: +7 327 271 6557 Fax: +7 327 293 4710\nFax: +7 327 254 4195\n\nWe demand the following of the city authorities and the court:\n- an immediate end to all evictions in Shanyrak and Bakai\n- compensation for every family whose home was destroyed";
    let doc = clean(text);
    assert_eq!(
        doc.text,
        "Riot police repelled.\n\nSurrounding several quarters, and with bulldozers, the police attempted to begin the demolition of homes. But dozens of women and pensioners surrounded the vehicles and prevented them from moving.\n\nProtests should be sent to:\nThe Office of the Mayor of Almaty, Imangali Tasmagambetov\nTel: +7 327 271 6557 Fax: +7 327 293 4710\nFax: +7 327 254 4195\n\nWe demand the following of the city authorities and the court:\n- an immediate end to all evictions in Shanyrak and Bakai\n- compensation for every family whose home was destroyed"
    );
    assert_eq!(
        rules_fired(&doc)
            .iter()
            .filter(|r| **r == "layout-unwrap")
            .count(),
        2
    );
    let html = clean_as(Format::Html, text);
    assert_eq!(html.text, text, "extracted HTML keeps its line breaks");
}

#[test]
fn paragraphs_broken_mid_sentence_are_rejoined_and_blank_runs_collapse() {
    let text = "\n\nIt's clear that a turning point has been reached in the minds of these suburban\n\nresidents, and that the conflict will intensify.\n\n\n\n\nKurmanov believes it.\n\nThe campaign continues\n\nProtests against the repression continue.\n   \n";
    let doc = clean_as(Format::Html, text);
    assert_eq!(
        doc.text,
        "It's clear that a turning point has been reached in the minds of these suburban residents, and that the conflict will intensify.\n\nKurmanov believes it.\n\nThe campaign continues\n\nProtests against the repression continue."
    );
    let rules = rules_fired(&doc);
    for r in ["layout-rejoin", "layout-blank-lines", "layout-trim"] {
        assert!(rules.contains(&r), "{r} in {rules:?}");
    }
}

#[test]
fn mojibake_is_repaired_and_recorded() {
    let doc = clean_as(
        Format::Html,
        "Almatyâ€™s mayor said â€œnoâ€\u{9d} to the residents.",
    );
    assert_eq!(doc.text, "Almaty’s mayor said “no” to the residents.");
    let c = doc
        .changes
        .iter()
        .find(|c| c.rule == "mojibake-cp1252")
        .unwrap();
    assert_eq!((c.before.as_str(), c.after.as_str(), c.at), ("â€™", "’", 6));
}

#[test]
fn mojibake_repair_can_be_turned_off() {
    let rules = BOILERPLATE.built_in();
    let config = CleanConfig {
        repair_mojibake: false,
        ..CleanConfig::default()
    };
    let doc = Document {
        text: "Almatyâ€™s".into(),
        ..Document::default()
    };
    assert_eq!(
        Clean::new(&config, &rules)
            .unwrap()
            .apply(doc)
            .unwrap()
            .text,
        "Almatyâ€™s"
    );
}

#[test]
fn block_rules_apply_only_near_the_end() {
    let body: Vec<String> = (0..60)
        .map(|i| format!("Paragraph {i} of the report on the evictions."))
        .collect();
    let text = format!(
        "{}\n\nComments\n\n{}",
        body[..5].join("\n\n"),
        body[5..].join("\n\n")
    );
    let doc = clean_as(Format::Html, &text);
    assert!(
        doc.text.contains("Paragraph 59"),
        "a heading far from the end starts no block"
    );
}

#[test]
fn user_rules_cut_prefixes_and_suffixes() {
    let rules = RuleSource::named(
        "mine.toml",
        "[[rule]]\nid = \"ad\"\nkind = \"cut-prefix\"\npattern = 'ADVERTISEMENT\\s*'\ncase_sensitive = true\n\n[[rule]]\nid = \"more\"\nkind = \"cut-suffix\"\npattern = '\\[more\\]'\n",
    );
    let clean = Clean::new(&CleanConfig::default(), &rules).unwrap();
    let text = "ADVERTISEMENTThe mayor spoke.\n\nResidents listened.[more]";
    let doc = Document {
        text: text.into(),
        format: Format::Html,
        ..Document::default()
    };
    let out = clean.apply(doc).unwrap();
    assert_eq!(out.text, "The mayor spoke.\n\nResidents listened.");
    assert_offsets_point_at_before(text, &out);
    assert_eq!(rules_fired(&out), ["ad", "more"]);
}

#[test]
fn glued_read_more_is_cut_from_the_paragraph() {
    let doc = clean_as(
        Format::Html,
        "The akimat said it would appeal.Continue reading →",
    );
    assert_eq!(doc.text, "The akimat said it would appeal.");
}

#[test]
fn empty_and_boilerplate_only_documents_do_not_panic() {
    assert_eq!(clean("").text, "");
    assert_eq!(clean("\n\n  \n").text, "");
    assert_eq!(clean("Leave a Reply\n\nConnecting to %s").text, "");
}

#[test]
fn the_config_file_section_matches_the_defaults() {
    let settings: crate::config::Settings =
        toml::from_str(crate::config::DEFAULT_PIPELINE_TOML).unwrap();
    assert_eq!(settings.clean, CleanConfig::default());
}

const SEEDS: [&str; 5] = [
    include_str!("../../../raw/000_b2e5edbb9fa5ecc0.txt"),
    include_str!("../../../raw/001_94918a37a68b0510.txt"),
    include_str!("../../../raw/002_d6970df71a13f17a.txt"),
    include_str!("../../../raw/003_22a4f4f294634bac.txt"),
    include_str!("../../../raw/004_2c07c07115de2ca4.txt"),
];

#[test]
fn seed_changes_point_at_their_text_and_a_second_pass_changes_nothing() {
    for seed in SEEDS {
        let once = clean(seed);
        let changes = once.changes.len();
        let twice = stage().apply(once.clone()).unwrap();
        assert_eq!(twice.text, once.text);
        assert_eq!(
            twice.changes.len(),
            changes,
            "{:#?}",
            &twice.changes[changes..]
        );
    }
}

proptest::proptest! {
    #[test]
    fn any_text_is_cleaned_without_panic_and_with_true_offsets(
        lines in proptest::collection::vec(
            "(Leave a Reply|Share this:|Like Loading…|kazakhstan land reforms [1-9]|photo set [1-4]Photo set [1-4]|photo set [1-4]\u{a0}photo set [1-4]|Almatyâ€™s|Author: \\[A B\\]\\(#\\)|Tel: 1|\u{a0}|[a-zA-Zа-я ,.’]{0,80}|)",
            0..30,
        ),
        html in proptest::bool::ANY,
    ) {
        let text = lines.join("\n");
        let format = if html { Format::Html } else { Format::Text };
        let doc = clean_as(format, &text);
        proptest::prop_assert!(!doc.text.contains("\n\n\n"));
        proptest::prop_assert_eq!(doc.text.trim(), doc.text.as_str());
    }
}

/// A plain-text document through the built-in rules under `config`.
fn clean_under(config: CleanConfig, text: &str) -> Document {
    let doc = Document {
        text: text.into(),
        ..Document::default()
    };
    let rules = BOILERPLATE.built_in();
    Clean::new(&config, &rules).unwrap().apply(doc).unwrap()
}

#[test]
fn mojibake_in_a_lifted_title_or_byline_stays_when_repair_is_off() {
    let title = |repair_mojibake: bool| {
        let config = CleanConfig {
            repair_mojibake,
            ..CleanConfig::default()
        };
        let text = "Almatyâ€™s Mayor Resigns\n\nBy Jane Smith\n\nThe mayor resigned on Monday.";
        clean_under(config, text).title
    };
    assert_eq!(title(false).as_deref(), Some("Almatyâ€™s Mayor Resigns"));
    assert_eq!(title(true).as_deref(), Some("Almaty’s Mayor Resigns"));
}

#[test]
fn no_head_or_tail_lines_means_no_head_or_tail_rule_applies() {
    let author = |head_lines: usize| {
        let config = CleanConfig {
            head_lines,
            ..CleanConfig::default()
        };
        clean_under(
            config,
            "By Jane Smith\n\nThe mayor resigned on Monday, the city said.",
        )
        .author
    };
    assert_eq!(author(0), None);
    assert_eq!(author(1).as_deref(), Some("Jane Smith"));
}

#[test]
fn a_removal_past_its_cap_is_not_taken_for_an_inserted_separator() {
    let config = CleanConfig {
        max_changes_per_rule: 1,
        ..CleanConfig::default()
    };
    let rules = BOILERPLATE.built_in();
    let doc = Document {
        text: "Advertisement\n\nThe akimat declined.\n\nAdvertisement\n\nThe police left.".into(),
        format: Format::Html,
        ..Document::default()
    };
    let out = Clean::new(&config, &rules).unwrap().apply(doc).unwrap();
    assert_eq!(out.text, "The akimat declined.\n\nThe police left.");
    let ads: Vec<&Change> = out
        .changes
        .iter()
        .filter(|c| c.rule == "ad-label")
        .collect();
    assert_eq!((ads.len(), ads[0].count), (1, 2), "{:#?}", out.changes);
    assert!(
        out.changes.iter().all(|c| !c.before.is_empty()),
        "{:#?}",
        out.changes
    );
}
