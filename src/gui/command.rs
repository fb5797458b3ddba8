//! The one list of commands: each knows its menu text, tooltip and shortcuts. Menus, the
//! shortcut handler (and later the command palette) are generated from it, and a test fails
//! when two shortcuts clash.
//!
//! [`Action`] is what the UI emits: a [`Command`] or a data-carrying request. The app
//! applies the queued actions once per frame.

use std::path::PathBuf;

use eframe::egui::{Key, KeyboardShortcut, Modifiers};

use crate::formats::{Format, ImportFormat, JsonlFlavor, OffsetUnit, Selection};
use crate::model::{
    AnnotationId, Attributes, DocumentId, DocumentStatus, Entity, EntityId, LabelId, Span,
};

/// A command without arguments, reachable from a menu and usually a shortcut.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    NewProject,
    OpenDocument,
    OpenPath,
    SaveProject,
    SaveProjectAs,
    LocateDocument,
    RemoveDocument,
    DocumentDetails,
    ProjectMemo,
    CloseProject,
    Import,
    Export,
    Sync,
    Team,
    Quit,
    Undo,
    Redo,
    Find,
    Suggest,
    NextAnnotation,
    PreviousAnnotation,
    DeleteAnnotation,
    ClearSelection,
    ShowEntities,
    EditSchema,
    ShowClaims,
    ShowQuotes,
    ShowAgreement,
    Curate,
    TogglePageView,
    ToggleOverview,
    CommandPalette,
    ToggleTheme,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    ShowShortcuts,
}

/// Which menu a command belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    View,
    Help,
}

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

impl Command {
    /// Every command, in menu order.
    pub const ALL: &'static [Self] = &[
        Self::NewProject,
        Self::OpenDocument,
        Self::OpenPath,
        Self::SaveProject,
        Self::SaveProjectAs,
        Self::LocateDocument,
        Self::RemoveDocument,
        Self::DocumentDetails,
        Self::ProjectMemo,
        Self::CloseProject,
        Self::Import,
        Self::Export,
        Self::Sync,
        Self::Team,
        Self::Quit,
        Self::Undo,
        Self::Redo,
        Self::Find,
        Self::Suggest,
        Self::NextAnnotation,
        Self::PreviousAnnotation,
        Self::DeleteAnnotation,
        Self::ClearSelection,
        Self::ShowEntities,
        Self::EditSchema,
        Self::ShowClaims,
        Self::ShowQuotes,
        Self::ShowAgreement,
        Self::Curate,
        Self::TogglePageView,
        Self::ToggleOverview,
        Self::CommandPalette,
        Self::ToggleTheme,
        Self::ZoomIn,
        Self::ZoomOut,
        Self::ZoomReset,
        Self::ShowShortcuts,
    ];

    /// Text of the menu item; "…" when it opens a dialog.
    pub fn menu_text(self) -> &'static str {
        match self {
            Self::NewProject => "New project…",
            Self::RemoveDocument => "Remove document…",
            Self::DocumentDetails => "Document details…",
            Self::ProjectMemo => "Project memo…",
            Self::CloseProject => "Close project",
            Self::OpenDocument => "Open document…",
            Self::OpenPath => "Open path…",
            Self::SaveProject => "Save",
            Self::SaveProjectAs => "Save As…",
            Self::LocateDocument => "Locate document…",
            Self::Import => "Import…",
            Self::Export => "Export…",
            Self::Sync => "Sync…",
            Self::Team => "Team…",
            Self::Quit => "Quit",
            Self::Undo => "Undo",
            Self::Redo => "Redo",
            Self::Find => "Find and tag all…",
            Self::Suggest => "Suggestions…",
            Self::NextAnnotation => "Next annotation",
            Self::PreviousAnnotation => "Previous annotation",
            Self::DeleteAnnotation => "Delete annotation",
            Self::ClearSelection => "Clear selection",
            Self::ShowEntities => "Entities…",
            Self::EditSchema => "Schema…",
            Self::ShowClaims => "Claims table…",
            Self::ShowQuotes => "Who said what…",
            Self::ShowAgreement => "Agreement…",
            Self::Curate => "Curation…",
            Self::TogglePageView => "Page view",
            Self::ToggleOverview => "Overview",
            Self::CommandPalette => "Command palette…",
            Self::ToggleTheme => "Toggle dark/light theme",
            Self::ZoomIn => "Zoom in",
            Self::ZoomOut => "Zoom out",
            Self::ZoomReset => "Actual size",
            Self::ShowShortcuts => "Keyboard shortcuts…",
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            Self::NewProject => "Start an empty project in a new project file",
            Self::RemoveDocument => {
                "Take the shown document and its annotations out of the project (asks first; Ctrl+Z brings them back; the file stays on disk)"
            }
            Self::DocumentDetails => {
                "The shown document's title, byline, date, outlet, address and language, and your note on the source"
            }
            Self::ProjectMemo => "The team's notes on the whole project, saved in the project file",
            Self::CloseProject => {
                "Close the project (asks first if there are unsaved changes); the window stays open"
            }
            Self::OpenDocument => {
                "Add article files (.txt, .md, .html) to the project, or open a project (.ron)"
            }
            Self::OpenPath => "Type the path of an article or project file",
            Self::SaveProject => "Write the project file",
            Self::SaveProjectAs => "Write the project to a new file and keep working on that one",
            Self::LocateDocument => {
                "Find the moved or missing file of the shown document; its annotations are re-anchored if the text changed"
            }
            Self::Import => {
                "Read annotations from brat, JSONL or W3C files into this project (one undo step)"
            }
            Self::Export => {
                "Write the annotations for another tool: brat, W3C, JSONL, CoNLL, CSV or an HTML report"
            }
            Self::Sync => "Commit the project, pull the team's work (merged), push (git)",
            Self::Team => {
                "Your analyst name, and setting the project's git repository up for a team"
            }
            Self::Quit => "Close Marginalia (asks first if there are unsaved changes)",
            Self::Undo => "Undo the last change to the annotations",
            Self::Redo => "Redo the last undone change",
            Self::Find => {
                "Find a text or pattern in this document or all documents, and tag every hit at once"
            }
            Self::Suggest => {
                "Quotes found by their quotation marks (with the speaker guessed) and mentions of known entities, to accept or reject"
            }
            Self::NextAnnotation => {
                "Select the next annotation of the document (with the text focused)"
            }
            Self::PreviousAnnotation => {
                "Select the previous annotation of the document (with the text focused)"
            }
            Self::DeleteAnnotation => "Delete the selected annotation",
            Self::ClearSelection => "Forget the text selection and the selected annotation",
            Self::ShowEntities => {
                "The entity index: every entity with its mentions per document; rename, merge, set aliases"
            }
            Self::EditSchema => {
                "Add, rename, recolour, rekey or delete labels; set the relation kinds"
            }
            Self::ShowClaims => {
                "Every claim with its claimant and grading; sort, filter, jump to the text"
            }
            Self::ShowQuotes => "Every speaker with their quotes across the documents",
            Self::ShowAgreement => {
                "How far the analysts' layers agree: Cohen's and Fleiss' κ, Krippendorff's α, confusion matrices"
            }
            Self::Curate => {
                "Where the analysts' layers of this document disagree: accept a candidate into the curated layer"
            }
            Self::TogglePageView => {
                "Show a PDF's pages as printed, with the annotations on them; drag on a page to select text"
            }
            Self::ToggleOverview => {
                "The whole project in charts: progress, labels, grading, speakers, entities per document, a timeline; click a mark for its passages"
            }
            Self::CommandPalette => "Find any command by name and run it, with its shortcut shown",
            Self::ToggleTheme => "Switch between the dark and the light theme",
            Self::ZoomIn => "Make everything larger; the text you are reading stays in view",
            Self::ZoomOut => "Make everything smaller; the text you are reading stays in view",
            Self::ZoomReset => "Back to the normal size",
            Self::ShowShortcuts => "List every command with its shortcut",
        }
    }

    pub fn menu(self) -> Menu {
        match self {
            Self::NewProject
            | Self::DocumentDetails
            | Self::ProjectMemo
            | Self::RemoveDocument
            | Self::CloseProject
            | Self::OpenDocument
            | Self::OpenPath
            | Self::SaveProject
            | Self::SaveProjectAs
            | Self::LocateDocument
            | Self::Import
            | Self::Export
            | Self::Sync
            | Self::Team
            | Self::Quit => Menu::File,
            Self::Undo
            | Self::Redo
            | Self::Find
            | Self::Suggest
            | Self::NextAnnotation
            | Self::PreviousAnnotation
            | Self::DeleteAnnotation
            | Self::ClearSelection => Menu::Edit,
            Self::ShowEntities
            | Self::EditSchema
            | Self::ShowClaims
            | Self::ShowQuotes
            | Self::ShowAgreement
            | Self::Curate
            | Self::TogglePageView
            | Self::ToggleOverview
            | Self::ToggleTheme
            | Self::ZoomIn
            | Self::ZoomOut
            | Self::ZoomReset
            | Self::CommandPalette => Menu::View,
            Self::ShowShortcuts => Menu::Help,
        }
    }

    /// The shortcuts that run the command; the first is shown in menus.
    pub fn shortcuts(self) -> Vec<KeyboardShortcut> {
        const fn k(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
            KeyboardShortcut::new(modifiers, key)
        }
        match self {
            Self::NewProject => vec![k(CTRL, Key::N)],
            Self::OpenDocument => vec![k(CTRL, Key::O)],
            Self::OpenPath => vec![k(CTRL_SHIFT, Key::O)],
            Self::SaveProject => vec![k(CTRL, Key::S)],
            Self::SaveProjectAs => vec![k(CTRL_SHIFT, Key::S)],
            Self::LocateDocument => vec![k(CTRL_SHIFT, Key::L)],
            Self::Import => vec![k(CTRL, Key::I)],
            Self::Export => vec![k(CTRL, Key::E)],
            Self::Sync
            | Self::Team
            | Self::ShowAgreement
            | Self::Curate
            | Self::RemoveDocument
            | Self::DocumentDetails
            | Self::ProjectMemo
            | Self::CloseProject => Vec::new(),
            Self::TogglePageView => vec![k(CTRL_SHIFT, Key::V)],
            Self::ToggleOverview => vec![k(CTRL_SHIFT, Key::D)],
            Self::Quit => vec![k(CTRL, Key::Q)],
            Self::Undo => vec![k(CTRL, Key::Z)],
            Self::Redo => vec![k(CTRL_SHIFT, Key::Z), k(CTRL, Key::Y)],
            Self::Find => vec![k(CTRL, Key::F)],
            Self::Suggest => vec![k(CTRL, Key::G)],
            Self::NextAnnotation => vec![k(Modifiers::NONE, Key::Tab)],
            Self::PreviousAnnotation => vec![k(Modifiers::SHIFT, Key::Tab)],
            Self::DeleteAnnotation => vec![k(Modifiers::NONE, Key::Delete)],
            Self::ClearSelection => vec![k(Modifiers::NONE, Key::Escape)],
            Self::ShowEntities => vec![k(CTRL_SHIFT, Key::E)],
            Self::EditSchema => vec![k(CTRL_SHIFT, Key::K)],
            Self::ShowClaims => vec![k(CTRL_SHIFT, Key::C)],
            Self::ShowQuotes => vec![k(CTRL_SHIFT, Key::W)],
            Self::CommandPalette => vec![k(CTRL_SHIFT, Key::P)],
            Self::ToggleTheme => vec![k(CTRL_SHIFT, Key::T)],
            Self::ZoomIn => vec![k(CTRL, Key::Plus), k(CTRL, Key::Equals)],
            Self::ZoomOut => vec![k(CTRL, Key::Minus)],
            Self::ZoomReset => vec![k(CTRL, Key::Num0)],
            Self::ShowShortcuts => vec![k(Modifiers::NONE, Key::F1)],
        }
    }

    /// True for commands whose keys only the document view handles, when it has the
    /// keyboard focus (Tab moves between widgets everywhere else).
    pub fn handled_by_view(self) -> bool {
        matches!(self, Self::NextAnnotation | Self::PreviousAnnotation)
    }

    /// Whether the shortcut also works while a text field has the keyboard (a note being
    /// typed): Ctrl+S does; the Edit menu's commands (Delete, Ctrl+Z) belong to the text
    /// field then.
    pub fn works_while_typing(self) -> bool {
        self.menu() != Menu::Edit
    }

    /// Commands ordered so that a shortcut with more modifiers is tried first: egui matches
    /// Ctrl+Z against a Ctrl+Shift+Z press, so the longer one must win.
    pub fn by_shortcut_specificity() -> Vec<(Self, KeyboardShortcut)> {
        let mut all: Vec<(Self, KeyboardShortcut)> = Self::ALL
            .iter()
            .flat_map(|&c| c.shortcuts().into_iter().map(move |s| (c, s)))
            .collect();
        all.sort_by_key(|(_, s)| {
            std::cmp::Reverse(
                u8::from(s.modifiers.shift)
                    + u8::from(s.modifiers.alt)
                    + u8::from(s.modifiers.command),
            )
        });
        all
    }
}

/// What the export dialog asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRequest {
    pub format: Format,
    pub flavor: JsonlFlavor,
    /// Where mentions count as together (the entity network).
    pub scope: crate::model::network::Scope,
    pub selection: Selection,
    pub out: PathBuf,
}

/// What the import dialog asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRequest {
    pub format: ImportFormat,
    pub paths: Vec<PathBuf>,
    pub offsets: OffsetUnit,
    pub strict: bool,
}

/// Something the UI asks the app to do; applied once per frame, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Run(Command),
    /// Tag the text selection with this label (or relabel the selected annotation).
    ApplyLabel(LabelId),
    Select(Option<AnnotationId>),
    /// Show this annotation's text and select it.
    JumpTo(AnnotationId),
    ShowDocument(DocumentId),
    SetNote(AnnotationId, String),
    /// Open project files or add article files (from a dialog, a drop or the path field).
    OpenPaths(Vec<PathBuf>),
    /// Start a new, empty project saved at this path (the dialog's answer).
    NewProject(PathBuf),
    /// Take a document out of the project (confirmed first; one undo step).
    RemoveDocument(DocumentId),
    /// Set a document's details and the analyst's note on it (one undo step).
    SetMetadata(DocumentId, Box<crate::model::Metadata>),
    /// Set the project memo (one undo step).
    SetMemo(String),
    SaveTo(PathBuf),
    Export(ExportRequest),
    Import(ImportRequest),
    /// The note field lost focus: the next note edit is a new undo step.
    SealHistory,
    /// The moved or missing source of a document is at this path.
    Locate(DocumentId, PathBuf),
    /// Read a document again with this encoding (a WHATWG label).
    SetEncoding(DocumentId, String),
    /// Put an annotation from the review list on this span of its document.
    AttachOrphan(AnnotationId, Span),
    /// Remove an annotation from the review list.
    DiscardOrphan(AnnotationId),
    /// Show this span of a document, selected (a find hit).
    ShowSpan(DocumentId, Span),
    /// Tag every hit not yet tagged with this label (linking each to the entity, if one is
    /// given), as one undo step.
    TagAll(Vec<crate::workspace::Hit>, LabelId, Option<EntityId>),
    /// Add a label of this name and kind to the schema.
    AddLabel(String, crate::model::LabelKind),
    /// Rename, recolour or rekey a label.
    UpdateLabel(crate::model::Label),
    /// Delete a label and everything tagged with it.
    DeleteLabel(LabelId),
    /// Set the relation kinds the schema offers.
    SetRelationKinds(Vec<String>),
    /// Open Find and tag all on every name and alias of an entity.
    FindMentions(EntityId),
    /// Link an entity mention to an entity of the registry (or unlink it).
    LinkEntity(AnnotationId, Option<EntityId>),
    /// Create an entity named after this mention and link the mention to it.
    NewEntityFrom(AnnotationId),
    /// Set a quote's or claim's speaker, claimant and grading.
    SetAttributes(AnnotationId, Attributes),
    /// Move claims into confirmed clusters or back to the automatic grouping (one undo
    /// step), with what it did in words.
    SetClusters(Vec<crate::model::clusters::Change>, &'static str),
    /// Set how far the analyst has got with a document.
    SetStatus(DocumentId, DocumentStatus),
    /// Replace an entity's name, aliases, note or external id.
    UpdateEntity(Entity),
    /// Move these mentions of the entity to a new entity of this name.
    SplitEntity(EntityId, Vec<AnnotationId>, String),
    /// Merge the second entity into the first.
    MergeEntities(EntityId, EntityId),
    /// Remove an entity nothing refers to.
    DeleteEntity(EntityId),
    /// Relate the first annotation to the next one the analyst clicks, with this kind.
    StartRelation(AnnotationId, String),
    /// Remove a relation.
    Unrelate(crate::model::RelationId),
    /// Set (or with an empty text clear) an annotation's value of a label attribute.
    SetAttributeValue(AnnotationId, String, String),
    /// Define an attribute on a label.
    AddAttribute(crate::model::LabelId, crate::model::AttributeDef),
    /// Change a label's attribute (by its current name): rename, kind, options.
    UpdateAttribute(crate::model::LabelId, String, crate::model::AttributeDef),
    /// Delete a label's attribute and every value of it.
    DeleteAttribute(crate::model::LabelId, String),
    /// Cancel the export running in the background.
    CancelBackground,
    /// Add a piece of text to an annotation as one more fragment (Ctrl+drag).
    AddFragment(AnnotationId, Span),
    /// Remove fragment N (in text order) of an annotation.
    RemoveFragment(AnnotationId, usize),
    /// Turn suggestions into annotations, as one undo step.
    AcceptSuggestions(Vec<crate::suggest::Suggestion>),
    /// Remember these suggestions as rejected (saved with the project).
    RejectSuggestions(Vec<crate::suggest::Suggestion>),
    /// Set a quote's speaker to the one its text names.
    AcceptProposedSpeaker(AnnotationId),
    /// Draw (true) or hide a label's layers in the text.
    ShowLayer(LabelId, bool),
    /// Show or hide an analyst's annotations in the text (View > Layers).
    ShowAnalyst(String, bool),
    /// Show this analyst's layer alone beside the text (View > Layers), or stop.
    Compare(Option<String>),
    /// Name the analyst (File > Team).
    SetAnalyst(String),
    /// Set the project's git repository up for a team (File > Team).
    TeamInit,
    /// Assign a document to these analysts (File > Team).
    Assign(DocumentId, Vec<String>),
    /// Sync with the team, committing with this message (File > Sync).
    Sync(String),
    /// Stop the sync under way (between its steps).
    CancelSync,
    /// Copy these annotations into the curated layer (View > Curation).
    Curate(Vec<AnnotationId>),
    /// Accept every agreement of the document into the curated layer.
    CurateAgreements(DocumentId),
    /// Leave a place of a document out of the curated layer (View > Curation).
    LeaveOut(DocumentId, Span),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Schema;

    #[test]
    fn no_two_shortcuts_clash_including_label_keys() {
        let mut seen: Vec<(String, String)> = Vec::new();
        let mut check = |what: String, modifiers: Modifiers, key: Key| {
            let name = format!("{modifiers:?}+{key:?}");
            if let Some((other, _)) = seen.iter().find(|(_, n)| *n == name) {
                panic!("{what} and {other} share the shortcut {name}");
            }
            seen.push((what, name));
        };
        for &command in Command::ALL {
            for shortcut in command.shortcuts() {
                check(
                    format!("{command:?}"),
                    shortcut.modifiers,
                    shortcut.logical_key,
                );
            }
        }
        for label in Schema::default().labels {
            let key = label.key.and_then(|c| Key::from_name(&c.to_string()));
            let key = key.expect("every default label has a key egui knows");
            check(label.name.clone(), Modifiers::NONE, key);
        }
    }

    #[test]
    fn dialog_commands_end_with_an_ellipsis() {
        for command in [
            Command::OpenDocument,
            Command::OpenPath,
            Command::SaveProjectAs,
            Command::Import,
            Command::Export,
            Command::ShowEntities,
            Command::Suggest,
            Command::CommandPalette,
            Command::ShowClaims,
            Command::ShowQuotes,
            Command::EditSchema,
        ] {
            assert!(command.menu_text().ends_with('…'), "{command:?}");
        }
    }

    #[test]
    fn longer_shortcuts_are_tried_first() {
        let order = Command::by_shortcut_specificity();
        let redo = order
            .iter()
            .position(|(_, s)| *s == KeyboardShortcut::new(CTRL_SHIFT, Key::Z));
        let undo = order
            .iter()
            .position(|(_, s)| *s == KeyboardShortcut::new(CTRL, Key::Z));
        assert!(redo < undo);
    }
}
