//! The project's claim clusters ([`crate::model::clusters`]) for the views that show them
//! (the claims window's Claim clusters tab, the inspector of a claim): computed on a
//! worker whenever the project changed and someone asks, the last ones shown meanwhile.

use std::sync::Arc;

use eframe::egui::Context;

use super::worker::Worker;
use crate::model::AnnotationId;
use crate::model::clusters::{self, Cluster};
use crate::workspace::Workspace;

/// The workspace state clusters were computed for ([`Workspace::generation`]).
type Generation = (u64, u64);

/// The clusters, kept up to date on request.
#[derive(Default)]
pub struct ClaimClusters {
    worker: Worker<Generation, Vec<Cluster>>,
    shown: Option<(Generation, Arc<Vec<Cluster>>)>,
}

impl ClaimClusters {
    /// The clusters as last computed (`None` before the first are), and whether they are
    /// those of the project as it is now; asks for new ones if they are not.
    pub fn get(
        &mut self,
        ctx: &Context,
        workspace: &Workspace,
    ) -> Option<(Arc<Vec<Cluster>>, bool)> {
        if let Some((generation, found)) = self.worker.take() {
            self.shown = Some((generation, Arc::new(found)));
        }
        let now = workspace.generation();
        let current = self.shown.as_ref().is_some_and(|(g, _)| *g == now);
        // While a job runs, nothing is asked (nor the project copied each frame).
        if !current && !self.worker.is_running() {
            let project = workspace.project().clone();
            self.worker
                .ask(now, ctx, move || clusters::of_project(&project));
        }
        self.shown
            .as_ref()
            .map(|(_, found)| (Arc::clone(found), current))
    }

    /// True while clusters are being computed.
    pub fn is_computing(&self) -> bool {
        self.worker.is_running()
    }
}

/// Where a claim stands among the clusters: in one (as a member), suggested for one, or
/// in none. With the cluster's number in the list (from 1).
pub fn place_of(found: &[Cluster], claim: AnnotationId) -> Option<(usize, &Cluster, bool)> {
    found.iter().enumerate().find_map(|(i, c)| {
        if c.members.iter().any(|m| m.annotation == claim) {
            Some((i + 1, c, true))
        } else if c.suggested.iter().any(|m| m.annotation == claim) {
            Some((i + 1, c, false))
        } else {
            None
        }
    })
}
