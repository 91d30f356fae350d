//! Korean particles chosen by the word before them: 은/는, 이/가, 을/를, 와/과, 으로/로. The
//! choice follows the last sound of the word as a Korean reader says it — the final consonant
//! (받침) of its last Hangul syllable, or of the last digit or letter as they are read aloud
//! ("pid 3" ends in 삼, "app" in 앱, "pod" in 파드).

/// A particle that has two forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Particle {
    /// Topic: 은 after a final consonant, 는 after a vowel.
    Topic,
    /// Subject: 이 / 가.
    Subject,
    /// Object: 을 / 를.
    Object,
    /// "and, with": 과 / 와.
    And,
    /// "to, as, with": 으로 / 로 (로 after ㄹ as after a vowel).
    Toward,
    /// "called": 이라는 / 라는.
    Named,
}

/// How a word ends, as far as particles care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    Vowel,
    /// A final consonant other than ㄹ.
    Consonant,
    /// ㄹ, which takes 로 like a vowel.
    Rieul,
}

/// `word` followed by the form of `particle` that fits it.
pub fn with(word: &str, particle: Particle) -> String {
    let mut out = String::with_capacity(word.len() + 6);
    out.push_str(word);
    out.push_str(particle_for(word, particle));
    out
}

/// The form of `particle` that fits after `word`.
pub fn particle_for(word: &str, particle: Particle) -> &'static str {
    let ending = ending(word);
    let consonant = ending != Ending::Vowel;
    match particle {
        Particle::Topic => pick(consonant, "은", "는"),
        Particle::Subject => pick(consonant, "이", "가"),
        Particle::Object => pick(consonant, "을", "를"),
        Particle::And => pick(consonant, "과", "와"),
        Particle::Toward => pick(ending == Ending::Consonant, "으로", "로"),
        Particle::Named => pick(consonant, "이라는", "라는"),
    }
}

fn pick(consonant: bool, after_consonant: &'static str, after_vowel: &'static str) -> &'static str {
    if consonant {
        after_consonant
    } else {
        after_vowel
    }
}

/// The last sound of a word: from its last Hangul syllable, number or Latin word, skipping
/// what is not read (brackets, quotes, punctuation).
fn ending(word: &str) -> Ending {
    let trimmed = word.trim_end_matches(|c: char| !c.is_alphanumeric() && !is_hangul(c));
    let Some(last) = trimmed.chars().next_back() else {
        return Ending::Vowel;
    };
    if is_hangul(last) {
        return match (last as u32 - 0xAC00) % 28 {
            0 => Ending::Vowel,
            8 => Ending::Rieul,
            _ => Ending::Consonant,
        };
    }
    if last.is_ascii_digit() {
        let digits: String = trimmed
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return number_ending(&digits);
    }
    let letters: String = trimmed
        .chars()
        .rev()
        .take_while(char::is_ascii_alphabetic)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_ascii_lowercase();
    latin_ending(&letters)
}

fn is_hangul(c: char) -> bool {
    ('가'..='힣').contains(&c)
}

/// A number as it is read in Sino-Korean: its last digit (일, 이, 삼…), or the unit its zeros
/// make (십, 백, 천, 만, 억, 조).
fn number_ending(digits: &str) -> Ending {
    let significant = digits.trim_start_matches('0');
    if significant.is_empty() {
        return Ending::Consonant; // 영
    }
    let zeros = significant.len() - significant.trim_end_matches('0').len();
    if zeros == 0 {
        // 일 이 삼 사 오 육 칠 팔 구
        return match significant.as_bytes()[significant.len() - 1] {
            b'1' | b'7' | b'8' => Ending::Rieul,
            b'3' | b'6' => Ending::Consonant,
            _ => Ending::Vowel,
        };
    }
    match zeros % 4 {
        1 => Ending::Consonant, // 십
        2 => Ending::Consonant, // 백
        3 => Ending::Consonant, // 천
        // 만 (4), 억 (8), 조 (12)
        _ if zeros % 12 == 0 => Ending::Vowel,
        _ => Ending::Consonant,
    }
}

/// A Latin word as Koreans say it: a final b, k, m, n, p, t, ng (웹, 픽, 심, 런, 앱, 캣, 싱)
/// or l (ㄹ: 셸) ends in a consonant; vowels and the letters Korean spells with a following
/// vowel (d 드, g 그, s 스, x 스, r 어…) do not. A single letter is read as its name (d 디).
fn latin_ending(word: &str) -> Ending {
    let bytes = word.as_bytes();
    let Some(&last) = bytes.last() else {
        return Ending::Vowel;
    };
    if bytes.len() == 1 {
        // Letter names: 엘 (l), 엠 (m), 엔 (n), and the rest end in a vowel (에이, 비, 씨…).
        return match last {
            b'l' => Ending::Rieul,
            b'm' | b'n' => Ending::Consonant,
            _ => Ending::Vowel,
        };
    }
    match last {
        b'l' => Ending::Rieul,
        b'g' if word.ends_with("ng") => Ending::Consonant,
        b'b' | b'k' | b'm' | b'n' | b'p' | b't' => Ending::Consonant,
        b'c' if !word.ends_with("nc") => Ending::Consonant,
        _ => Ending::Vowel,
    }
}

#[cfg(test)]
mod tests {
    use super::Particle::*;
    use super::*;

    #[test]
    fn hangul_words_by_their_final_consonant() {
        assert_eq!(with("파드", Topic), "파드는");
        assert_eq!(with("컨테이너", Subject), "컨테이너가");
        assert_eq!(with("네임스페이스", Object), "네임스페이스를");
        assert_eq!(with("좀비", And), "좀비와");
        assert_eq!(with("부모", Toward), "부모로");
        assert_eq!(with("자식", Topic), "자식은");
        assert_eq!(with("샌드박스", Subject), "샌드박스가");
        assert_eq!(with("시그널", Toward), "시그널로", "ㄹ takes 로");
        assert_eq!(with("셸", Object), "셸을");
        assert_eq!(with("프로세스", And), "프로세스와");
        assert_eq!(with("init", Toward), "init으로");
        assert_eq!(with("job", Named), "job이라는");
        assert_eq!(with("worker", Named), "worker라는");
    }

    #[test]
    fn numbers_as_they_are_read() {
        assert_eq!(with("pid 3", Topic), "pid 3은", "삼");
        assert_eq!(with("pid 2", Topic), "pid 2는", "이");
        assert_eq!(with("1", Toward), "1로", "일: ㄹ");
        assert_eq!(with("6", Subject), "6이", "육");
        assert_eq!(with("10", Subject), "10이", "십");
        assert_eq!(with("20", Object), "20을", "이십");
        assert_eq!(with("100", And), "100과", "백");
        assert_eq!(with("10000", Topic), "10000은", "만");
        assert_eq!(with("0", Subject), "0이", "영");
        assert_eq!(with("137", Topic), "137은", "칠: ㄹ");
        assert_eq!(with("#12", Topic), "#12는", "십이");
        assert_eq!(
            with("pid:[4026531836]", Topic),
            "pid:[4026531836]은",
            "육, brackets unread"
        );
    }

    #[test]
    fn latin_words_as_koreans_say_them() {
        assert_eq!(with("app", Topic), "app은", "앱");
        assert_eq!(with("web/app", And), "web/app과");
        assert_eq!(with("job", Topic), "job은", "잡");
        assert_eq!(with("pod", Topic), "pod는", "파드");
        assert_eq!(with("pause", Subject), "pause가", "포즈");
        assert_eq!(with("nginx", Object), "nginx를", "엔진엑스");
        assert_eq!(with("shim", Topic), "shim은", "심");
        assert_eq!(with("sh", Subject), "sh가");
        assert_eq!(with("SIGTERM", Object), "SIGTERM을", "시그텀");
        assert_eq!(with("SIGKILL", Toward), "SIGKILL로", "시그킬: ㄹ");
        assert_eq!(with("SIGCHLD", Object), "SIGCHLD를", "시그차일드");
        assert_eq!(with("runc", Subject), "runc가", "런씨");
        assert_eq!(with("containerd", Topic), "containerd는");
        assert_eq!(with("init", Subject), "init이", "이닛");
        assert_eq!(with("worker", Topic), "worker는");
        assert_eq!(with("x", Topic), "x는");
        assert_eq!(with("m", Topic), "m은", "엠");
        assert_eq!(with("", Topic), "는");
    }
}
