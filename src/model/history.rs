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
/// annotations where both only added some (a big "tag all"), else the two in turn.
fn merged(newer: Edit, older: Edit) -> Edit {
    match (newer, older) {
        (Edit::Remove(mut newer), Edit::Remove(older)) => {
            newer.extend(older);
            Edit::Remove(newer)
        }
        (newer, older) => Edit::Batch(vec![newer, older]),
    }
}

#[derive(Clone, Copy)]
enum Direction {
    Back,
    Forward,
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
        self.replay(project, Direction::Back)
    }

    /// Redoes the last undone step; false if there is none.
    pub fn redo(&mut self, project: &mut Project) -> Result<bool, EditError> {
        self.replay(project, Direction::Forward)
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
