//! The catalog's own checks; the views' tests play every scenario, act and refusal in both
//! languages (web/src/state/tests.rs, native's demo tests).

use super::{Language, Page, Say};
use crate::rule::Rule;

/// Whether a sentence reads as Korean: it has Hangul.
fn has_hangul(text: &str) -> bool {
    text.chars().any(|c| ('가'..='힣').contains(&c))
}

#[test]
fn every_rule_is_summarized_in_both_languages() {
    for rule in Rule::ALL {
        let (en, ko) = (rule.say(Language::English), rule.say(Language::Korean));
        assert!(!en.is_empty() && !has_hangul(&en), "{rule}: {en}");
        assert!(has_hangul(&ko), "{rule}: {ko}");
    }
}

#[test]
fn every_page_label_has_both_languages() {
    let (en, ko) = (Page::of(Language::English), Page::of(Language::Korean));
    assert_ne!(en.title.len() + en.question.len(), 0);
    assert!(has_hangul(ko.question) && has_hangul(ko.event_log));
}
