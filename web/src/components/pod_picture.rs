//! A pod drawn: the node, pause and each container as columns, each namespace kind as a row,
//! each namespace as one band across the columns that share it (K1). The ids are on hover and
//! focus; the table below has them all.

use pauselab_core::NsKind;
use yew::prelude::*;

use super::{class_of, ns_color};
use crate::draw::bands::{bands, Row};
use crate::i18n::Language;

/// Sizes, in SVG units (the picture scales to its box). Whole numbers: formatting floats
/// would bring the float printer into the wasm.
const LABEL_W: i32 = 62;
const COL_W: i32 = 108;
const ROW_H: i32 = 26;
const HEAD_H: i32 = 34;
const PAD: i32 = 5;

/// The picture's input: column headers (node first, then pause, then the containers) and one
/// row per kind.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct PodPictureProps {
    /// The language of its words.
    pub language: Language,
    /// Column headers.
    pub columns: Vec<String>,
    /// Rows, in [`crate::draw::bands::KINDS`] order.
    pub rows: Vec<Row>,
}

fn x(column: usize) -> i32 {
    LABEL_W + column as i32 * COL_W
}

/// The picture.
#[function_component(PodPicture)]
pub fn pod_picture(props: &PodPictureProps) -> Html {
    let strings = props.language.page();
    let width = x(props.columns.len());
    let height = HEAD_H + props.rows.len() as i32 * ROW_H;
    let name_of = |column: usize| props.columns.get(column).cloned().unwrap_or_default();
    html! {
        <figure class="pod-picture">
            <svg viewBox={format!("0 0 {width} {height}")} role="img"
                aria-label={strings.pod_picture_label}
                style={format!("max-width:{width}px")}>
                { for props.columns.iter().enumerate().map(|(column, name)| html! {
                    <text class={class_of("column", &[(column == 0).then_some("node")])}
                        x={(x(column) + COL_W / 2).to_string()} y={(HEAD_H - 12).to_string()}
                        text-anchor="middle">{ name }</text>
                }) }
                { for props.rows.iter().enumerate().map(|(index, row)| {
                    let y = HEAD_H + index as i32 * ROW_H;
                    let kind = row.kind.name();
                    html! {
                        <g class="row" data-kind={kind}>
                            <text class="kind" x="4" y={(y + ROW_H / 2 + 4).to_string()}>{ kind }</text>
                            { for row.columns.iter().enumerate().filter(|(_, ns)| ns.is_none()).map(|(column, _)| html! {
                                <rect class="gap" x={(x(column) + PAD).to_string()} y={(y + PAD / 2).to_string()}
                                    width={(COL_W - 2 * PAD).to_string()} height={(ROW_H - PAD).to_string()} rx="6" />
                            }) }
                            { for bands(row).into_iter().map(|band| {
                                let holders: Vec<String> = (band.first..=band.last).map(name_of).collect();
                                let said = format!("{kind}:[{}] — {}", band.ns, holders.join(", "));
                                let left = x(band.first) + PAD;
                                let w = band.span() as i32 * COL_W - 2 * PAD;
                                html! {
                                    <g class={class_of("band", &[band.is_node().then_some("host"), band.split.then_some("split")])}
                                        tabindex="0" aria-label={said.clone()}
                                        data-span={band.span().to_string()} data-first={band.first.to_string()}>
                                        <title>{ said }</title>
                                        <rect x={left.to_string()} y={(y + PAD / 2).to_string()}
                                            width={w.to_string()} height={(ROW_H - PAD).to_string()} rx="8"
                                            style={format!("fill:{}", ns_color(band.ns))} />
                                        <text x={(left + w / 2).to_string()} y={(y + ROW_H / 2 + 4).to_string()}
                                            text-anchor="middle">
                                            { if band.span() > 1 { strings.shared.to_owned() } else { format!("…{}", band.ns.0 % 10_000) } }
                                        </text>
                                    </g>
                                }
                            }) }
                        </g>
                    }
                }) }
            </svg>
            <figcaption class="muted small">{ strings.pod_picture_caption }</figcaption>
        </figure>
    }
}

/// A row for each kind, from a per-kind lookup of each column's namespace.
pub fn rows(
    mut namespace: impl FnMut(NsKind, usize) -> Option<pauselab_core::NsId>,
    columns: usize,
) -> Vec<Row> {
    crate::draw::bands::KINDS
        .iter()
        .map(|&kind| Row {
            kind,
            columns: (0..columns).map(|column| namespace(kind, column)).collect(),
        })
        .collect()
}
