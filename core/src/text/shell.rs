//! The terminal's own words: why a typed line was not run. What the shell and its tools print
//! stays as they print it (English, as on a real node).

use super::{Language, Say};
use crate::shell::{Refused, WordsError, MAX_LINE};

impl Say for Refused {
    fn say(&self, language: Language) -> String {
        match self {
            Refused::Words(WordsError::TooLong(bytes)) => language.either(
                || format!("the line is {bytes} bytes long; the terminal takes lines of up to {MAX_LINE} bytes"),
                || format!("줄이 {bytes}바이트입니다. 터미널은 {MAX_LINE}바이트까지의 줄만 받습니다"),
            ),
            Refused::Words(WordsError::Unterminated(quote)) => language.either(
                || format!("the quote {quote} is not closed before the end of the line"),
                || format!("따옴표({quote})가 줄이 끝나기 전에 닫히지 않았습니다"),
            ),
            Refused::Words(WordsError::Operator(operator)) => language.either(
                || format!("this terminal runs one command per line, without pipes, lists or redirections: {operator} is not supported"),
                || format!("이 터미널은 한 줄에 명령 하나를 파이프, 목록, 리디렉션 없이 실행합니다. {operator} 기호는 지원하지 않습니다"),
            ),
            Refused::NoShell => language.either(
                || "the shell has exited (or was killed): open a new one".into(),
                || "셸이 끝났습니다(또는 죽었습니다). 새 셸을 여세요".into(),
            ),
            Refused::NotInThisBuild => language.either(
                || "this page has no terminal yet: type the line in pauselab demo --shell".into(),
                || "이 페이지에는 아직 터미널이 없습니다. pauselab demo --shell에서 입력하세요".into(),
            ),
            Refused::WouldBlock => language.either(
                || "a job is still running: wait would wait until it ends, and the model's time does not pass by itself; end it first (kill)".into(),
                || "아직 실행 중인 작업이 있습니다. wait는 그 작업이 끝날 때까지 기다리는데, 모델의 시간은 저절로 흐르지 않습니다. 먼저 kill로 끝내세요".into(),
            ),
        }
    }
}

/// A typed line as a terminal shows it: the prompt's `$`, the line, then what it printed, or
/// why the terminal did not run it.
pub fn transcript(line: &str, said: &Result<(String, u8), Refused>, language: Language) -> String {
    match said {
        Ok((output, _)) => format!("$ {line}\n{output}"),
        Err(refused) => format!("$ {line}\npauselab: {}\n", refused.say(language)),
    }
}
