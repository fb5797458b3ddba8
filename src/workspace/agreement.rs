//! Agreement between the analysts' layers of the open project (see
//! [`crate::model::agreement`]), chosen by document and label names as exports are.

use crate::formats::Selection;
use crate::model::agreement::{self, AgreementError, Query, Report};

use super::Workspace;

/// Why agreement was not measured.
#[derive(Debug, thiserror::Error)]
pub enum AgreementRequestError {
    #[error("no document is called {0:?} (give an id, a path, a file name or a title)")]
    UnknownDocument(String),
    #[error("no label is called {0:?}")]
    UnknownLabel(String),
    #[error("no annotation was made by {0:?}")]
    UnknownAnalyst(String),
    #[error(transparent)]
    Agreement(#[from] AgreementError),
}

/// An agreement measure ready to run on any thread: a snapshot of the project, its
/// documents' texts (shared) and what to measure.
pub struct AgreementJob {
    project: crate::model::Project,
    texts:
        std::collections::HashMap<crate::model::DocumentId, std::sync::Arc<crate::model::DocText>>,
    query: Query,
}

impl AgreementJob {
    /// Measures.
    pub fn run(&self) -> Result<Report, AgreementError> {
        agreement::report(
            &self.project,
            |d| self.texts.get(&d).map(|t| &**t),
            &self.query,
        )
    }
}

impl Workspace {
    /// Agreement of `annotators` (every analyst if empty) over the documents and labels
    /// `selection` names (every one if empty).
    pub fn agreement(
        &self,
        selection: &Selection,
        annotators: &[String],
    ) -> Result<Report, AgreementRequestError> {
        Ok(self.agreement_job(selection, annotators)?.run()?)
    }

    /// [`Self::agreement`] to run on another thread (the names are checked here).
    pub fn agreement_job(
        &self,
        selection: &Selection,
        annotators: &[String],
    ) -> Result<AgreementJob, AgreementRequestError> {
        let project = self.project();
        for wanted in &selection.documents {
            let one = Selection {
                documents: vec![wanted.clone()],
                ..Selection::default()
            };
            if !project.documents().iter().any(|d| one.takes_document(d)) {
                return Err(AgreementRequestError::UnknownDocument(wanted.clone()));
            }
        }
        for wanted in &selection.labels {
            let one = Selection {
                labels: vec![wanted.clone()],
                ..Selection::default()
            };
            if !project.schema.labels.iter().any(|l| one.takes_label(l)) {
                return Err(AgreementRequestError::UnknownLabel(wanted.clone()));
            }
        }
        for name in annotators {
            if !project.annotations().any(|a| &a.author == name) {
                return Err(AgreementRequestError::UnknownAnalyst(name.clone()));
            }
        }
        let query = Query {
            documents: if selection.documents.is_empty() {
                Vec::new()
            } else {
                project
                    .documents()
                    .iter()
                    .filter(|d| selection.takes_document(d))
                    .map(|d| d.id)
                    .collect()
            },
            labels: project
                .schema
                .labels
                .iter()
                .filter(|l| selection.takes_label(l))
                .map(|l| l.id.clone())
                .collect(),
            annotators: annotators.to_vec(),
        };
        let texts = project
            .documents()
            .iter()
            .filter_map(|d| Some((d.id, self.shared_text(d.id)?)))
            .collect();
        Ok(AgreementJob {
            project: project.clone(),
            texts,
            query,
        })
    }
}
