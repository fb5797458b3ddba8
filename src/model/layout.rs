//! A force-directed layout of a graph (the entity network): nodes push each other apart,
//! edges pull their ends together, a weak pull to the middle keeps parts from drifting
//! away, and the moves shrink step by step until the layout settles (Fruchterman and
//! Reingold's scheme). Far-away nodes push as one, through a quadtree (Barnes and Hut),
//! so a step costs O(n log n) and 5,000 entities settle in well under two seconds.
//!
//! Pure and deterministic: the same graph always gets the same picture. Units are
//! abstract (the ideal edge length is 1); the view scales them to the screen.

/// Quadtree cells seen from this far (cell size / distance below it) push as one.
const THETA: f32 = 0.9;
/// The share of the first step's reach each step keeps.
const COOLING: f32 = 0.96;
/// A layout whose reach fell below this share of its first one has settled.
const SETTLED: f32 = 0.004;
/// How strongly everything is pulled to the middle (in proportion to the distance, so
/// that lone nodes stay in the picture).
const GRAVITY: f32 = 0.15;
/// Nodes closer than this are treated as this close (no division by zero).
const NEAR: f32 = 0.01;

/// A network's heaviest edges shape its layout, at most this many (a dense network of
/// 5,000 entities has millions; they would slow every step and add nothing visible).
pub const LAYOUT_EDGES: usize = 20_000;

/// Positions of a graph's nodes, improved a step at a time.
#[derive(Clone, Debug)]
pub struct Layout {
    positions: Vec<[f32; 2]>,
    /// (node, node, pull): the pull grows with the edge's weight, slowly.
    edges: Vec<(usize, usize, f32)>,
    /// Per node: 1 / (1 + its edges). A node of many edges (a hub) follows each less, so
    /// that the groups around hubs do not collapse onto them.
    give: Vec<f32>,
    /// Nodes the analyst put somewhere (dragged): they stay.
    pinned: Vec<bool>,
    /// How far a node may move in the next step.
    reach: f32,
    first_reach: f32,
}

impl Layout {
    /// A layout of `nodes` nodes joined by `edges` (node, node, weight), started on a
    /// sunflower spiral (nodes listed first nearer the middle).
    pub fn new(nodes: usize, edges: impl IntoIterator<Item = (usize, usize, f32)>) -> Self {
        let positions = (0..nodes).map(spiral).collect();
        let edges = edges
            .into_iter()
            .filter(|&(a, b, _)| a != b && a < nodes && b < nodes)
            .map(|(a, b, w)| (a, b, (1.0 + w.max(0.0)).ln().max(0.3)))
            .collect();
        let reach = float(nodes).sqrt().max(1.0);
        let mut degree = vec![0usize; nodes];
        for &(a, b, _) in &edges {
            degree[a] += 1;
            degree[b] += 1;
        }
        Self {
            positions,
            give: degree.into_iter().map(|d| 1.0 / float(d + 1)).collect(),
            edges,
            pinned: vec![false; nodes],
            reach,
            first_reach: reach,
        }
    }

    /// The layout of an entity network, shaped by its [`LAYOUT_EDGES`] heaviest edges.
    pub fn of_network(network: &super::network::Network) -> Self {
        let mut heaviest: Vec<&super::network::Edge> = network.edges.iter().collect();
        if heaviest.len() > LAYOUT_EDGES {
            heaviest.select_nth_unstable_by(LAYOUT_EDGES, |a, b| b.weight.cmp(&a.weight));
            heaviest.truncate(LAYOUT_EDGES);
        }
        Self::new(
            network.nodes.len(),
            heaviest
                .into_iter()
                .map(|e| (e.source, e.target, float(e.weight))),
        )
    }

    /// Starts node `i` at `position` (kept from an earlier layout of the same node), and
    /// cools the layout to `reach` so that known nodes move little.
    pub fn keep(&mut self, i: usize, position: [f32; 2], reach: f32) {
        if let Some(p) = self.positions.get_mut(i) {
            *p = position;
            self.reach = reach.min(self.reach);
        }
    }

    pub fn positions(&self) -> &[[f32; 2]] {
        &self.positions
    }

    /// Puts node `i` at `position` and keeps it there (a drag); the others adjust.
    pub fn pin(&mut self, i: usize, position: [f32; 2]) {
        if let (Some(p), Some(pinned)) = (self.positions.get_mut(i), self.pinned.get_mut(i)) {
            *p = position;
            *pinned = true;
            self.reach = self.reach.max(self.first_reach * 0.05);
        }
    }

    /// True once steps no longer move anything visibly.
    pub fn is_settled(&self) -> bool {
        self.reach <= self.first_reach * SETTLED
    }

    /// Steps until settled or `budget` has passed; true if settled.
    pub fn run(&mut self, budget: std::time::Duration) -> bool {
        let started = std::time::Instant::now();
        while !self.is_settled() && started.elapsed() < budget {
            self.step();
        }
        self.is_settled()
    }

    /// One step: every free node moves by the forces on it, at most `reach` far.
    pub fn step(&mut self) {
        let n = self.positions.len();
        if n == 0 {
            self.reach = 0.0;
            return;
        }
        let tree = Quadtree::build(&self.positions);
        let mut forces: Vec<[f32; 2]> = self
            .positions
            .iter()
            .enumerate()
            .map(|(i, &p)| {
                let [x, y] = tree.push_on(p, i);
                [x - GRAVITY * p[0], y - GRAVITY * p[1]]
            })
            .collect();
        for &(a, b, pull) in &self.edges {
            let (pa, pb) = (self.positions[a], self.positions[b]);
            let (dx, dy) = (pb[0] - pa[0], pb[1] - pa[1]);
            let d = dx.hypot(dy);
            // d² / k along the edge, k = 1, shared out by the ends' edges.
            let f = pull * d;
            let (fa, fb) = (f * self.give[a], f * self.give[b]);
            forces[a][0] += dx * fa;
            forces[a][1] += dy * fa;
            forces[b][0] -= dx * fb;
            forces[b][1] -= dy * fb;
        }
        for ((p, f), pinned) in self.positions.iter_mut().zip(&forces).zip(&self.pinned) {
            if *pinned {
                continue;
            }
            let length = f[0].hypot(f[1]);
            if length > 0.0 && length.is_finite() {
                let step = length.min(self.reach) / length;
                p[0] += f[0] * step;
                p[1] += f[1] * step;
            }
        }
        self.reach *= COOLING;
    }
}

/// Where node `i` starts: on a sunflower spiral, evenly spread.
fn spiral(i: usize) -> [f32; 2] {
    const GOLDEN_ANGLE: f32 = 2.399_963;
    let r = float(i).sqrt();
    let angle = float(i) * GOLDEN_ANGLE;
    [r * angle.cos(), r * angle.sin()]
}

#[expect(clippy::cast_precision_loss, reason = "node counts far below 2^24")]
fn float(n: usize) -> f32 {
    n as f32
}

/// One square of the quadtree: the nodes inside it, as one mass at their centre.
#[derive(Clone, Copy, Debug)]
struct Cell {
    centre: [f32; 2],
    half: f32,
    mass: f32,
    sum: [f32; 2],
    /// Index of the first of four children, 0 for a leaf.
    children: usize,
    /// The one node of a leaf (a leaf of several coincident nodes keeps the first).
    node: Option<[f32; 2]>,
}

impl Cell {
    fn new(centre: [f32; 2], half: f32) -> Self {
        Self {
            centre,
            half,
            mass: 0.0,
            sum: [0.0, 0.0],
            children: 0,
            node: None,
        }
    }

    fn mean(&self) -> [f32; 2] {
        [self.sum[0] / self.mass, self.sum[1] / self.mass]
    }
}

/// Barnes and Hut's quadtree over the nodes' positions.
struct Quadtree {
    cells: Vec<Cell>,
}

/// Cells are split this deep at most (coincident nodes stay together below it).
const DEEPEST: usize = 24;

impl Quadtree {
    fn build(positions: &[[f32; 2]]) -> Self {
        let (mut low, mut high) = ([f32::MAX; 2], [f32::MIN; 2]);
        for p in positions {
            for axis in 0..2 {
                low[axis] = low[axis].min(p[axis]);
                high[axis] = high[axis].max(p[axis]);
            }
        }
        let centre = [
            f32::midpoint(low[0], high[0]),
            f32::midpoint(low[1], high[1]),
        ];
        let half = ((high[0] - low[0]).max(high[1] - low[1]) / 2.0).max(NEAR) * 1.01;
        let mut tree = Self {
            cells: Vec::with_capacity(positions.len() * 2 + 1),
        };
        tree.cells.push(Cell::new(centre, half));
        for &p in positions {
            if p[0].is_finite() && p[1].is_finite() {
                tree.insert(p);
            }
        }
        tree
    }

    fn insert(&mut self, p: [f32; 2]) {
        let mut at = 0;
        for depth in 0.. {
            let cell = &mut self.cells[at];
            cell.mass += 1.0;
            cell.sum[0] += p[0];
            cell.sum[1] += p[1];
            if cell.children == 0 {
                match cell.node {
                    None if cell.mass <= 1.0 => {
                        cell.node = Some(p);
                        return;
                    }
                    _ if depth >= DEEPEST => return,
                    other => {
                        // Split: the node it held moves down a level.
                        let held = other;
                        self.split(at);
                        if let Some(q) = held {
                            let child = self.child_for(at, q);
                            let c = &mut self.cells[child];
                            c.mass = 1.0;
                            c.sum = q;
                            c.node = Some(q);
                        }
                        self.cells[at].node = None;
                    }
                }
            }
            at = self.child_for(at, p);
        }
    }

    fn split(&mut self, at: usize) {
        let Cell { centre, half, .. } = self.cells[at];
        let quarter = half / 2.0;
        self.cells[at].children = self.cells.len();
        for (dx, dy) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)] {
            self.cells.push(Cell::new(
                [centre[0] + dx * quarter, centre[1] + dy * quarter],
                quarter,
            ));
        }
    }

    fn child_for(&self, at: usize, p: [f32; 2]) -> usize {
        let cell = &self.cells[at];
        let right = usize::from(p[0] >= cell.centre[0]);
        let below = usize::from(p[1] >= cell.centre[1]);
        cell.children + right + 2 * below
    }

    /// The push of all nodes on node number `node`, at `at_node` (k² / d each, k = 1).
    fn push_on(&self, at_node: [f32; 2], node: usize) -> [f32; 2] {
        let mut force = [0.0, 0.0];
        let mut stack = vec![0];
        while let Some(at) = stack.pop() {
            let cell = &self.cells[at];
            if cell.mass == 0.0 {
                continue;
            }
            let mean = cell.mean();
            let (dx, dy) = (at_node[0] - mean[0], at_node[1] - mean[1]);
            let distance = dx.hypot(dy);
            let far = cell.children == 0 || (2.0 * cell.half) / distance.max(NEAR) < THETA;
            if !far {
                stack.extend(cell.children..cell.children + 4);
                continue;
            }
            let mut mass = cell.mass;
            if distance < NEAR {
                // The node itself (or nodes on top of it): itself does not push, the
                // others push it a little, each node in a direction of its own.
                mass -= 1.0;
                if mass <= 0.0 {
                    continue;
                }
                let [x, y] = spiral(node + 1);
                let length = x.hypot(y);
                force[0] += mass * x / length;
                force[1] += mass * y / length;
                continue;
            }
            // Direction (dx, dy) / distance, size mass / distance.
            let scale = mass / (distance * distance);
            force[0] += dx * scale;
            force[1] += dy * scale;
        }
        force
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(layout: &Layout, a: usize, b: usize) -> f32 {
        let (p, q) = (layout.positions()[a], layout.positions()[b]);
        (p[0] - q[0]).hypot(p[1] - q[1])
    }

    #[test]
    fn joined_nodes_end_nearer_than_strangers_and_it_settles() {
        // Two triangles joined by nothing, plus a lone node.
        let edges = [
            (0, 1, 1.0),
            (1, 2, 1.0),
            (2, 0, 1.0),
            (3, 4, 5.0),
            (4, 5, 1.0),
            (5, 3, 1.0),
        ];
        let mut layout = Layout::new(7, edges);
        let mut steps = 0;
        while !layout.is_settled() {
            layout.step();
            steps += 1;
            assert!(steps < 1000, "settles");
        }
        for &(a, b, _) in &edges {
            for stranger in [if a < 3 { 4 } else { 1 }, 6] {
                assert!(
                    distance(&layout, a, b) < distance(&layout, a, stranger),
                    "{a}-{b} nearer than {a}-{stranger}: {:?}",
                    layout.positions()
                );
            }
        }
        assert!(layout.positions().iter().flatten().all(|v| v.is_finite()));
    }

    #[test]
    fn the_same_graph_gets_the_same_picture() {
        let edges: Vec<_> = (0..50).map(|i| (i, (i * 7 + 3) % 50, 1.0)).collect();
        let mut a = Layout::new(50, edges.clone());
        let mut b = Layout::new(50, edges);
        for _ in 0..40 {
            a.step();
            b.step();
        }
        assert_eq!(a.positions(), b.positions());
    }

    #[test]
    fn coincident_nodes_and_pinned_nodes_stay_finite_and_put() {
        let mut layout = Layout::new(4, [(0, 1, 1.0)]);
        for i in 0..4 {
            layout.keep(i, [1.0, 1.0], 1.0);
        }
        layout.pin(3, [5.0, 5.0]);
        for _ in 0..300 {
            layout.step();
        }
        assert!(layout.positions().iter().flatten().all(|v| v.is_finite()));
        assert!(
            layout.positions()[3]
                .iter()
                .all(|v| (v - 5.0).abs() < f32::EPSILON)
        );
        assert!(distance(&layout, 0, 2) > 0.1, "pushed apart");
        assert!(Layout::new(0, []).run(std::time::Duration::from_millis(1)));
    }

    #[test]
    fn far_cells_push_about_as_much_as_their_nodes_one_by_one() {
        let positions: Vec<[f32; 2]> = (0..400).map(spiral).collect();
        let tree = Quadtree::build(&positions);
        let p = [40.0, -3.0];
        let exact = positions.iter().fold([0.0f32; 2], |f, q| {
            let (dx, dy) = (p[0] - q[0], p[1] - q[1]);
            let d2 = dx * dx + dy * dy;
            [f[0] + dx / d2, f[1] + dy / d2]
        });
        let near = tree.push_on(p, 0);
        for axis in 0..2 {
            assert!((near[axis] - exact[axis]).abs() <= 0.05 * exact[0].hypot(exact[1]));
        }
    }
}
