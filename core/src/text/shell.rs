//! The terminal's own words: why a typed line was not run. What the shell and its tools print
//! stays as they print it (English, as on a real node).

#[cfg(feature = "shell")]
use super::josa::Particle::{Object, Topic};
#[cfg(feature = "shell")]
use super::ko;
use super::{Language, Say};
use crate::shell::{NotModelled, Refused};
#[cfg(feature = "shell")]
use crate::shell::{WordsError, MAX_LINE};

/// Without the terminal's commands (the page), no line is run: the one refusal there is the
/// build's, for a typed line that comes without its record (a scenario file's, or a link
/// written by hand). The page's terminal runs lines in a module of its own.
#[cfg(not(feature = "shell"))]
impl Say for Refused {
    fn say(&self, language: Language) -> String {
        not_in_this_build(language)
    }
}

fn not_in_this_build(language: Language) -> String {
    language.either(
        || "this line came without what it did, and the page does not run lines itself: type it in the terminal (or in pauselab demo --shell)".into(),
        || "이 줄에는 실행 결과가 함께 오지 않았고, 페이지는 줄을 직접 실행하지 않습니다. 터미널(또는 pauselab demo --shell)에서 입력하십시오".into(),
    )
}

#[cfg(feature = "shell")]
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
            Refused::NotInThisBuild => not_in_this_build(language),
            Refused::NotModelled(what) => what.say(language),
            Refused::WouldBlock => language.either(
                || "a job is still running: wait would wait until it ends, and the model's time does not pass by itself; end it first (kill)".into(),
                || "아직 실행 중인 작업이 있습니다. wait는 그 작업이 끝날 때까지 기다리는데, 모델의 시간은 저절로 흐르지 않습니다. 먼저 kill로 끝내세요".into(),
            ),
        }
    }
}

/// Without the terminal's commands (the page), no line gets as far as a tool: a refusal of this
/// kind can only come from elsewhere, and is said as the terminal's absence.
#[cfg(not(feature = "shell"))]
impl Say for NotModelled {
    fn say(&self, language: Language) -> String {
        not_in_this_build(language)
    }
}

#[cfg(feature = "shell")]
impl Say for NotModelled {
    fn say(&self, language: Language) -> String {
        match self {
            NotModelled::Command(command) if command.is_empty() => language.either(
                || "docker needs a command: the model runs docker run -d, create, start, ps, inspect, rm, stop, kill and exec -it".into(),
                || "docker 뒤에 명령을 붙이세요. 모델은 docker run -d, create, start, ps, inspect, rm, stop, kill, exec -it를 실행합니다".into(),
            ),
            NotModelled::Command(command) => language.either(
                || format!("docker {command} is a real command the model does not have yet: it runs docker run -d, create, start, ps, inspect, rm, stop, kill and exec -it"),
                || format!("{} 실제 명령이지만 모델에는 아직 없습니다. 모델은 docker run -d, create, start, ps, inspect, rm, stop, kill, exec -it를 실행합니다", ko(format!("docker {command}"), Topic)),
            ),
            NotModelled::Flag(flag) => language.either(
                || format!("{flag} is a real flag the model does not have: nothing was run"),
                || format!("{} 실제 플래그이지만 모델에는 없습니다. 아무것도 실행하지 않았습니다", ko(flag, Topic)),
            ),
            NotModelled::Attached => language.either(
                || "docker run without -d stays attached until the container ends, and the model's time does not pass by itself: use docker run -d".into(),
                || "-d 없는 docker run은 컨테이너가 끝날 때까지 붙어 있는데, 모델의 시간은 저절로 흐르지 않습니다. docker run -d를 쓰세요".into(),
            ),
            NotModelled::Image(image) => language.either(
                || format!("the model has no registry and does not know the image {image}: give the command to run after it (docker run -d {image} sleep 1000), or use nginx, busybox, alpine, debian, ubuntu or registry.k8s.io/pause"),
                || format!("모델에는 레지스트리가 없어서 이미지 {} 모릅니다. 이미지 뒤에 실행할 명령을 주거나(docker run -d {image} sleep 1000), nginx, busybox, alpine, debian, ubuntu, registry.k8s.io/pause를 쓰세요", ko(image, Object)),
            ),
            NotModelled::Template(action) => language.either(
                || format!("the template action {{{{{action}}}}} is real Go, but the model runs only field paths and json"),
                || format!("템플릿 동작 {{{{{action}}}}}: 올바른 Go 템플릿이지만, 모델은 필드 경로와 json만 실행합니다"),
            ),
            NotModelled::Field(field) => language.either(
                || format!("docker has the field {field}, the model does not"),
                || format!("docker에는 {field} 필드가 있지만 모델에는 없습니다"),
            ),
            NotModelled::Kubectl(command) if command.is_empty() => language.either(
                || "kubectl needs a command: the model runs kubectl get pods, run, exec -it and delete pod".into(),
                || "kubectl 뒤에 명령을 붙이세요. 모델은 kubectl get pods, run, exec -it, delete pod를 실행합니다".into(),
            ),
            NotModelled::Kubectl(command) => language.either(
                || format!("kubectl {command} is real, but not in the model: it runs kubectl get pods, run, exec -it and delete pod"),
                || format!("{} 실제 명령이지만 모델에는 없습니다. 모델은 kubectl get pods, run, exec -it, delete pod를 실행합니다", ko(format!("kubectl {command}"), Topic)),
            ),
            NotModelled::Exec(command) => language.either(
                || format!("the model's exec opens a shell (kubectl exec -it POD -- sh, docker exec -it NAME sh): type {command} in it"),
                || format!("모델의 exec는 셸을 엽니다(kubectl exec -it POD -- sh, docker exec -it NAME sh). 그 안에서 {command} 명령을 입력하세요"),
            ),
            NotModelled::Value { flag, value } => language.either(
                || format!("the model does not take {flag} {value}"),
                || format!("모델은 {flag} {value} 값을 받지 않습니다"),
            ),
            NotModelled::Print(field) => language.either(
                || format!("{{{{{field}}}}} is an object: the model prints one only with {{{{json {field}}}}}"),
                || format!("{{{{{field}}}}} 값은 객체입니다. 모델은 객체를 {{{{json {field}}}}}로만 출력합니다"),
            ),
            NotModelled::Override(field) => language.either(
                || format!("the model's --overrides takes true or false for spec.shareProcessNamespace, hostPID, hostNetwork and hostIPC, not {field}"),
                || format!("모델의 --overrides는 spec.shareProcessNamespace, hostPID, hostNetwork, hostIPC에 true나 false만 받습니다. {field} 값은 받지 않습니다"),
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
