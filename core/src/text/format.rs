//! Why a file cannot be opened: its JSON, what in it does not hold together, and the format's
//! own errors.

use super::josa::Particle::{Object, Subject, Topic};
use super::model::display_in_english;
use super::{ko, Language, Say};
use crate::error::ModelError;
use crate::format::{FormatError, Inconsistency, JsonError, Listed};

display_in_english!(FormatError, Inconsistency, JsonError);

impl Say for JsonError {
    fn say(&self, language: Language) -> String {
        let JsonError {
            line,
            column,
            syntax,
            detail,
        } = self;
        if *syntax {
            return language.either(
                || format!("not JSON: {detail} (line {line}, column {column})"),
                || format!("JSON이 아닙니다: {line}행 {column}열에서 문법이 맞지 않습니다"),
            );
        }
        language.either(
            || format!("not a pauselab file: {detail} (line {line}, column {column})"),
            || {
                format!(
                    "pauselab 파일의 모양이 아닙니다({line}행 {column}열): {}",
                    json_detail_ko(detail)
                )
            },
        )
    }
}

/// serde_json's usual complaints, in Korean; names of fields and values stay as written.
fn json_detail_ko(detail: &str) -> String {
    let quoted = |text: &str| text.split('`').nth(1).unwrap_or("").to_owned();
    if detail.starts_with("missing field") {
        format!(
            "필드 {} 없습니다",
            ko(format!("`{}`", quoted(detail)), Subject)
        )
    } else if detail.starts_with("unknown field") {
        format!(
            "알 수 없는 필드 {} 있습니다",
            ko(format!("`{}`", quoted(detail)), Subject)
        )
    } else if detail.starts_with("unknown variant") {
        format!("알 수 없는 값 `{}`입니다", quoted(detail))
    } else if detail.starts_with("duplicate field") {
        format!(
            "필드 {} 두 번 나옵니다",
            ko(format!("`{}`", quoted(detail)), Subject)
        )
    } else if detail.starts_with("invalid type") || detail.starts_with("invalid value") {
        "값의 형식이 맞지 않습니다".to_owned()
    } else if detail.starts_with("invalid length") {
        "목록의 길이가 맞지 않습니다".to_owned()
    } else {
        "구조가 맞지 않습니다".to_owned()
    }
}

fn listed(process: &Listed, language: Language) -> String {
    language.either(
        || format!("process {} ({})", process.pid, process.comm),
        || format!("프로세스 {}({})", process.pid, process.comm),
    )
}

impl Say for Inconsistency {
    fn say(&self, language: Language) -> String {
        use Inconsistency as I;
        match self {
            I::PidMax { pid_max } => language.either(
                || format!("pid_max {pid_max} must be above 300 and at most 4194304, the kernel's limit"),
                || format!("pid_max {} 300보다 크고 커널의 한계인 4194304 이하여야 합니다", ko(pid_max, Topic)),
            ),
            I::FlatNamespaceWithParent { kind, ns } => language.either(
                || format!("{kind} namespace {ns} cannot have a parent (field parent)"),
                || format!("{kind} 네임스페이스 {ns}에는 부모(parent 필드)가 있을 수 없습니다"),
            ),
            I::NamespaceListedTwice { ns } => language.either(
                || format!("namespace {ns} is listed twice"),
                || format!("네임스페이스 {} 두 번 나옵니다", ko(ns, Subject)),
            ),
            I::RootPidNamespaces { found } => language.either(
                || format!("expected exactly one pid namespace without a parent, found {found}"),
                || format!("부모가 없는 pid 네임스페이스는 정확히 하나여야 하는데 {found}개입니다"),
            ),
            I::NextNsIdNotAbove { next, highest } => language.either(
                || format!("next_ns_id {next} is not above the highest namespace {highest}"),
                || format!("next_ns_id {} 가장 큰 네임스페이스 식별자 {highest}보다 커야 합니다", ko(next, Topic)),
            ),
            I::NextNsIdBeyond { next } => language.either(
                || format!("next_ns_id {next} is beyond the last namespace identity {}", u32::MAX),
                || format!("next_ns_id {} 마지막 네임스페이스 식별자 {} 넘습니다", ko(next, Topic), ko(u32::MAX, Object)),
            ),
            I::EmptyNspid { process } => language.either(
                || format!("process {} has an empty nspid", process.comm),
                || format!("프로세스 {}의 nspid가 비어 있습니다", process.comm),
            ),
            I::HostPidTwiceOrZero { process } => language.either(
                || format!("host pid {} is listed twice or is 0 (nspid of {})", process.pid, process.comm),
                || format!("호스트 pid {} 두 번 나오거나 0입니다({}의 nspid)", ko(process.pid, Subject), process.comm),
            ),
            I::WrongKind { process, ns, is, expected } => {
                let who = listed(process, language);
                language.either(
                    || format!("{who}: {ns} is a {is} namespace, not {expected}"),
                    || format!("{who}: {} {expected} 네임스페이스가 아니라 {is} 네임스페이스입니다", ko(ns, Topic)),
                )
            }
            I::NamespaceNotListed { process, kind, ns } => {
                let who = listed(process, language);
                language.either(
                    || format!("{who}: its {kind} namespace {ns} is not listed"),
                    || format!("{who}: {kind} 네임스페이스 {} 목록에 없습니다", ko(ns, Subject)),
                )
            }
            I::ForChildrenNotListed { process, kind, ns } => {
                let who = listed(process, language);
                language.either(
                    || format!("{who}: {kind}_for_children {ns} is not a listed {kind} namespace"),
                    || format!("{who}: {kind}_for_children {} 목록에 있는 {kind} 네임스페이스가 아닙니다", ko(ns, Topic)),
                )
            }
            I::NspidLevels { process, levels, level } => {
                let who = listed(process, language);
                language.either(
                    || format!("{who}: nspid has {levels} levels but its pid namespace is at level {level}"),
                    || format!("{who}: nspid에는 단계가 {levels}개인데 pid 네임스페이스는 {level}단계에 있습니다"),
                )
            }
            I::ExitingNotInit { process } => {
                let who = listed(process, language);
                language.either(
                    || format!("{who}: only an init can be exiting while its namespace empties"),
                    || format!("{who}: 네임스페이스가 비기를 기다리며 종료 중일 수 있는 것은 init뿐입니다"),
                )
            }
            I::PidOutOfRange { process, pid } => {
                let who = listed(process, language);
                language.either(
                    || format!("{who}: pid {pid} is out of range"),
                    || format!("{who}: pid {} 범위를 벗어납니다", ko(pid, Subject)),
                )
            }
            I::PidTwice { process, pid, ns } => {
                let who = listed(process, language);
                language.either(
                    || format!("{who}: pid {pid} is used twice in pid namespace {ns}"),
                    || format!("{who}: pid 네임스페이스 {ns}에서 pid {} 두 번 쓰입니다", ko(pid, Subject)),
                )
            }
            I::AliveInDeadNamespace { pid, ns } => language.either(
                || format!("process {pid} is alive in pid namespace {ns}, whose init has died (accepting: false): K19 kills them all"),
                || format!("프로세스 {} init이 죽은(accepting: false) pid 네임스페이스 {ns}에서 살아 있습니다. K19에 따라 모두 죽어야 합니다", ko(pid, Subject)),
            ),
            I::ExitingInitAccepting { pid } => language.either(
                || format!("process {pid} is an exiting init, but its namespace still accepts processes (K19)"),
                || format!("프로세스 {} 종료 중인 init인데 그 네임스페이스가 아직 프로세스를 받습니다(K19)", ko(pid, Topic)),
            ),
            I::ExitingInitAlone { pid } => language.either(
                || format!("process {pid} is an exiting init, but its namespace has no process left to wait for (K19)"),
                || format!("프로세스 {} 종료 중인 init인데 기다릴 프로세스가 네임스페이스에 남아 있지 않습니다(K19)", ko(pid, Topic)),
            ),
            I::ParentNotListed { child, parent } => language.either(
                || format!("the parent {parent} of process {child} is not listed (use ppid 0 for a parent outside)"),
                || format!("프로세스 {child}의 부모 {} 목록에 없습니다(밖에 있는 부모는 ppid 0으로 씁니다)", ko(parent, Subject)),
            ),
            I::ZombieParent { child, parent } => language.either(
                || format!("process {child} has parent {parent}, which is a zombie: orphans are reparented at once (K12)"),
                || format!("프로세스 {child}의 부모 {} 좀비 프로세스입니다. 고아 프로세스는 곧바로 새 부모에게 넘어갑니다(K12)", ko(parent, Topic)),
            ),
            I::ParentBelow { child, parent } => language.either(
                || format!("process {child} has parent {parent} in a pid namespace below its own: a child is born in its parent's pid namespace or below (K4)"),
                || format!("프로세스 {child}의 부모 {} 자식보다 아래 pid 네임스페이스에 있습니다. 자식은 부모의 pid 네임스페이스나 그 아래에서 태어납니다(K4)", ko(parent, Subject)),
            ),
            I::WaitsForNonChild { pid, target } => language.either(
                || format!("process {pid} waits for {target}, which is not its child"),
                || format!("프로세스 {} 자식이 아닌 {} 기다립니다", ko(pid, Topic), ko(target, Object)),
            ),
            I::WaitsButExited { pid } => language.either(
                || format!("process {pid} waits but has exited"),
                || format!("프로세스 {} 이미 종료했는데 기다리고 있습니다", ko(pid, Topic)),
            ),
            I::OwnAncestor { pid } => language.either(
                || format!("process {pid} is its own ancestor: parent links must form a tree"),
                || format!("프로세스 {} 자기 자신의 조상입니다. 부모 관계는 나무 모양이어야 합니다", ko(pid, Topic)),
            ),
            I::NamespaceParentNotListed { ns, parent } => language.either(
                || format!("the parent {parent} of namespace {ns} is not listed"),
                || format!("네임스페이스 {ns}의 부모 {} 목록에 없습니다", ko(parent, Subject)),
            ),
            I::NamespaceParentKind { ns, kind, parent, parent_kind } => language.either(
                || format!("the parent {parent} of {kind} namespace {ns} is a {parent_kind} namespace"),
                || format!("{kind} 네임스페이스 {ns}의 부모 {} {parent_kind} 네임스페이스입니다", ko(parent, Topic)),
            ),
            I::TooDeepOrCycle { ns } => language.either(
                || format!("namespace {ns} is nested more than 32 deep, or in a cycle"),
                || format!("네임스페이스 {} 32단계보다 깊이 중첩되었거나 순환합니다", ko(ns, Topic)),
            ),
            I::Unheld { kind, ns } => language.either(
                || format!("{kind} namespace {ns} has no member, pin or child namespace: it would not exist (K5)"),
                || format!("{kind} 네임스페이스 {ns}에는 구성원도, 고정도, 자식 네임스페이스도 없습니다. 그런 네임스페이스는 존재할 수 없습니다(K5)"),
            ),
            I::UsedNotListed { ns } => language.either(
                || format!("namespace {ns} is used but not listed"),
                || format!("네임스페이스 {} 쓰이지만 목록에 없습니다", ko(ns, Topic)),
            ),
        }
    }
}

/// A replayed step's result, in a few words.
fn result_words(result: &Result<Vec<crate::Outcome>, ModelError>, language: Language) -> String {
    match result {
        Ok(outcomes) => {
            let lines: Vec<String> = outcomes.iter().map(|o| o.say(language)).collect();
            format!("[{}]", lines.join("; "))
        }
        Err(error) => language.either(
            || format!("refused: {}", error.say(language)),
            || format!("거부: {}", error.say(language)),
        ),
    }
}

impl Say for FormatError {
    fn say(&self, language: Language) -> String {
        match self {
            FormatError::Json(error) => error.say(language),
            FormatError::UnknownFormat(format) => language.either(
                || format!("unknown format \"{format}\": expected \"pauselab-snapshot\" or \"pauselab-trace\""),
                || format!("알 수 없는 형식 \"{format}\"입니다. \"pauselab-snapshot\"이나 \"pauselab-trace\"여야 합니다"),
            ),
            FormatError::UnsupportedVersion { format, version } => language.either(
                || format!("{format} version {version} is not supported (this build reads version {})", crate::format::FORMAT_VERSION),
                || format!("{format} 버전 {} 지원하지 않습니다(이 빌드는 버전 {}만 읽습니다)", ko(version, Topic), crate::format::FORMAT_VERSION),
            ),
            FormatError::Inconsistent(why) => language.either(
                || format!("impossible snapshot: {}", why.say(language)),
                || format!("있을 수 없는 스냅숏입니다: {}", why.say(language)),
            ),
            FormatError::Diverged {
                step,
                event,
                recorded,
                replayed,
            } => {
                let (recorded, replayed) = (result_words(recorded, language), result_words(replayed, language));
                language.either(
                    || format!("trace step {} ({event}) diverged: recorded {recorded}, the model gives {replayed}", step + 1),
                    || format!("기록의 {}번째 단계({event})가 다릅니다. 기록: {recorded}, 모델: {replayed}", step + 1),
                )
            }
        }
    }
}
