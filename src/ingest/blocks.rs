//! The text of a structured document (Word, `OpenDocument`, EPUB) built block by block:
//! paragraphs and headings separated by a blank line, a table's rows on their own lines
//! with tab-separated cells, notes and comments gathered apart and put after the body.

/// Builds the text one block at a time.
#[derive(Default)]
pub struct Blocks {
    out: String,
    /// The block being built; whitespace inside it is collapsed as it comes.
    line: String,
    /// Notes (footnotes, endnotes), numbered by their marks in the body.
    notes: Vec<String>,
    /// Comments, each with its author.
    comments: Vec<String>,
}

impl Blocks {
    /// Adds running text to the block being built: runs of white space become one space
    /// (line breaks in the file's markup are not line breaks of the text).
    pub fn text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                self.space();
            } else {
                self.line.push(c);
            }
        }
    }

    /// Adds text as it is (preformatted text, a tab, spaces the file counts out).
    pub fn verbatim(&mut self, text: &str) {
        self.line.push_str(text);
    }

    /// One space, unless the block is empty or already ends with white space.
    pub fn space(&mut self) {
        if !self.line.is_empty() && !self.line.ends_with([' ', '\t', '\n']) {
            self.line.push(' ');
        }
    }

    /// A line break inside the block (not a new paragraph).
    pub fn line_break(&mut self) {
        trim_end_spaces(&mut self.line);
        if !self.line.is_empty() {
            self.line.push('\n');
        }
    }

    /// Ends a table cell: a tab before the next one.
    pub fn end_cell(&mut self) {
        trim_end_spaces(&mut self.line);
        self.line.push('\t');
    }

    /// Ends a table row: its trailing tab dropped, then a line break.
    pub fn end_row(&mut self) {
        while self.line.ends_with(['\t', ' ']) {
            self.line.pop();
        }
        self.line.push('\n');
    }

    /// Ends the block being built (nothing happens if it holds no text).
    pub fn end_block(&mut self) {
        let block = std::mem::take(&mut self.line);
        let block = block.trim_matches(|c: char| c.is_whitespace() && c != '\u{a0}');
        if block.is_empty() {
            return;
        }
        if !self.out.is_empty() {
            self.out.push_str("\n\n");
        }
        self.out.push_str(block);
    }

    /// Records a note (its text, whitespace collapsed) and returns its number, from 1.
    pub fn note(&mut self, text: &str) -> usize {
        self.notes.push(collapse(text));
        self.notes.len()
    }

    /// Records a comment by `author` (if known) on the document.
    pub fn comment(&mut self, author: Option<&str>, text: &str) {
        let text = collapse(text);
        if text.is_empty() {
            return;
        }
        self.comments
            .push(match author.map(str::trim).filter(|a| !a.is_empty()) {
                Some(author) => format!("{author}: {text}"),
                None => text,
            });
    }

    /// How many notes and comments were gathered.
    pub fn gathered(&self) -> (usize, usize) {
        (self.notes.len(), self.comments.len())
    }

    /// The text: the body, then "Notes" and "Comments" sections if there were any.
    pub fn finish(mut self) -> String {
        self.end_block();
        let notes = std::mem::take(&mut self.notes);
        if !notes.is_empty() {
            self.line.push_str("Notes");
            self.end_block();
            for (n, note) in notes.iter().enumerate() {
                self.line = format!("[{}] {note}", n + 1);
                self.end_block();
            }
        }
        let comments = std::mem::take(&mut self.comments);
        if !comments.is_empty() {
            self.line.push_str("Comments");
            self.end_block();
            for comment in &comments {
                self.line.push_str(comment);
                self.end_block();
            }
        }
        self.out
    }
}

fn trim_end_spaces(line: &mut String) {
    while line.ends_with(' ') {
        line.pop();
    }
}

/// `text` with runs of white space as one space, trimmed.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What an analyst should know about where notes and comments went.
pub fn gathered_note(notes: usize, comments: usize, left_out: &str) -> Option<String> {
    let mut parts = Vec::new();
    if notes > 0 {
        parts.push(format!(
            "{notes} note{} listed at the end under \"Notes\"",
            if notes == 1 { "" } else { "s" }
        ));
    }
    if comments > 0 {
        parts.push(format!(
            "{comments} comment{} listed at the end under \"Comments\"",
            if comments == 1 { "" } else { "s" }
        ));
    }
    if !left_out.is_empty() {
        parts.push(left_out.to_owned());
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_tables_notes_and_comments() {
        let mut blocks = Blocks::default();
        blocks.text("  A   heading\n");
        blocks.end_block();
        blocks.text("First");
        blocks.line_break();
        blocks.text("line [1]");
        blocks.end_block();
        blocks.end_block();
        for row in [["a", "b"], ["c", "d"]] {
            for cell in row {
                blocks.text(cell);
                blocks.end_cell();
            }
            blocks.end_row();
        }
        blocks.end_block();
        assert_eq!(blocks.note(" a\nnote "), 1);
        blocks.comment(Some("Ann"), "check this");
        blocks.comment(None, "   ");
        assert_eq!(blocks.gathered(), (1, 1));
        assert_eq!(
            blocks.finish(),
            "A heading\n\nFirst\nline [1]\n\na\tb\nc\td\n\nNotes\n\n[1] a note\n\nComments\n\nAnn: check this"
        );
    }

    #[test]
    fn the_note_says_where_things_went() {
        assert_eq!(gathered_note(0, 0, ""), None);
        assert_eq!(
            gathered_note(2, 1, "headers and footers left out").as_deref(),
            Some(
                "2 notes listed at the end under \"Notes\"; 1 comment listed at the end under \
                 \"Comments\"; headers and footers left out"
            )
        );
    }
}
