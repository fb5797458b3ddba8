//! Undo and redo: two stacks of inverse [`Edit`]s.
//!
//! Each state of the annotations has a number; saving records the current number, so
//! "unsaved changes" is a comparison, and undoing back to the saved state is clean again.
//! History is never serialized.

use super::annotation::AnnotationId;
use super::edit::{Edit, EditError};
use super::project::Project;

/// What lets consecutive edits merge into one undo step (typing a note letter by letter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coalesce {
    /// Never merge.
    No,
    /// Merge with the previous step if it edited the note of the same annotation.
    Note(AnnotationId),
    /// Merge with the previous step if it typed into the same attribute (by the hash of
    /// its name) of the same annotation.
    Typing(AnnotationId, u64),
    /// Merge with the previous step if it was an earlier part of the same big edit (by a
    /// number the edit's parts share), applied over several frames: undoing the step
    /// undoes every part.
    Part(u64),
}

/// The inverse of two edits in a row, `newer` undone first: one removal of both parts'
/// annotations where both only added some (a big "tag all"), one insertion where both only
/// removed some (undoing it in parts), else the two in turn. The older part's annotations
/// come first: the order a removal or an insertion takes them in does not matter, and
/// ids that keep increasing are checked faster.
fn merged(newer: Edit, older: Edit) -> Edit {
    match (newer, older) {
        (newer, older) if older.is_empty() => newer,
        (newer, older) if newer.is_empty() => older,
        (Edit::Remove(newer), Edit::Remove(mut older)) => {
            older.extend(newer);
            Edit::Remove(older)
        }
        (Edit::Insert(newer), Edit::Insert(mut older)) => {
            older.extend(newer);
            Edit::Insert(older)
        }
        (newer, older) => Edit::Batch(vec![newer, older]),
    }
}

/// The first `limit` annotations of a big removal or insertion, and the rest (`None` if
/// the edit is small or of another kind: it goes whole).
fn split_part(edit: &mut Edit, limit: usize) -> Option<Edit> {
    match edit {
        Edit::Remove(ids) if ids.len() > limit => {
            let rest = ids.split_off(limit);
            Some(Edit::Remove(rest))
        }
        Edit::Insert(annotations) if annotations.len() > limit => {
            let rest = annotations.split_off(limit);
            Some(Edit::Insert(rest))
        }
        _ => None,
    }
}

/// How many annotations an edit removes or inserts (0 for other edits).
fn annotations_in(edit: &Edit) -> usize {
    match edit {
        Edit::Remove(ids) => ids.len(),
        Edit::Insert(annotations) => annotations.len(),
        _ => 0,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Back,
    Forward,
}

/// An undo or redo going in a part at a time (a big "tag all" undone over several frames).
#[derive(Debug, Clone)]
struct Replaying {
    direction: Direction,
    /// What is still to apply.
    rest: Edit,
    /// The step's state numbers.
    before: u64,
    after: u64,
    /// Annotations removed or inserted so far, and in all.
    done: usize,
    total: usize,
}

/// Where an undo or redo done in parts stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Replay {
    /// True for an undo, false for a redo.
    pub undo: bool,
    /// Annotations removed or added back so far, and in all.
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Clone)]
struct Step {
    /// The edit that moves from `after` back to `before` (on the undo stack) or from
    /// `before` to `after` (on the redo stack).
    edit: Edit,
    before: u64,
    after: u64,
    coalesce: Coalesce,
}

/// The undo and redo stacks of one open project.
#[derive(Debug, Default, Clone)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// Number of the current state.
    state: u64,
    /// Last number handed out.
    last_state: u64,
    /// An undo or redo under way, a part at a time; everything else finishes it first.
    replaying: Option<Replaying>,
}

impl History {
    /// Applies `edit` to `project` as one new undo step (or merged into the last one, see
    /// [`Coalesce`]). Clears the redo stack. Nothing changes if the edit is refused.
    pub fn apply(
        &mut self,
        project: &mut Project,
        edit: Edit,
        coalesce: Coalesce,
    ) -> Result<(), EditError> {
        if edit.is_empty() {
            return Ok(());
        }
        self.finish_replay(project)?;
        let inverse = project.apply(edit)?;
        self.last_state += 1;
        let after = self.last_state;
        self.redo.clear();
        if let Some(top) = self.undo.last_mut()
            && coalesce != Coalesce::No
            && top.coalesce == coalesce
            && top.after == self.state
        {
            if let Coalesce::Part(_) = coalesce {
                // Each part changed other things: undo this part, then the earlier ones.
                let older = std::mem::replace(&mut top.edit, Edit::Batch(Vec::new()));
                top.edit = merged(inverse, older);
            }
            // Otherwise the older inverse already restores the state before the first edit.
            top.after = after;
        } else {
            self.undo.push(Step {
                edit: inverse,
                before: self.state,
                after,
                coalesce,
            });
        }
        self.state = after;
        Ok(())
    }

    /// Undoes the last step; false if there is none.
    pub fn undo(&mut self, project: &mut Project) -> Result<bool, EditError> {
        self.finish_replay(project)?;
        self.replay(project, Direction::Back)
    }

    /// Redoes the last undone step; false if there is none.
    pub fn redo(&mut self, project: &mut Project) -> Result<bool, EditError> {
        self.finish_replay(project)?;
        self.replay(project, Direction::Forward)
    }

    /// Starts undoing the last step a part at a time: a step that removes or adds more
    /// than `limit` annotations undoes `limit` of them now and the rest in later calls of
    /// [`History::continue_replay`]; anything else is undone whole. `None` if there is
    /// nothing to undo, else where it stands (`done == total` once it is all undone).
    pub fn undo_part(
        &mut self,
        project: &mut Project,
        limit: usize,
    ) -> Result<Option<Replay>, EditError> {
        self.finish_replay(project)?;
        self.start_replay(project, Direction::Back, limit)
    }

    /// [`History::undo_part`] for redo.
    pub fn redo_part(
        &mut self,
        project: &mut Project,
        limit: usize,
    ) -> Result<Option<Replay>, EditError> {
        self.finish_replay(project)?;
        self.start_replay(project, Direction::Forward, limit)
    }

    /// What undoing (`undo`) or redoing the next step would take back or do again, in the
    /// analyst's words ("tag Organization “Amnesty International”"); `None` if there is no
    /// such step.
    pub fn describe_next(&self, project: &Project, undo: bool) -> Option<String> {
        let step = if undo {
            self.undo.last()?
        } else {
            self.redo.last()?
        };
        Some(describe(project, &step.edit, undo))
    }

    /// Where an undo or redo done in parts stands, while it is under way.
    pub fn replaying(&self) -> Option<Replay> {
        self.replaying.as_ref().map(|r| Replay {
            undo: r.direction == Direction::Back,
            done: r.done,
            total: r.total,
        })
    }

    /// Applies the next `limit` annotations of the undo or redo under way; `None` if none
    /// is. A refused part puts the whole step back where it was, as a refused undo does.
    pub fn continue_replay(
        &mut self,
        project: &mut Project,
        limit: usize,
    ) -> Result<Option<Replay>, EditError> {
        let Some(mut replaying) = self.replaying.take() else {
            return Ok(None);
        };
        let rest = split_part(&mut replaying.rest, limit).unwrap_or(Edit::Batch(Vec::new()));
        let part = std::mem::replace(&mut replaying.rest, rest);
        let count = annotations_in(&part);
        // Kept until the part is in, to put the step back whole if it is refused (a part
        // is small; an undo done whole clones all of its edit for this).
        let kept = part.clone();
        let inverse = match project.apply(part) {
            Ok(inverse) => inverse,
            Err(e) => {
                self.give_up_replay(project, replaying, kept);
                return Err(e);
            }
        };
        let to = match replaying.direction {
            Direction::Back => &mut self.redo,
            Direction::Forward => &mut self.undo,
        };
        if let Some(top) = to.last_mut() {
            let older = std::mem::replace(&mut top.edit, Edit::Batch(Vec::new()));
            top.edit = merged(inverse, older);
        }
        replaying.done += count;
        let replay = Replay {
            undo: replaying.direction == Direction::Back,
            done: replaying.done,
            total: replaying.total,
        };
        if replaying.rest.is_empty() {
            self.state = match replaying.direction {
                Direction::Back => replaying.before,
                Direction::Forward => replaying.after,
            };
        } else {
            // Neither before nor after the step: a state of its own, for caches.
            self.last_state += 1;
            self.state = self.last_state;
            self.replaying = Some(replaying);
        }
        Ok(Some(replay))
    }

    /// Applies all that is left of an undo or redo under way.
    pub fn finish_replay(&mut self, project: &mut Project) -> Result<(), EditError> {
        while self.replaying.is_some() {
            self.continue_replay(project, usize::MAX)?;
        }
        Ok(())
    }

    /// Takes the top step of one stack and applies its first part (all of it if small).
    fn start_replay(
        &mut self,
        project: &mut Project,
        direction: Direction,
        limit: usize,
    ) -> Result<Option<Replay>, EditError> {
        let from = match direction {
            Direction::Back => &mut self.undo,
            Direction::Forward => &mut self.redo,
        };
        let Some(top) = from.last() else {
            return Ok(None);
        };
        let total = annotations_in(&top.edit);
        if total <= limit {
            self.replay(project, direction)?;
            return Ok(Some(Replay {
                undo: direction == Direction::Back,
                done: total,
                total,
            }));
        }
        let Some(step) = from.pop() else {
            return Ok(None);
        };
        let to = match direction {
            Direction::Back => &mut self.redo,
            Direction::Forward => &mut self.undo,
        };
        // The parts' inverses gather in the step that will undo (or redo) all of them.
        to.push(Step {
            edit: Edit::Batch(Vec::new()),
            before: step.before,
            after: step.after,
            coalesce: Coalesce::No,
        });
        self.replaying = Some(Replaying {
            direction,
            rest: step.edit,
            before: step.before,
            after: step.after,
            done: 0,
            total,
        });
        self.continue_replay(project, limit)
    }

    /// Undoes the parts already applied of a refused undo or redo and puts its step back
    /// whole: those parts, the refused one, the rest.
    fn give_up_replay(&mut self, project: &mut Project, replaying: Replaying, refused: Edit) {
        let (from, to) = match replaying.direction {
            Direction::Back => (&mut self.undo, &mut self.redo),
            Direction::Forward => (&mut self.redo, &mut self.undo),
        };
        let applied = to
            .pop()
            .and_then(|applied| project.apply(applied.edit).ok())
            .unwrap_or(Edit::Batch(Vec::new()));
        let edit = merged(merged(replaying.rest, refused), applied);
        self.state = match replaying.direction {
            Direction::Back => replaying.after,
            Direction::Forward => replaying.before,
        };
        from.push(Step {
            edit,
            before: replaying.before,
            after: replaying.after,
            coalesce: Coalesce::No,
        });
    }

    /// Applies the top step of one stack and moves its inverse onto the other. A refused
    /// edit stays where it was (it is cloned for that: edits are all-or-nothing but
    /// consumed).
    fn replay(&mut self, project: &mut Project, direction: Direction) -> Result<bool, EditError> {
        let (from, to) = match direction {
            Direction::Back => (&mut self.undo, &mut self.redo),
            Direction::Forward => (&mut self.redo, &mut self.undo),
        };
        let Some(step) = from.pop() else {
            return Ok(false);
        };
        match project.apply(step.edit.clone()) {
            Ok(inverse) => {
                self.state = match direction {
                    Direction::Back => step.before,
                    Direction::Forward => step.after,
                };
                to.push(Step {
                    edit: inverse,
                    coalesce: Coalesce::No,
                    ..step
                });
                Ok(true)
            }
            Err(e) => {
                from.push(step);
                Err(e)
            }
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// A number that identifies the current state of the annotations: equal numbers mean
    /// equal annotations (for unsaved-changes tracking and caches).
    pub fn state(&self) -> u64 {
        self.state
    }

    /// Ends any merging: the next edit starts a new undo step.
    pub fn seal(&mut self) {
        if let Some(top) = self.undo.last_mut() {
            top.coalesce = Coalesce::No;
        }
    }
}

/// The action that `edit` takes back (`undone`: it is the inverse on the undo stack) or does
/// again (it is the action itself, on the redo stack), in the analyst's words.
fn describe(project: &Project, edit: &Edit, undone: bool) -> String {
    use crate::model::Annotation;
    let label_name = |a: &Annotation| {
        project
            .schema
            .label(&a.label)
            .map_or_else(|| a.label.0.to_string(), |l| l.name.clone())
    };
    let annotations = |verb: &str, list: &[&Annotation]| match list {
        [] => format!("{verb} annotations"),
        [one] => format!(
            "{verb} {} “{}”",
            label_name(one),
            crate::model::text::ellipsize(&one.marked_text(), 50)
        ),
        many => format!("{verb} {} annotations", many.len()),
    };
    let present = |ids: &[crate::model::AnnotationId]| -> Vec<&Annotation> {
        ids.iter()
            .filter_map(|id| project.annotation(*id))
            .collect()
    };
    match (edit, undone) {
        // Undoing a removal of what was added: the action was adding (tagging) it.
        (Edit::Remove(ids), true) => annotations("tag", &present(ids)),
        (Edit::Insert(list), false) => annotations("tag", &list.iter().collect::<Vec<_>>()),
        (Edit::Insert(list), true) => annotations("delete", &list.iter().collect::<Vec<_>>()),
        (Edit::Remove(ids), false) => annotations("delete", &present(ids)),
        (Edit::Replace(list), _) => annotations("change", &list.iter().collect::<Vec<_>>()),
        (
            Edit::AddLabels(_)
            | Edit::RemoveLabels(_)
            | Edit::ReplaceLabels(_)
            | Edit::SetRelationKinds(_),
            _,
        ) => "change the schema".to_owned(),
        (Edit::AddOrphans(_) | Edit::RemoveOrphans(_), _) => "change the review list".to_owned(),
        (Edit::AddEntities(_) | Edit::RemoveEntities(_) | Edit::ReplaceEntities(_), _) => {
            "change the entity registry".to_owned()
        }
        (Edit::AddRelations(_) | Edit::RemoveRelations(_), _) => "change a relation".to_owned(),
        (Edit::SetLeftOut(..), _) => "curate".to_owned(),
        (Edit::SetAssigned(document, _), _) => format!(
            "assign {}",
            project
                .document(*document)
                .map_or_else(|| document.to_string(), |d| d.display_name().to_owned())
        ),
        (Edit::SetMetadata(document, _), _) => format!(
            "edit the details of {}",
            project
                .document(*document)
                .map_or_else(|| document.to_string(), |d| d.display_name().to_owned())
        ),
        (Edit::SetMemo(_), _) => "edit the project memo".to_owned(),
        (Edit::SetStatus(document, _), _) => format!(
            "set the status of {}",
            project
                .document(*document)
                .map_or_else(|| document.to_string(), |d| d.display_name().to_owned())
        ),
        (Edit::RemoveDocuments(ids), _) => format!(
            "{} {}",
            if undone { "add" } else { "remove" },
            ids.first()
                .and_then(|id| project.document(*id))
                .map_or("a document", crate::model::Document::display_name)
        ),
        (Edit::AddDocuments(documents), _) => format!(
            "{} {}",
            if undone { "remove" } else { "add" },
            documents
                .first()
                .map_or("a document", crate::model::Document::display_name)
        ),
        (Edit::Batch(edits), _) => {
            // A document removed or brought back says most; then the annotations' change;
            // else the first part.
            if let Some(documents) = edits
                .iter()
                .find(|e| matches!(e, Edit::AddDocuments(_) | Edit::RemoveDocuments(_)))
            {
                return describe(project, documents, undone);
            }
            // The annotations' change says most; else the first part.
            let main = edits
                .iter()
                .find(|e| matches!(e, Edit::Insert(_) | Edit::Remove(_) | Edit::Replace(_)))
                .or(edits.first());
            main.map_or_else(|| "a change".to_owned(), |e| describe(project, e, undone))
        }
    }
}
