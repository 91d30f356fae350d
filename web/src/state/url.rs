//! The moment on screen as a URL fragment, so that a link reopens it: the scenario, the step,
//! the pod toggles, the reader's own actions and the language. Reading is forgiving: a field
//! that does not parse is ignored, never an error.

use pauselab_core::pod::{Flavor, IpcMode};
use pauselab_core::scenario::Action;
use pauselab_core::wire::{self, from_base64url, to_base64url};

use super::lesson::PodToggles;
use crate::i18n::Language;

/// Everything a link carries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Link {
    /// The scenario id, or `play` for the playground.
    pub scenario: Option<String>,
    /// The step.
    pub step: usize,
    /// The pod toggles, if changed.
    pub toggles: Option<PodToggles>,
    /// How many of the scenario's steps are kept, if fewer than all.
    pub kept: Option<usize>,
    /// The reader's actions.
    pub acts: Vec<Action>,
    /// The language, if chosen.
    pub language: Option<Language>,
}

impl Link {
    /// Reads a fragment such as `#s=zombies&step=3&lang=ko`.
    pub fn parse(fragment: &str) -> Link {
        let mut link = Link::default();
        for pair in fragment.trim_start_matches('#').split('&') {
            let Some((key, value)) = pair.split_once('=') else {
                continue;
            };
            let Some(value) = decode(value) else {
                continue;
            };
            match key {
                "s" => link.scenario = Some(value),
                "step" => link.step = value.parse().unwrap_or(0),
                "lang" => link.language = Some(Language::from_tag(&value)),
                "pod" => link.toggles = parse_toggles(&value),
                "keep" => link.kept = value.parse().ok(),
                "acts" => {
                    link.acts = from_base64url(&value)
                        .and_then(|bytes| wire::decode_actions(&bytes).ok())
                        .unwrap_or_default();
                }
                _ => {}
            }
        }
        link
    }

    /// Writes the fragment, without the `#`.
    pub fn to_fragment(&self) -> String {
        let mut parts = Vec::new();
        if let Some(scenario) = &self.scenario {
            parts.push(format!("s={}", encode(scenario)));
            parts.push(format!("step={}", self.step));
        }
        if let Some(toggles) = self.toggles {
            parts.push(format!("pod={}", format_toggles(toggles)));
        }
        if let Some(kept) = self.kept {
            parts.push(format!("keep={kept}"));
        }
        if !self.acts.is_empty() {
            // core::wire's bytes: a link from another release is refused by their version.
            let bytes = wire::encode_actions(&self.acts);
            parts.push(format!("acts={}", to_base64url(&bytes)));
        }
        if let Some(language) = self.language {
            parts.push(format!("lang={}", language.tag()));
        }
        parts.join("&")
    }
}

const FLAGS: [&str; 4] = ["spn", "hostnet", "hostpid", "hostipc"];

fn format_toggles(t: PodToggles) -> String {
    let mut parts: Vec<&str> = FLAGS
        .iter()
        .zip([
            t.share_process_namespace,
            t.host_network,
            t.host_pid,
            t.host_ipc,
        ])
        .filter(|(_, on)| *on)
        .map(|(name, _)| *name)
        .collect();
    parts.push(match t.flavor {
        Flavor::Containerd => "containerd",
        Flavor::Dockershim => "dockershim",
    });
    parts.push(match t.pause_ipc {
        IpcMode::Shareable => "ipc-shareable",
        IpcMode::Private => "ipc-private",
        IpcMode::None => "ipc-none",
        IpcMode::Host => "ipc-host",
    });
    parts.join(".")
}

fn parse_toggles(text: &str) -> Option<PodToggles> {
    let mut toggles = PodToggles::default();
    for part in text.split('.') {
        match part {
            "spn" => toggles.share_process_namespace = true,
            "hostnet" => toggles.host_network = true,
            "hostpid" => toggles.host_pid = true,
            "hostipc" => toggles.host_ipc = true,
            "containerd" => toggles.flavor = Flavor::Containerd,
            "dockershim" => toggles.flavor = Flavor::Dockershim,
            "ipc-shareable" => toggles.pause_ipc = IpcMode::Shareable,
            "ipc-private" => toggles.pause_ipc = IpcMode::Private,
            "ipc-none" => toggles.pause_ipc = IpcMode::None,
            "ipc-host" => toggles.pause_ipc = IpcMode::Host,
            _ => return None,
        }
    }
    Some(toggles)
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Undoes `encode`; `None` for a broken escape or bytes that are not UTF-8.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_round_trips_through_its_fragment() {
        let link = Link {
            scenario: Some("zombies".into()),
            step: 3,
            toggles: Some(PodToggles {
                share_process_namespace: true,
                host_network: false,
                host_pid: false,
                host_ipc: true,
                flavor: Flavor::Dockershim,
                pause_ipc: IpcMode::Private,
            }),
            kept: Some(2),
            acts: vec![Action::Exit {
                process: "#7".into(),
                code: 3,
            }],
            language: Some(Language::Korean),
        };
        let fragment = link.to_fragment();
        assert!(!fragment.contains(['{', '"', ' ', '#']), "{fragment}");
        assert_eq!(Link::parse(&format!("#{fragment}")), link);
    }

    #[test]
    fn a_broken_fragment_gives_what_it_can() {
        let link = Link::parse("#s=zombies&step=x&pod=nonsense&acts=%7Bbad&lang=ko&junk");
        assert_eq!(link.scenario.as_deref(), Some("zombies"));
        assert_eq!((link.step, link.toggles, link.acts.len()), (0, None, 0));
        assert_eq!(link.language, Some(Language::Korean));
        assert_eq!(Link::parse("#s=%E0%A4"), Link::default(), "not UTF-8");
        assert_eq!(Link::parse("#s=%4"), Link::default(), "a cut escape");
        assert_eq!(decode("%ED%95%9C").as_deref(), Some("한"));
        // A link written by an older release (JSON), or acts that are not base64url.
        let json = "#acts=%5B%7B%22do%22%3A%22exit%22%2C%22process%22%3A%22%237%22%7D%5D";
        assert!(Link::parse(json).acts.is_empty());
        assert!(Link::parse("#acts=A").acts.is_empty());
        assert!(Link::parse("#acts=UExB!QE").acts.is_empty());
    }
}
