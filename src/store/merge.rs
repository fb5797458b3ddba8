//! Three-way merge of project files: what `marginalia merge-driver` does for git, and what
//! reading a file left with git's conflict markers does (see ARCHITECTURE.md, "Teams").
//!
//! The merge works on the project's structure, not its lines: every collection (labels,
//! documents, entities, annotations, relations, the review list, rejected suggestions) is
//! merged by id. A change on one side and none on the other is taken, additions from both
//! sides are kept, a deletion against no change wins. Two sides that changed different
//! fields of one annotation or entity are both taken. Only a *true* conflict (both sides
//! changed the same field differently, or changed what the other deleted) is left for the
//! analyst, and it never loses a side: for an annotation, "ours" stays in place and
//! "theirs" goes to the review list with the reason; a deletion against a change keeps the
//! change. References left dangling by the merge (a relation to a deleted annotation, a
//! mention of an entity merged away) are repaired or their target restored.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use super::{LoadMode, ProjectFile, StoreError};
use crate::model::{
    Annotation, AnnotationId, Document, DocumentId, Entity, EntityId, Label, LabelId, Metadata,
    Orphan, Relation, Source,
};

/// A merged project file and what the merge did.
#[derive(Debug)]
pub struct Merged {
    /// The merged project file, in the layout this build writes.
    pub text: String,
    /// What was done beyond taking one side's change, one line each, for the analyst.
    pub report: Vec<String>,
    /// True conflicts left for the analyst (on the review list).
    pub conflicts: usize,
}

/// Merges `ours` and `theirs`, two versions of the project file at `path` (used in
/// messages) descended from `base` (empty when they have no common ancestor).
pub fn merge_texts(
    base: &str,
    ours: &str,
    theirs: &str,
    path: &Path,
) -> Result<Merged, StoreError> {
    let side = |text: &str, which: &str| {
        read(text, path).map_err(|e| match e {
            StoreError::Syntax {
                path,
                line,
                column,
                message,
            } => StoreError::Syntax {
                path,
                line,
                column,
                message: format!("{which}: {message}"),
            },
            other => other,
        })
    };
    let base = if base.trim().is_empty() {
        None
    } else {
        Some(side(base, "the common ancestor")?)
    };
    let ours = side(ours, "our version")?;
    let theirs = side(theirs, "their version")?;
    let mut merger = Merger::default();
    let file = merger.merge(base, &ours, theirs);
    let loaded = super::build(file, path, LoadMode::SetAsideInvalid)?;
    merger.report.extend(loaded.set_aside);
    let text = super::to_ron(&loaded.project).map_err(|e| StoreError::Invalid {
        path: path.to_owned(),
        problem: e.to_string(),
    })?;
    Ok(Merged {
        text,
        report: merger.report,
        conflicts: merger.conflicts,
    })
}

/// True if `text` holds a line git writes around a conflict (`<<<<<<< `).
pub fn has_conflict_markers(text: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with("<<<<<<<") || l.starts_with(">>>>>>>"))
}

/// A project file left by a line merge with git's conflict markers, resolved: the file is
/// split into our version, their version (and the common ancestor's, where git wrote it:
/// `merge.conflictStyle diff3`), and those are merged like the merge driver would. `None`
/// if `text` has no markers.
pub fn resolve_conflict_markers(text: &str, path: &Path) -> Result<Option<Merged>, StoreError> {
    if !has_conflict_markers(text) {
        return Ok(None);
    }
    let (ours, base, theirs) = split_conflicts(text);
    // Without the ancestor's lines, what only one side has counts as added (kept).
    let base = if read(&base, path).is_ok() {
        base
    } else {
        String::new()
    };
    let mut merged = merge_texts(&base, &ours, &theirs, path)?;
    merged.report.insert(
        0,
        format!(
            "the project file held git's conflict markers (a merge without Marginalia's merge driver); both sides were merged, nothing was dropped: {}",
            path.display()
        ),
    );
    Ok(Some(merged))
}

/// Our, the ancestor's (empty where git did not write it) and their lines of a file with
/// conflict markers.
fn split_conflicts(text: &str) -> (String, String, String) {
    #[derive(PartialEq)]
    enum In {
        Common,
        Ours,
        Base,
        Theirs,
    }
    let (mut ours, mut base, mut theirs) = (String::new(), String::new(), String::new());
    let mut state = In::Common;
    for line in text.split_inclusive('\n') {
        let marker = |m: &str| line.starts_with(m);
        match state {
            _ if marker("<<<<<<<") => state = In::Ours,
            In::Ours | In::Base if marker("|||||||") => state = In::Base,
            In::Ours | In::Base if marker("=======") => state = In::Theirs,
            In::Theirs if marker(">>>>>>>") => state = In::Common,
            In::Common => {
                ours.push_str(line);
                base.push_str(line);
                theirs.push_str(line);
            }
            In::Ours => ours.push_str(line),
            In::Base => base.push_str(line),
            In::Theirs => theirs.push_str(line),
        }
    }
    (ours, base, theirs)
}

/// One side's file, parsed (not yet checked against itself: the merge result is).
fn read(text: &str, path: &Path) -> Result<ProjectFile, StoreError> {
    super::checked_version(super::parse_file(text), text, path)
}

/// The outcome of one key's three versions: `Some` of the version to keep (`None`:
/// deleted), or `None` for a conflict.
#[allow(clippy::option_option, reason = "kept, deleted, or in conflict")]
fn pick<V: PartialEq + Clone>(b: Option<&V>, o: Option<&V>, t: Option<&V>) -> Option<Option<V>> {
    if o == t || b == t {
        Some(o.cloned())
    } else if b == o {
        Some(t.cloned())
    } else {
        None
    }
}

/// One field of a value both sides changed: `Some` if the sides agree or only one changed
/// it (base `None`: both added the value).
fn field<V: PartialEq + Clone>(b: Option<&V>, o: &V, t: &V) -> Option<V> {
    if o == t || b == Some(t) {
        Some(o.clone())
    } else if b == Some(o) {
        Some(t.clone())
    } else {
        None
    }
}

#[derive(Default)]
struct Merger {
    report: Vec<String>,
    conflicts: usize,
}

impl Merger {
    /// A text both sides may have changed: the side that changed it wins; changed on both
    /// sides differently, both versions are kept (ours, then theirs) and that is said.
    fn text(&mut self, base: &str, ours: &str, theirs: &str, what: &str) -> String {
        if ours == theirs || base == theirs {
            return ours.to_owned();
        }
        if base == ours {
            return theirs.to_owned();
        }
        self.report.push(format!(
            "{what} was changed on both sides; both versions were kept, one after the other"
        ));
        format!("{ours}\n\n{theirs}")
    }

    fn merge(
        &mut self,
        base: Option<ProjectFile>,
        ours: &ProjectFile,
        mut theirs: ProjectFile,
    ) -> ProjectFile {
        let base = base.unwrap_or_else(|| ProjectFile::empty(ours));
        let name = pick(Some(&base.name), Some(&ours.name), Some(&theirs.name))
            .flatten()
            .unwrap_or_else(|| ours.name.clone());
        let memo = self.text(&base.memo, &ours.memo, &theirs.memo, "the project memo");
        let documents = self.documents(&base, ours, &mut theirs);
        let labels = self.labels(&base, ours, &theirs);
        let relation_kinds = set_merge(
            &base.schema.relation_kinds,
            &ours.schema.relation_kinds,
            &theirs.schema.relation_kinds,
        );
        let entities = self.entities(&base, ours, &theirs);
        let (annotations, mut orphans) = self.annotations(&base, ours, &theirs);
        let relations = self.relations(&base, ours, &theirs);
        orphans.extend(merge_keyed(
            &base.orphans,
            &ours.orphans,
            &theirs.orphans,
            |o| o.annotation.id,
            |_, o, t| o.or(t).cloned(),
        ));
        let rejected = set_merge(&base.rejected, &ours.rejected, &theirs.rejected);
        let left_out = set_merge(&base.left_out, &ours.left_out, &theirs.left_out);
        let mut file = ProjectFile {
            version: super::FORMAT_VERSION,
            name,
            memo,
            last_document: None,
            schema: crate::model::Schema {
                labels,
                relation_kinds,
            },
            documents,
            entities,
            annotations,
            relations,
            orphans,
            rejected,
            left_out,
        };
        self.repair(&mut file, [&base, ours, &theirs]);
        file
    }

    /// Documents by id; a document theirs added that ours added too (same path and
    /// contents, another id) is one document: their annotations of it move to ours.
    fn documents(
        &mut self,
        base: &ProjectFile,
        ours: &ProjectFile,
        theirs: &mut ProjectFile,
    ) -> Vec<Document> {
        let in_base: BTreeSet<DocumentId> = base.documents.iter().map(|d| d.id).collect();
        let in_ours: BTreeSet<DocumentId> = ours.documents.iter().map(|d| d.id).collect();
        let mut same: HashMap<DocumentId, DocumentId> = HashMap::new();
        for d in &theirs.documents {
            if in_base.contains(&d.id) || in_ours.contains(&d.id) {
                continue;
            }
            if let Some(twin) = ours
                .documents
                .iter()
                .find(|x| x.path == d.path && x.sha256 == d.sha256 && !in_base.contains(&x.id))
            {
                same.insert(d.id, twin.id);
            }
        }
        if !same.is_empty() {
            theirs.documents.retain(|d| !same.contains_key(&d.id));
            for a in &mut theirs.annotations {
                if let Some(&to) = same.get(&a.document) {
                    Arc::make_mut(a).document = to;
                }
            }
            for r in &mut theirs.rejected {
                if let Some(&to) = same.get(&r.document) {
                    r.document = to;
                }
            }
            for place in &mut theirs.left_out {
                if let Some(&to) = same.get(&place.document) {
                    place.document = to;
                }
            }
        }
        merge_keyed(
            &base.documents,
            &ours.documents,
            &theirs.documents,
            |d| d.id,
            |bd, od, td| self.document_conflict(bd, od, td),
        )
    }

    /// A document both sides changed (status and assignments merged, the rest ours), or
    /// one side removed and the other changed (kept).
    fn document_conflict(
        &mut self,
        bd: Option<&Document>,
        od: Option<&Document>,
        td: Option<&Document>,
    ) -> Option<Document> {
        let (Some(od), Some(td)) = (od, td) else {
            let doc = od.or(td)?;
            self.report.push(format!(
                "document {:?} was removed on one side and changed on the other; it was kept",
                doc.path
            ));
            return Some(doc.clone());
        };
        let mut doc = od.clone();
        if let Some(status) = field(bd.map(|d| &d.status), &od.status, &td.status) {
            doc.status = status;
        }
        doc.assigned = set_merge(
            bd.map_or(&[][..], |d| &d.assigned),
            &od.assigned,
            &td.assigned,
        );
        let (bm, om, tm) = (bd.map(|d| &d.metadata), &od.metadata, &td.metadata);
        doc.metadata.note = match (bm.and_then(|m| m.note.as_deref()), &om.note, &tm.note) {
            (base, Some(o), Some(t)) => Some(self.text(base.unwrap_or(""), o, t, "a source note")),
            (_, o, t) => field(bm.map(|m| &m.note), o, t).unwrap_or_else(|| o.clone()),
        };
        let (mut ours_rest, mut theirs_rest) = (om.clone(), tm.clone());
        (ours_rest.note, theirs_rest.note) = (None, None);
        let base_rest = bm.map(|m| Metadata {
            note: None,
            ..m.clone()
        });
        if let Some(rest) = field(base_rest.as_ref(), &ours_rest, &theirs_rest) {
            doc.metadata = Metadata {
                note: doc.metadata.note.take(),
                ..rest
            };
        }
        let mut theirs = td.clone();
        theirs.status = doc.status;
        theirs.assigned.clone_from(&doc.assigned);
        theirs.metadata.clone_from(&doc.metadata);
        if doc != theirs {
            self.report.push(format!(
                "document {:?} was changed on both sides; ours was kept",
                od.path
            ));
        }
        Some(doc)
    }

    /// Labels by id, in our order with theirs added after; a key both sides gave to
    /// different labels stays with ours.
    fn labels(
        &mut self,
        base: &ProjectFile,
        ours: &ProjectFile,
        theirs: &ProjectFile,
    ) -> Vec<Label> {
        let by_id = |file: &ProjectFile| -> BTreeMap<LabelId, Label> {
            file.schema
                .labels
                .iter()
                .map(|l| (l.id.clone(), l.clone()))
                .collect()
        };
        let (b, o, t) = (by_id(base), by_id(ours), by_id(theirs));
        let order: Vec<LabelId> = ours
            .schema
            .labels
            .iter()
            .chain(&theirs.schema.labels)
            .chain(&base.schema.labels)
            .map(|l| l.id.clone())
            .collect::<Vec<_>>();
        let mut seen = BTreeSet::new();
        let mut out: Vec<Label> = Vec::new();
        for id in order {
            if !seen.insert(id.clone()) {
                continue;
            }
            let (bl, ol, tl) = (b.get(&id), o.get(&id), t.get(&id));
            let label = match pick(bl, ol, tl) {
                Some(label) => label,
                None => match (ol, tl) {
                    (Some(ol), Some(tl)) => {
                        let mut label = ol.clone();
                        let mut lost = false;
                        match field(bl.map(|l| &l.name), &ol.name, &tl.name) {
                            Some(v) => label.name = v,
                            None => lost = true,
                        }
                        match field(bl.map(|l| &l.color), &ol.color, &tl.color) {
                            Some(v) => label.color = v,
                            None => lost = true,
                        }
                        match field(bl.map(|l| &l.key), &ol.key, &tl.key) {
                            Some(v) => label.key = v,
                            None => lost = true,
                        }
                        match field(bl.map(|l| &l.attributes), &ol.attributes, &tl.attributes) {
                            Some(v) => label.attributes = v,
                            None => lost = true,
                        }
                        if lost {
                            self.conflicts += 1;
                            self.report.push(format!(
                                "label \"{id}\" was changed differently on both sides; ours ({}) was kept, theirs was {}",
                                ol.name, tl.name
                            ));
                        }
                        Some(label)
                    }
                    (one, other) => {
                        let kept = one.or(other).cloned();
                        if let Some(l) = &kept {
                            self.report.push(format!(
                                "label \"{}\" was deleted on one side and changed on the other; it was kept",
                                l.name
                            ));
                        }
                        kept
                    }
                },
            };
            if let Some(mut label) = label {
                if let Some(key) = label.key
                    && out.iter().any(|l| l.key == Some(key))
                {
                    label.key = None;
                    self.report.push(format!(
                        "both sides gave the key {key} to a label; \"{}\" lost it",
                        label.name
                    ));
                }
                out.push(label);
            }
        }
        out
    }

    fn entities(
        &mut self,
        base: &ProjectFile,
        ours: &ProjectFile,
        theirs: &ProjectFile,
    ) -> Vec<Entity> {
        merge_keyed(
            &base.entities,
            &ours.entities,
            &theirs.entities,
            |e| e.id,
            |be, oe, te| self.entity_conflict(be, oe, te),
        )
    }

    /// An entity both sides changed, field by field (their name kept as an alias), or one
    /// side deleted and the other changed (kept).
    fn entity_conflict(
        &mut self,
        be: Option<&Entity>,
        oe: Option<&Entity>,
        te: Option<&Entity>,
    ) -> Option<Entity> {
        let (Some(oe), Some(te)) = (oe, te) else {
            let kept = oe.or(te)?;
            self.report.push(format!(
                "entity \"{}\" was deleted on one side and changed on the other; it was kept",
                kept.name
            ));
            return Some(kept.clone());
        };
        let mut entity = oe.clone();
        let mut lost = Vec::new();
        match field(be.map(|e| &e.name), &oe.name, &te.name) {
            Some(name) => entity.name = name,
            None => lost.push(format!("name ({} / {})", oe.name, te.name)),
        }
        entity.aliases = set_merge(be.map_or(&[][..], |e| &e.aliases), &oe.aliases, &te.aliases);
        if entity.name != te.name && !entity.aliases.contains(&te.name) {
            entity.aliases.push(te.name.clone());
        }
        entity.aliases.retain(|a| a != &entity.name);
        match field(be.map(|e| &e.kind), &oe.kind, &te.kind) {
            Some(kind) => entity.kind = kind,
            None => lost.push("kind".to_owned()),
        }
        if let Some(note) = field(be.map(|e| &e.note), &oe.note, &te.note) {
            entity.note = note;
        } else {
            entity.note = format!("{}\n{}", oe.note, te.note);
            lost.push("note (both kept)".to_owned());
        }
        match field(be.map(|e| &e.external_id), &oe.external_id, &te.external_id) {
            Some(external) => entity.external_id = external,
            None => lost.push("external id".to_owned()),
        }
        if !lost.is_empty() {
            self.conflicts += 1;
            self.report.push(format!(
                "entity \"{}\" was changed differently on both sides ({}); ours was kept, their name is an alias",
                entity.name,
                lost.join(", ")
            ));
        }
        Some(entity)
    }

    /// Annotations by id, and the versions of true conflicts that go to the review list.
    fn annotations(
        &mut self,
        base: &ProjectFile,
        ours: &ProjectFile,
        theirs: &ProjectFile,
    ) -> (Vec<Arc<Annotation>>, Vec<Orphan>) {
        let (b, o, t) = (index(base), index(ours), index(theirs));
        let taken: BTreeSet<u64> = b
            .keys()
            .chain(o.keys())
            .chain(t.keys())
            .map(|id| id.0)
            .collect();
        let mut fresh = 0;
        let mut out = Vec::with_capacity(o.len().max(t.len()));
        let mut review = Vec::new();
        let ids: BTreeSet<AnnotationId> =
            b.keys().chain(o.keys()).chain(t.keys()).copied().collect();
        for id in ids {
            let (ba, oa, ta) = (
                b.get(&id).copied(),
                o.get(&id).copied(),
                t.get(&id).copied(),
            );
            if let Some(kept) = pick(ba, oa, ta) {
                out.extend(kept);
                continue;
            }
            let (Some(oa), Some(ta)) = (oa, ta) else {
                let kept = oa.or(ta).expect("one side has it");
                self.report.push(format!(
                    "annotation {} ({:?}) was deleted on one side and changed on the other; it was kept",
                    id,
                    excerpt(kept)
                ));
                out.push(Arc::clone(kept));
                continue;
            };
            if let Some(merged) = merge_annotation(ba.map(|a| &**a), oa, ta) {
                out.push(Arc::new(merged));
                continue;
            }
            let mut theirs = (**ta).clone();
            theirs.id = AnnotationId(crate::model::ids::next_in_run(&mut fresh, |c| {
                taken.contains(&c)
            }));
            out.push(Arc::clone(oa));
            let elsewhere = oa.document != ta.document
                || oa.span.end() <= ta.span.start()
                || ta.span.end() <= oa.span.start();
            if ba.is_none() && elsewhere {
                // Two annotations given one id (a near impossibility, see model::ids):
                // both are kept, theirs under a new id. (One id at one place with no
                // common version known, as a line merge's hunks leave it, is a conflict.)
                self.report.push(format!(
                    "two annotations were given the id {id}; {:?} is now {}",
                    excerpt(ta),
                    theirs.id
                ));
                out.push(Arc::new(theirs));
                continue;
            }
            self.conflicts += 1;
            let reason = format!(
                "merge conflict: {} and {} changed annotation {id} differently; this is {}'s version, the other stayed as {id}",
                who(oa),
                who(ta),
                who(ta)
            );
            self.report.push(format!("{reason} ({:?})", excerpt(ta)));
            review.push(Orphan {
                annotation: theirs,
                reason,
                suggestion: None,
            });
        }
        (out, review)
    }

    fn relations(
        &mut self,
        base: &ProjectFile,
        ours: &ProjectFile,
        theirs: &ProjectFile,
    ) -> Vec<Relation> {
        merge_keyed(
            &base.relations,
            &ours.relations,
            &theirs.relations,
            |r| r.id,
            |_, or, tr| {
                if let (Some(or), Some(_)) = (or, tr) {
                    self.report.push(format!(
                        "relation {} was changed differently on both sides; ours was kept",
                        or.id.0
                    ));
                }
                or.or(tr).cloned()
            },
        )
    }

    /// References the merge left dangling: relations to a deleted annotation restore it;
    /// a mention of an entity deleted on one side (merged into another) moves to the entity
    /// now bearing its name, or restores it; annotations of a deleted label restore it.
    fn repair(&mut self, file: &mut ProjectFile, sides: [&ProjectFile; 3]) {
        let present: BTreeSet<AnnotationId> = file
            .annotations
            .iter()
            .map(|a| a.id)
            .chain(file.orphans.iter().map(|o| o.annotation.id))
            .collect();
        let wanted: BTreeSet<AnnotationId> = file
            .relations
            .iter()
            .flat_map(|r| [r.from, r.to])
            .filter(|id| !present.contains(id))
            .collect();
        for id in wanted {
            let found = sides
                .iter()
                .rev()
                .find_map(|side| side.annotations.iter().find(|a| a.id == id));
            if let Some(found) = found {
                self.report.push(format!(
                    "annotation {id} ({:?}) was deleted on one side while the other related it to another; it was kept",
                    excerpt(found)
                ));
                file.annotations.push(Arc::clone(found));
            }
        }
        self.repair_entities(file, sides);
        let labels: BTreeSet<LabelId> = file.schema.labels.iter().map(|l| l.id.clone()).collect();
        let missing: BTreeSet<LabelId> = file
            .annotations
            .iter()
            .map(|a| a.label.clone())
            .chain(file.entities.iter().map(|e| e.kind.clone()))
            .filter(|l| !labels.contains(l))
            .collect();
        for id in missing {
            let found = sides
                .iter()
                .rev()
                .find_map(|side| side.schema.labels.iter().find(|l| l.id == id));
            if let Some(label) = found {
                let mut label = label.clone();
                if label
                    .key
                    .is_some_and(|k| file.schema.labels.iter().any(|l| l.key == Some(k)))
                {
                    label.key = None;
                }
                self.report.push(format!(
                    "label \"{}\" was deleted on one side while the other used it; it was kept",
                    label.name
                ));
                file.schema.labels.push(label);
            }
        }
    }

    fn repair_entities(&mut self, file: &mut ProjectFile, sides: [&ProjectFile; 3]) {
        let known: BTreeSet<EntityId> = file.entities.iter().map(|e| e.id).collect();
        let mut moved: HashMap<EntityId, EntityId> = HashMap::new();
        let referenced: BTreeSet<EntityId> = file
            .annotations
            .iter()
            .flat_map(|a| a.entities())
            .filter(|e| !known.contains(e))
            .collect();
        for id in referenced {
            let Some(gone) = sides
                .iter()
                .find_map(|side| side.entities.iter().find(|e| e.id == id))
                .cloned()
            else {
                continue;
            };
            let heir = file
                .entities
                .iter()
                .find(|e| e.kind == gone.kind && e.is_named(&gone.name))
                .map(|e| (e.id, e.name.clone()));
            if let Some((heir, heir_name)) = heir {
                self.report.push(format!(
                    "entity \"{}\" was merged into \"{heir_name}\" on one side; the other side's mentions of it followed",
                    gone.name
                ));
                moved.insert(id, heir);
            } else {
                self.report.push(format!(
                    "entity \"{}\" was deleted on one side while the other referred to it; it was kept",
                    gone.name
                ));
                file.entities.push(gone);
            }
        }
        if moved.is_empty() {
            return;
        }
        for a in &mut file.annotations {
            let follows = a.entity.is_some_and(|e| moved.contains_key(&e))
                || matches!(a.attrs.source, Some(Source::Entity(e)) if moved.contains_key(&e));
            if follows {
                let a = Arc::make_mut(a);
                if let Some(e) = a.entity.and_then(|e| moved.get(&e)) {
                    a.entity = Some(*e);
                }
                if let Some(Source::Entity(e)) = a.attrs.source
                    && let Some(to) = moved.get(&e)
                {
                    a.attrs.source = Some(Source::Entity(*to));
                }
            }
        }
    }
}

/// Both sides changed annotation `o`/`t`: merged field by field, or `None` if they changed
/// one field differently (or two annotations were given one id: no common ancestor).
fn merge_annotation(b: Option<&Annotation>, o: &Annotation, t: &Annotation) -> Option<Annotation> {
    let b = b?;
    let place = |a: &Annotation| {
        let (text, prefix, suffix) = a.words();
        (
            a.document,
            a.span,
            a.fragments.clone(),
            text.to_owned(),
            prefix.to_owned(),
            suffix.to_owned(),
        )
    };
    let (bp, op, tp) = (place(b), place(o), place(t));
    let mut merged = o.clone();
    let p = field(Some(&bp), &op, &tp)?;
    if p == tp && p != op {
        merged.document = t.document;
        merged.span = t.span;
        merged.fragments.clone_from(&t.fragments);
        merged.excerpt = t.excerpt.clone();
    }
    merged.label = field(Some(&b.label), &o.label, &t.label)?;
    merged.entity = field(Some(&b.entity), &o.entity, &t.entity)?;
    merged.attrs = field(Some(&b.attrs), &o.attrs, &t.attrs)?;
    merged.note = field(Some(&b.note), &o.note, &t.note)?;
    if t.modified > o.modified {
        merged.modified = t.modified;
        merged.changed_by.clone_from(&t.changed_by);
    }
    Some(merged)
}

/// The analyst who last changed `a`, for a report.
fn who(a: &Annotation) -> String {
    let name = if a.changed_by.is_empty() {
        &a.author
    } else {
        &a.changed_by
    };
    if name.is_empty() {
        "an analyst".to_owned()
    } else {
        name.clone()
    }
}

/// A file's annotations by id.
fn index(file: &ProjectFile) -> HashMap<AnnotationId, &Arc<Annotation>> {
    file.annotations.iter().map(|a| (a.id, a)).collect()
}

/// A short excerpt of an annotation's words, for a report.
fn excerpt(a: &Annotation) -> String {
    let text = a.text();
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

/// A three-way merge of a collection by key: each key's version is the one [`pick`]
/// chooses, or what `conflict` makes of the three versions (`None`: none kept).
fn merge_keyed<K: Ord + Clone, V: PartialEq + Clone>(
    base: &[V],
    ours: &[V],
    theirs: &[V],
    key: impl Fn(&V) -> K,
    mut conflict: impl FnMut(Option<&V>, Option<&V>, Option<&V>) -> Option<V>,
) -> Vec<V> {
    fn by_key<'a, K: Ord, V>(items: &'a [V], key: &impl Fn(&V) -> K) -> BTreeMap<K, &'a V> {
        items.iter().map(|v| (key(v), v)).collect()
    }
    let (b, o, t) = (by_key(base, &key), by_key(ours, &key), by_key(theirs, &key));
    let keys: BTreeSet<&K> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let (bv, ov, tv) = (b.get(k).copied(), o.get(k).copied(), t.get(k).copied());
            pick(bv, ov, tv).unwrap_or_else(|| conflict(bv, ov, tv))
        })
        .collect()
}

/// A three-way merge of lists taken as sets: ours in order, then what theirs added; what
/// either side removed (and the other kept) is gone.
fn set_merge<V: PartialEq + Clone>(base: &[V], ours: &[V], theirs: &[V]) -> Vec<V> {
    let removed_by_theirs = |v: &V| base.contains(v) && !theirs.contains(v);
    let mut out: Vec<V> = ours
        .iter()
        .filter(|v| !removed_by_theirs(v))
        .cloned()
        .collect();
    for v in theirs {
        if !base.contains(v) && !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

impl ProjectFile {
    /// A file with nothing in it (the ancestor of two files that have none).
    fn empty(like: &Self) -> Self {
        Self {
            version: like.version,
            name: like.name.clone(),
            memo: String::new(),
            last_document: None,
            schema: crate::model::Schema {
                labels: Vec::new(),
                relation_kinds: Vec::new(),
            },
            documents: Vec::new(),
            entities: Vec::new(),
            annotations: Vec::new(),
            relations: Vec::new(),
            orphans: Vec::new(),
            rejected: Vec::new(),
            left_out: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edit, Project};

    fn text(project: &Project) -> String {
        super::super::to_ron(project).expect("serialize")
    }

    fn merged(base: &Project, ours: &Project, theirs: &Project) -> (Project, Merged) {
        let merged = merge_texts(&text(base), &text(ours), &text(theirs), Path::new("p.ron"))
            .expect("merge");
        let project = super::super::from_ron(&merged.text, Path::new("p.ron")).expect("loads");
        (project, merged)
    }

    fn changed(project: &Project, id: AnnotationId, change: impl Fn(&mut Annotation)) -> Project {
        let mut project = project.clone();
        let mut annotation = project.annotation(id).expect("annotation").clone();
        change(&mut annotation);
        project
            .apply(Edit::Replace(vec![annotation]))
            .expect("replace");
        project
    }

    fn ids(project: &Project) -> Vec<AnnotationId> {
        let mut ids: Vec<_> = project.annotations().map(|a| a.id).collect();
        ids.sort();
        ids
    }

    #[test]
    fn changes_to_different_fields_of_one_annotation_are_both_taken() {
        let base = super::super::tests::sample_project();
        let first = ids(&base)[0];
        let ours = changed(&base, first, |a| a.note = "ours".to_owned());
        let theirs = changed(&base, first, |a| a.label = LabelId("claim".into()));
        let (project, report) = merged(&base, &ours, &theirs);
        let a = project.annotation(first).expect("kept");
        assert_eq!((a.note.as_str(), a.label.as_str()), ("ours", "claim"));
        assert_eq!(report.conflicts, 0);
        assert_eq!(project.orphan_count(), 0);
    }

    #[test]
    fn two_analysts_curating_claim_clusters_merge_without_a_conflict() {
        use crate::model::clusters::ClusterId;
        let mut base = super::super::tests::sample_project();
        let claim = base.annotation(ids(&base)[1]).expect("claim").clone();
        let more: Vec<Annotation> = (0..4)
            .map(|_| Annotation {
                id: base.allocate_annotation_id(),
                ..claim.clone()
            })
            .collect();
        base.apply(Edit::Insert(more)).expect("insert");
        let all = ids(&base);
        let group = |project: &Project, members: &[AnnotationId]| {
            let id = ClusterId::of_members(members);
            members.iter().fold(project.clone(), |p, &m| {
                changed(&p, m, |a| a.attrs.cluster = Some(id))
            })
        };
        // Different clusters on each side, and one cluster confirmed on both.
        let shared = [all[0], all[1]];
        let ours = group(&group(&base, &shared), &[all[2], all[3]]);
        let theirs = group(&group(&base, &shared), &[all[4], all[5]]);
        let (project, report) = merged(&base, &ours, &theirs);
        assert_eq!(report.conflicts, 0, "{:?}", report.report);
        let cluster = |id: AnnotationId| project.annotation(id).expect("kept").attrs.cluster;
        assert_eq!(cluster(all[0]), Some(ClusterId::of_members(&shared)));
        assert_eq!(cluster(all[0]), cluster(all[1]));
        assert_eq!(cluster(all[2]), cluster(all[3]));
        assert_eq!(cluster(all[4]), cluster(all[5]));
        assert!(cluster(all[2]).is_some() && cluster(all[4]).is_some());
        assert_ne!(cluster(all[2]), cluster(all[4]));
    }

    #[test]
    fn memos_and_source_notes_merge_and_both_versions_stay_when_both_changed() {
        let base = super::super::tests::sample_project();
        let document = base.documents()[0].id;
        let with = |project: &Project, memo: &str, note: Option<&str>, title: Option<&str>| {
            let mut p = project.clone();
            let mut metadata = p.document(document).expect("doc").metadata.clone();
            metadata.note = note.map(str::to_owned);
            if let Some(title) = title {
                metadata.title = Some(title.to_owned());
            }
            p.apply(Edit::SetMetadata(document, Box::new(metadata)))
                .expect("metadata");
            p.apply(Edit::SetMemo(memo.to_owned())).expect("memo");
            p
        };
        // Ours wrote the project memo and retitled the document, theirs noted the source.
        let ours = with(
            &base,
            "Check the defence ministry's figures.",
            None,
            Some("Retitled"),
        );
        let theirs = with(&base, "", Some("State-run outlet."), None);
        let (project, report) = merged(&base, &ours, &theirs);
        assert_eq!(report.conflicts, 0, "{:?}", report.report);
        assert_eq!(project.memo, "Check the defence ministry's figures.");
        let metadata = &project.document(document).expect("kept").metadata;
        assert_eq!(metadata.note.as_deref(), Some("State-run outlet."));
        assert_eq!(metadata.title.as_deref(), Some("Retitled"));

        // Both changed the memo and the note: nothing is lost, and it is said.
        let ours = with(&base, "Ours.", Some("Our note."), None);
        let theirs = with(&base, "Theirs.", Some("Their note."), None);
        let (project, report) = merged(&base, &ours, &theirs);
        assert_eq!(project.memo, "Ours.\n\nTheirs.");
        let note = project
            .document(document)
            .expect("kept")
            .metadata
            .note
            .clone();
        assert_eq!(note.as_deref(), Some("Our note.\n\nTheir note."));
        assert!(
            report
                .report
                .iter()
                .any(|r| r.contains("the project memo was changed on both sides")),
            "{:?}",
            report.report
        );
    }

    #[test]
    fn a_deletion_wins_over_no_change_and_loses_to_a_change() {
        let base = super::super::tests::sample_project();
        let all = ids(&base);
        let (edited, untouched) = (all[0], all[1]);
        let mut ours = base.clone();
        ours.apply(Edit::Remove(vec![edited, untouched]))
            .expect("remove");
        let theirs = changed(&base, edited, |a| a.note = "theirs".to_owned());
        let (project, report) = merged(&base, &ours, &theirs);
        assert_eq!(project.annotation(edited).expect("kept").note, "theirs");
        assert!(project.annotation(untouched).is_none());
        assert!(
            report
                .report
                .iter()
                .any(|l| l.contains("deleted on one side")),
            "{:?}",
            report.report
        );
    }

    #[test]
    fn the_same_field_changed_differently_keeps_ours_and_puts_theirs_up_for_review() {
        let base = super::super::tests::sample_project();
        let first = ids(&base)[0];
        let ours = changed(&base, first, |a| a.note = "ours".to_owned());
        let theirs = changed(&base, first, |a| a.note = "theirs".to_owned());
        let (project, report) = merged(&base, &ours, &theirs);
        assert_eq!(project.annotation(first).expect("ours").note, "ours");
        let waiting: Vec<_> = project.orphans().collect();
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0].annotation.note, "theirs");
        assert_ne!(waiting[0].annotation.id, first);
        assert_eq!(report.conflicts, 1);
        // Merging the merge with itself changes nothing.
        let (again, _) = merged(&project, &project, &project);
        assert_eq!(text(&again), text(&project));
    }

    #[test]
    fn both_sides_adding_labels_with_one_key_keep_the_key_on_ours() {
        let base = super::super::tests::sample_project();
        let label = |id: &str| Label {
            id: LabelId(id.into()),
            name: id.to_owned(),
            kind: crate::model::LabelKind::Entity,
            color: crate::model::Rgb([1, 2, 3]),
            key: Some('8'),
            attributes: Vec::new(),
        };
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        ours.schema.labels.push(label("weapon"));
        theirs.schema.labels.push(label("vehicle"));
        let (project, _) = merged(&base, &ours, &theirs);
        let key = |id: &str| {
            project
                .schema
                .label(&LabelId(id.into()))
                .expect("label")
                .key
        };
        assert_eq!((key("weapon"), key("vehicle")), (Some('8'), None));
    }

    #[test]
    fn assignments_made_on_both_sides_are_both_kept() {
        let base = super::super::tests::sample_project();
        let document = base.documents()[0].id;
        let assign = |names: &[&str]| {
            let mut p = base.clone();
            p.apply(Edit::SetAssigned(
                document,
                names.iter().map(|n| (*n).to_owned()).collect(),
            ))
            .expect("assign");
            p
        };
        let (project, _) = merged(&base, &assign(&["Ana"]), &assign(&["Ben"]));
        assert_eq!(project.documents()[0].assigned, ["Ana", "Ben"]);
        // Places left out of the curated layer on either side stay left out.
        let leave = |start: usize| {
            let mut p = base.clone();
            let place = crate::model::LeftOut {
                document,
                start,
                end: start + 5,
            };
            p.apply(Edit::SetLeftOut(place, true)).expect("leave out");
            p
        };
        let (project, _) = merged(&base, &leave(0), &leave(10));
        assert_eq!(project.left_out().count(), 2);
    }

    #[test]
    fn conflict_markers_split_into_both_sides_and_the_ancestor() {
        let text = "a\n<<<<<<< ours\nb\n||||||| base\nc\n=======\nd\n>>>>>>> theirs\ne\n";
        assert_eq!(
            split_conflicts(text),
            (
                "a\nb\ne\n".to_owned(),
                "a\nc\ne\n".to_owned(),
                "a\nd\ne\n".to_owned()
            )
        );
        assert!(has_conflict_markers(text));
        assert!(!has_conflict_markers("a\n<<<\n"));
    }
}
