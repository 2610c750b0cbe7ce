//! A document as a list of blocks: what a job description (and later other outputs) says, in
//! order, apart from how it is written out as plain text, a web page or a Word file.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    Title(String),
    /// A section heading.
    Heading(String),
    /// A heading within a section.
    Subheading(String),
    /// A small heading within a subsection, such as a category.
    Minor(String),
    Paragraph(String),
    Bullet(String),
    /// An item of the document's one numbered list, whose numbering runs on across headings.
    Numbered(String),
}

impl Block {
    /// The blocks as plain text: numbered items counted through the whole document.
    pub fn plain_text(blocks: &[Block]) -> String {
        let mut out = String::new();
        let mut number = 0;
        for block in blocks {
            match block {
                Block::Title(text) | Block::Paragraph(text) | Block::Subheading(text) => out.push_str(&format!("{text}\n")),
                Block::Heading(text) => out.push_str(&format!("\n{text}\n")),
                Block::Minor(text) => out.push_str(&format!("  {text}\n")),
                Block::Bullet(text) => out.push_str(&format!("  - {text}\n")),
                Block::Numbered(text) => {
                    number += 1;
                    out.push_str(&format!("  {number}. {text}\n"));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_runs_on_across_headings() {
        let blocks = [
            Block::Title("T".into()),
            Block::Heading("H".into()),
            Block::Minor("A".into()),
            Block::Numbered("one".into()),
            Block::Minor("B".into()),
            Block::Numbered("two".into()),
            Block::Bullet("b".into()),
        ];
        assert_eq!(Block::plain_text(&blocks), "T\n\nH\n  A\n  1. one\n  B\n  2. two\n  - b\n");
    }
}
