//! The process tree drawn (`crate::draw::tree` places it): a card per process, lines to its
//! parent, a box around each nested pid namespace, zombies dashed, what the last step did
//! animated — a fork grows its child, an exit turns it into a zombie, a reaped process fades
//! out, an orphan's move to its new parent is an arrow drawing itself (K12, K13). Motion is
//! left out for readers who ask for less (`prefers-reduced-motion`, in style.css).

use std::cell::RefCell;
use std::rc::Rc;

use pauselab_core::{Pid, World};
use yew::prelude::*;

use super::{class_of, ns_color, use_store};
use crate::draw::tree::{picture, Look, Row};
use crate::state::{Action, PodToggles, State};

// Whole SVG units: formatting floats would bring the float printer into the wasm.
const ROW_H: i32 = 26;
const INDENT: i32 = 18;
const CARD_W: i32 = 176;
const CARD_H: i32 = 20;
const LEFT: i32 = 8;
/// Above this many rows only the rows in view (and a margin) are drawn, as in the `ps` table:
/// laying out a thousand cards costs several frames, and folding cannot shrink every tree (a
/// deep chain whose every level the step touched).
const VIRTUAL_FROM: usize = 200;
/// Rows drawn around the scroll position: the box (60vh) shows about 25.
const WINDOW_ROWS: usize = 60;
/// Rows drawn above the first one in view, so that scrolling up shows no gap.
const MARGIN_ROWS: usize = 15;

/// The rows to draw, given how far the box is scrolled.
fn rows_in_view(total: usize, scroll_top: i32) -> std::ops::Range<usize> {
    if total <= VIRTUAL_FROM {
        return 0..total;
    }
    let first = usize::try_from(scroll_top / ROW_H)
        .unwrap_or(0)
        .saturating_sub(MARGIN_ROWS)
        .min(total);
    first..(first + WINDOW_ROWS).min(total)
}

/// Whether something spanning rows `top..=bottom` crosses the rows in view.
fn crosses(top: usize, bottom: usize, view: &std::ops::Range<usize>) -> bool {
    top < view.end && bottom >= view.start
}

/// What the picture remembers between renders: the world it last drew, and where, so that a
/// single step forward can show what was reaped in it.
#[derive(Default)]
struct Memory {
    key: TimelineKey,
    position: usize,
    /// The world drawn at `position`.
    world: Option<World>,
    /// The world one step before it, when the reader stepped forward to it.
    before: Option<World>,
}

impl Memory {
    /// The world one step before `position`, if the reader got there by one step forward.
    fn before(&self, key: &TimelineKey, position: usize) -> Option<World> {
        if self.key != *key {
            return None;
        }
        if self.position + 1 == position {
            self.world.clone()
        } else if self.position == position {
            self.before.clone()
        } else {
            None
        }
    }

    /// Remembers what was drawn.
    fn drew(&mut self, key: TimelineKey, position: usize, world: World) {
        self.before = self.before(&key, position);
        self.key = key;
        self.position = position;
        self.world = Some(world);
    }
}

/// Which timeline a state shows, to tell one step forward from a jump elsewhere.
#[derive(Clone, Default, PartialEq)]
enum TimelineKey {
    #[default]
    Nothing,
    Lesson {
        id: String,
        toggles: Option<PodToggles>,
        kept: usize,
        extra: usize,
    },
    File(String),
}

fn timeline_key(state: &State) -> TimelineKey {
    match &state.source {
        crate::state::Source::Lesson(lesson) => TimelineKey::Lesson {
            id: lesson.written.id.clone(),
            toggles: lesson.toggles(),
            kept: lesson.kept(),
            extra: lesson.extra().len(),
        },
        crate::state::Source::File { name, .. } => TimelineKey::File(name.clone()),
    }
}

fn card_x(row: &Row) -> i32 {
    LEFT + 8 * row.level as i32 + INDENT * row.depth as i32
}

fn y(row: usize) -> i32 {
    6 + row as i32 * ROW_H
}

fn card_text(row: &Row, zombie: &str, reaped: &str, more: &str) -> String {
    if row.more {
        return format!("… {} {more}", row.folded);
    }
    let mut text = format!("{} {}", row.pid, row.comm);
    match row.look {
        Look::Zombie => text.push_str(&format!(" ({zombie})")),
        Look::Reaped => text.push_str(&format!(" ({reaped})")),
        _ => {}
    }
    if row.folded > 0 {
        text.push_str(&format!(" +{}", row.folded));
    }
    text
}

/// The picture.
#[function_component(TreePicture)]
pub fn tree_picture() -> Html {
    let store = use_store();
    let strings = store.language.page();
    let world = store.world();
    let view = store.viewpoint.unwrap_or_else(|| world.root_pid_ns());
    let memory = use_mut_ref(Memory::default);
    let key = timeline_key(&store);
    let (position, _) = store.position();
    let before: Option<World> = memory.borrow().before(&key, position);
    let outcomes = store.last_outcomes();
    let drawn = picture(world, view, before.as_ref(), &outcomes, store.selected);
    {
        // Remembered after each render, for the next one.
        let memory: Rc<RefCell<Memory>> = memory.clone();
        let world = world.clone();
        use_effect_with((key, position, store.clone()), move |(key, position, _)| {
            memory.borrow_mut().drew(key.clone(), *position, world);
        });
    }
    let scroll_top = use_state(|| 0i32);
    let onscroll = {
        let scroll_top = scroll_top.clone();
        Callback::from(move |event: Event| {
            let element: web_sys::Element = event.target_unchecked_into();
            scroll_top.set(element.scroll_top());
        })
    };
    let view = rows_in_view(drawn.rows.len(), *scroll_top);
    let select = |pid: Pid| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Select(Some(pid))))
    };
    let height = y(drawn.rows.len()) + 6;
    let width = drawn
        .rows
        .iter()
        .map(|r| card_x(r) + CARD_W)
        .fold(CARD_W, i32::max)
        + 190;
    // Boxes reach past the cards, so that each one's label fits in it, right-aligned.
    let boxes_right = width - 4;
    html! {
        <figure class="tree-picture">
            <div class="tree-scroll" {onscroll}>
                <svg viewBox={format!("0 0 {width} {height}")} width={width.to_string()} height={height.to_string()}
                    role="img" aria-label={strings.tree_picture_label}>
                    <defs>
                        <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" />
                        </marker>
                    </defs>
                    { for drawn.boxes.iter().filter(|b| crosses(b.first, b.last, &view)).map(|b| {
                        let inset = 3 + 6 * (b.level as i32 - 1);
                        let top = y(b.first) - 3;
                        let bottom = y(b.last) + CARD_H + 3;
                        html! {
                            <g class="ns-box" data-ns={b.ns.0.to_string()}>
                                <title>{ format!("pid:[{}]", b.ns) }</title>
                                <rect x={inset.to_string()} y={top.to_string()}
                                    width={(boxes_right - inset * 2).to_string()} height={(bottom - top).to_string()}
                                    rx="8" style={format!("fill:{};stroke:{}", ns_color(b.ns), ns_color(b.ns))} />
                                <text x={(boxes_right - inset - 4).to_string()} y={(top + 11).to_string()} text-anchor="end">
                                    { format!("pid:[{}]", b.ns) }
                                </text>
                            </g>
                        }
                    }) }
                    { for drawn.rows.iter().enumerate().filter_map(|(index, row)| {
                        let parent = row.parent_row.filter(|p| crosses(*p, index, &view))?;
                        let px = card_x(&drawn.rows[parent]) + 8;
                        let py = y(parent) + CARD_H;
                        let cy = y(index) + CARD_H / 2;
                        Some(html! {
                            <path class={class_of("edge", &[(row.look == Look::Reaped).then_some("reaped")])}
                                d={format!("M {px} {py} V {cy} H {}", card_x(row))} />
                        })
                    }) }
                    { for drawn.rows.iter().enumerate().skip(view.start).take(view.len()).map(|(index, row)| {
                        let x = card_x(row);
                        let look = match row.look {
                            Look::Alive => "alive",
                            Look::Stopped => "stopped",
                            Look::Exiting => "exiting",
                            Look::Zombie => "zombie",
                            Look::Reaped => "reaped",
                        };
                        let nspid: Vec<String> = row.nspid.iter().map(u32::to_string).collect();
                        let title = if row.more {
                            format!("{} {}", row.folded, strings.tree_more)
                        } else {
                            format!("{} {} · NSpid {} · {} {}", strings.col_pid, row.pid, nspid.join(" "), strings.host_pid, row.host)
                        };
                        let key = if row.more { format!("more-{index}") } else { format!("p{}", row.host.0) };
                        html! {
                            <g key={key} class={class_of("proc", &[Some(look), row.born.then_some("born"), row.more.then_some("more"),
                                    (store.selected == Some(row.host) && !row.more).then_some("selected")])}
                                data-pid={row.host.0.to_string()} data-look={look}
                                transform={format!("translate({x} {})", y(index))}
                                tabindex={(!row.more).then_some("0")}
                                onclick={(!row.more && row.look != Look::Reaped).then(|| select(row.host))}>
                                <title>{ title }</title>
                                <rect width={CARD_W.to_string()} height={CARD_H.to_string()} rx="5"
                                    style={format!("stroke:{}", ns_color(row.pid_ns))} />
                                <text x="7" y="14">{ card_text(row, strings.badge_zombie, strings.tree_reaped, strings.tree_more) }</text>
                                if row.folded_zombies > 0 {
                                    <text class="folded-zombies" x={(CARD_W + 6).to_string()} y="14">
                                        { format!("{} {}", row.folded_zombies, strings.badge_zombie) }
                                    </text>
                                }
                            </g>
                        }
                    }) }
                    { for drawn.arrows.iter().map(|arrow| {
                        let from_x = card_x(&drawn.rows[arrow.from]) + CARD_W;
                        let to_x = card_x(&drawn.rows[arrow.to]) + CARD_W;
                        let from_y = y(arrow.from) + CARD_H / 2;
                        let to_y = y(arrow.to) + CARD_H / 2;
                        let bend = from_x.max(to_x) + 40;
                        html! {
                            <g class="orphan-arrow" data-child={arrow.child.0.to_string()}>
                                <title>{ if arrow.to_subreaper { strings.tree_adopted_subreaper } else { strings.tree_adopted_init } }</title>
                                <path d={format!("M {from_x} {from_y} C {bend} {from_y}, {bend} {to_y}, {to_x} {to_y}")}
                                    marker-end="url(#arrowhead)" />
                                <text x={(bend - 6).to_string()} y={((from_y + to_y) / 2 + 4).to_string()}>{ "K13" }</text>
                            </g>
                        }
                    }) }
                </svg>
            </div>
            <figcaption class="muted small">{ strings.tree_picture_caption }</figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_tree_draws_only_the_rows_in_view() {
        assert_eq!(rows_in_view(150, 900), 0..150);
        assert_eq!(rows_in_view(1000, 0), 0..WINDOW_ROWS);
        // Scrolled to row 100: a margin above, the window below.
        let view = rows_in_view(1000, 100 * ROW_H);
        assert_eq!(view, 85..145);
        assert_eq!(rows_in_view(1000, 999 * ROW_H), 984..1000);
        assert_eq!(rows_in_view(1000, -5), 0..WINDOW_ROWS);
        // A line from row 10 to row 500 passes through the view; one above it does not.
        assert!(crosses(10, 500, &view));
        assert!(!crosses(10, 84, &view));
        assert!(crosses(144, 200, &view) && !crosses(145, 200, &view));
    }
}
