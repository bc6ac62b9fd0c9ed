//! The actor network: a deterministic circular layout computed here and drawn as inline SVG
//! (nodes sized by mentions and coloured by portrayal, directed edges coloured by sign).

use std::fmt::Write;

use crate::html::esc;
use crate::view::{ActorRow, RelationRow};

/// The drawing area (SVG user units); labels need the margin around the circle.
pub const SIZE: f64 = 440.0;
const RING: f64 = 150.0;
/// Room left and right of the drawing for labels of nodes on the sides.
const MARGIN: f64 = 70.0;
const MAX_NODES: usize = 12;
/// More edges than this turn the circle into a hairball; the strongest are drawn.
const MAX_EDGES: usize = 18;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub r: f64,
    pub mentions: u64,
    pub portrayal: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub polarity: f64,
    pub count: u64,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// Places the most mentioned actors (and the ends of the strongest relations) on a circle,
/// the most mentioned at the top, going clockwise in order of mentions, and keeps the
/// strongest relations among them (`relations` strongest first). The same input always gives
/// the same picture.
pub fn layout(actors: &[ActorRow], relations: &[RelationRow]) -> Layout {
    let mut chosen: Vec<(String, u64, Option<f64>)> = Vec::new();
    for a in actors.iter().take(MAX_NODES) {
        if !chosen.iter().any(|(n, _, _)| *n == a.name) {
            chosen.push((a.name.clone(), a.mentions, a.portrayal));
        }
    }
    // Relation ends that are not among the top actors still deserve a node while there is room.
    for r in relations {
        for name in [&r.source, &r.target] {
            if chosen.len() < MAX_NODES && !chosen.iter().any(|(n, _, _)| n == name) {
                let known = actors.iter().find(|a| &a.name == name);
                chosen.push((name.clone(), known.map_or(0, |a| a.mentions), known.and_then(|a| a.portrayal)));
            }
        }
    }
    let n = chosen.len();
    let max_mentions = chosen.iter().map(|c| c.1).max().unwrap_or(0).max(1) as f64;
    let centre = SIZE / 2.0;
    let nodes: Vec<Node> = chosen
        .into_iter()
        .enumerate()
        .map(|(i, (name, mentions, portrayal))| {
            let (x, y) = if n == 1 {
                (centre, centre)
            } else {
                let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
                (centre + RING * angle.cos(), centre + RING * angle.sin())
            };
            let r = 7.0 + 15.0 * (mentions as f64 / max_mentions).sqrt();
            Node { name, x: round1(x), y: round1(y), r: round1(r), mentions, portrayal }
        })
        .collect();
    let index = |name: &str| nodes.iter().position(|nd| nd.name == name);
    let edges = relations
        .iter()
        .filter_map(|r| {
            let (from, to) = (index(&r.source)?, index(&r.target)?);
            (from != to).then(|| Edge { from, to, polarity: r.polarity, count: r.count, kind: r.kind.clone() })
        })
        .take(MAX_EDGES)
        .collect();
    Layout { nodes, edges }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Portrayal colour: red for negative, grey for neutral, green for positive; blue-grey when
/// the record has no portrayal for the actor.
pub fn portrayal_color(p: Option<f64>) -> String {
    let Some(p) = p.filter(|p| p.is_finite()) else { return "#8fa3bf".to_string() };
    let p = p.clamp(-1.0, 1.0);
    let grey = (154.0, 160.0, 166.0);
    let end = if p < 0.0 { (214.0, 69.0, 69.0) } else { (46.0, 158.0, 91.0) };
    let t = p.abs().sqrt();
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(grey.0, end.0), mix(grey.1, end.1), mix(grey.2, end.2))
}

/// The edge colour class for a relation's sign.
pub fn sign_class(polarity: f64) -> &'static str {
    if polarity >= 0.05 {
        "pos"
    } else if polarity <= -0.05 {
        "neg"
    } else {
        "neu"
    }
}

/// The SVG for a layout. `prefix` keeps marker ids unique when several documents share a page.
pub fn svg(layout: &Layout, prefix: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="network" viewBox="{} 10 {} {}" role="img" aria-label="Actor network"><defs>"#,
        -MARGIN,
        SIZE + 2.0 * MARGIN,
        SIZE - 20.0
    );
    for (cls, color) in [("pos", "#2e9e5b"), ("neg", "#d64545"), ("neu", "#8a8f98")] {
        let _ = write!(
            s,
            r#"<marker id="{prefix}-arr-{cls}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{color}"/></marker>"#
        );
    }
    s.push_str("</defs>");
    if layout.nodes.is_empty() {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" class="empty" text-anchor="middle">no actors</text>"#,
            SIZE / 2.0,
            SIZE / 2.0
        );
        s.push_str("</svg>");
        return s;
    }
    s.push_str(r#"<g class="edges">"#);
    for e in &layout.edges {
        let (a, b) = (&layout.nodes[e.from], &layout.nodes[e.to]);
        let path = edge_path(a, b);
        let cls = sign_class(e.polarity);
        let title = format!(
            "{} → {}: {} {:+.2}{} ×{}",
            a.name,
            b.name,
            cls_word(cls),
            e.polarity,
            e.kind.as_deref().map(|k| format!(", {k}")).unwrap_or_default(),
            e.count
        );
        let _ = write!(
            s,
            r#"<path class="edge {cls}" d="{path}" stroke-width="{:.1}" marker-end="url(#{prefix}-arr-{cls})"><title>{}</title></path>"#,
            1.2 + (e.count as f64).sqrt().min(4.0),
            esc(&title)
        );
    }
    s.push_str(r#"</g><g class="nodes">"#);
    let centre = SIZE / 2.0;
    for nd in &layout.nodes {
        let title = format!(
            "{}: {} mention{}{}",
            nd.name,
            nd.mentions,
            if nd.mentions == 1 { "" } else { "s" },
            nd.portrayal.map(|p| format!(", portrayal {p:+.2}")).unwrap_or_default()
        );
        let _ = write!(
            s,
            r#"<g class="node"><title>{}</title><circle cx="{}" cy="{}" r="{}" fill="{}"/>"#,
            esc(&title),
            nd.x,
            nd.y,
            nd.r,
            portrayal_color(nd.portrayal)
        );
        // Labels sit outside the ring, anchored away from the centre, so they don't cover edges.
        let (dx, dy) = (nd.x - centre, nd.y - centre);
        let len = (dx * dx + dy * dy).sqrt();
        let (ux, uy) = if len < 1.0 { (0.0, 1.0) } else { (dx / len, dy / len) };
        let (lx, ly) = (nd.x + ux * (nd.r + 6.0), nd.y + uy * (nd.r + 6.0) + 4.0 + uy.max(0.0) * 6.0);
        let anchor = if ux > 0.3 {
            "start"
        } else if ux < -0.3 {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="{anchor}">{}</text></g>"#,
            round1(lx),
            round1(ly),
            esc(&crate::term::truncate(&nd.name, 18))
        );
    }
    s.push_str("</g></svg>");
    s
}

fn cls_word(cls: &str) -> &'static str {
    match cls {
        "pos" => "positive",
        "neg" => "negative",
        _ => "neutral",
    }
}

/// A gently curved path from the rim of `a` to the rim of `b`. Curving to the right of the
/// direction of travel keeps `a → b` and `b → a` apart.
pub fn edge_path(a: &Node, b: &Node) -> String {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = (dx * dx + dy * dy).sqrt().max(1e-6);
    let (ux, uy) = (dx / len, dy / len);
    // The normal to the right of travel, and the control point off the midpoint.
    let (nx, ny) = (-uy, ux);
    let bend = (len * 0.12).min(28.0);
    let (mx, my) = ((a.x + b.x) / 2.0 + nx * bend, (a.y + b.y) / 2.0 + ny * bend);
    let start = toward(a, mx, my, a.r + 1.0);
    let end = toward(b, mx, my, b.r + 3.0);
    format!("M{:.1},{:.1} Q{:.1},{:.1} {:.1},{:.1}", start.0, start.1, mx, my, end.0, end.1)
}

/// The point at distance `d` from the node's centre in the direction of (`x`, `y`).
fn toward(n: &Node, x: f64, y: f64, d: f64) -> (f64, f64) {
    let (dx, dy) = (x - n.x, y - n.y);
    let len = (dx * dx + dy * dy).sqrt().max(1e-6);
    (n.x + dx / len * d, n.y + dy / len * d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(name: &str, mentions: u64, p: Option<f64>) -> ActorRow {
        ActorRow { name: name.into(), kind: None, affiliation: None, mentions, portrayal: p }
    }

    fn rel(s: &str, t: &str, p: f64) -> RelationRow {
        RelationRow { source: s.into(), target: t.into(), polarity: p, label: None, kind: None, count: 1 }
    }

    #[test]
    fn layout_is_deterministic_inside_the_box_and_without_overlaps() {
        let actors: Vec<ActorRow> = (0..15).map(|i| actor(&format!("A{i}"), 20 - i, Some(0.1))).collect();
        let rels = vec![rel("A0", "A1", -0.5), rel("A1", "A0", 0.5), rel("A0", "Z", 0.2)];
        let a = layout(&actors, &rels);
        assert_eq!(a, layout(&actors, &rels));
        assert_eq!(a.nodes.len(), MAX_NODES);
        for nd in &a.nodes {
            assert!(nd.x - nd.r >= 0.0 && nd.x + nd.r <= SIZE && nd.y - nd.r >= 0.0 && nd.y + nd.r <= SIZE);
        }
        for (i, p) in a.nodes.iter().enumerate() {
            for q in &a.nodes[i + 1..] {
                let d = ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt();
                assert!(d > p.r + q.r, "{} and {} overlap", p.name, q.name);
            }
        }
        // The most mentioned actor is at the top; `Z` has no room and its edge is dropped.
        assert_eq!((a.nodes[0].name.as_str(), a.nodes[0].x), ("A0", SIZE / 2.0));
        assert!(a.nodes[0].y < SIZE / 2.0);
        assert_eq!(a.edges.len(), 2);
        assert!(a.nodes[0].r > a.nodes[11].r);
    }

    #[test]
    fn relation_ends_get_nodes_when_there_is_room() {
        let a = layout(&[actor("A", 3, None)], &[rel("A", "B", -0.4), rel("B", "B", 1.0)]);
        assert_eq!(a.nodes.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(), vec!["A", "B"]);
        assert_eq!(a.edges.len(), 1, "self-loops are not drawn");
        assert_eq!((a.edges[0].from, a.edges[0].to), (0, 1));
    }

    #[test]
    fn opposite_edges_curve_apart_and_stop_at_the_rims() {
        let a = Node { name: "a".into(), x: 100.0, y: 100.0, r: 10.0, mentions: 1, portrayal: None };
        let b = Node { name: "b".into(), x: 300.0, y: 100.0, r: 20.0, mentions: 1, portrayal: None };
        let ab = edge_path(&a, &b);
        let ba = edge_path(&b, &a);
        assert_ne!(ab, ba);
        assert!(ab.starts_with("M110."), "{ab}");
        assert!(ab.contains(" Q200.0,124.0 "), "{ab}");
        assert!(ba.contains(" Q200.0,76.0 "), "{ba}");
    }

    #[test]
    fn colours_follow_the_sign() {
        assert_eq!(portrayal_color(Some(0.0)), "#9aa0a6");
        assert_eq!(portrayal_color(Some(-1.0)), "#d64545");
        assert_eq!(portrayal_color(Some(1.0)), "#2e9e5b");
        assert_eq!(portrayal_color(None), "#8fa3bf");
        assert_eq!(sign_class(-0.2), "neg");
    }

    #[test]
    fn svg_escapes_names_and_has_unique_markers() {
        let l = layout(&[actor("<A&B>", 1, Some(-0.5)), actor("C", 1, None)], &[rel("<A&B>", "C", -0.5)]);
        let s = svg(&l, "d3");
        assert!(s.contains("&lt;A&amp;B&gt;") && !s.contains("<A&B>"));
        assert!(s.contains(r#"marker-end="url(#d3-arr-neg)""#));
        assert!(s.contains(r#"id="d3-arr-neg""#));
    }
}
