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

#[test]
fn the_korean_rule_tells_leaks_from_quotes_and_commands() {
    use super::{debug_shape, english_leak};
    assert_eq!(english_leak("2 forked 12 (NSpid 12)"), None, "one word");
    assert_eq!(
        english_leak("SIGTERM from 2 to 6: killed it"),
        Some("from killed".into())
    );
    assert_eq!(
        english_leak("grace period over, sending SIGKILL"),
        Some("grace period over sending".into())
    );
    assert_eq!(
        english_leak("kubectl exec web -c app -- sh"),
        None,
        "a command"
    );
    assert_eq!(
        english_leak("docker가 거부했습니다 — “non-shareable IPC (hint: use it)”"),
        None
    );
    assert_eq!(
        english_leak("[2] waitpid(-1, &status, WNOHANG)"),
        None,
        "a syscall"
    );
    assert_eq!(
        debug_shape("containers [Pid(25991), Pid(25992)]"),
        Some("Pid(25991), Pid(25992)]".into())
    );
    assert!(debug_shape("Zombie(Exited(0))").is_some());
    assert!(debug_shape("expected Some(3)").is_some());
    assert!(debug_shape("Sharing { kind: Net }").is_some());
    assert_eq!(
        debug_shape("SIGKILL(9) from the node"),
        None,
        "a signal's number"
    );
    assert_eq!(debug_shape("pid:[4026531836] init(1)"), None);
    assert_eq!(debug_shape("K17 — pid_namespaces(7)"), None);
}
