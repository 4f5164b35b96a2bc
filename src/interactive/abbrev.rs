//! Expanding `abbr`'s abbreviations as the line is typed (as fish): a
//! command name just typed becomes its expansion when Space or Enter
//! follows it.

use std::collections::BTreeMap;

use reedline::EditCommand;

use super::context::{self, Kind};

/// The edits that replace the abbreviation just before `cursor` in
/// `line` with its expansion, when the word there is a command name that
/// `table` knows and the cursor is at its end.
pub fn expansion_edits(
    line: &str,
    cursor: usize,
    table: &BTreeMap<String, String>,
) -> Option<Vec<EditCommand>> {
    let before = line.get(..cursor)?;
    let after = &line[cursor..];
    if !after.is_empty() && !after.starts_with(|c: char| c.is_whitespace() || ";|&)".contains(c)) {
        return None;
    }
    let at = context::at(before);
    if at.kind != Kind::Command || at.word.end != cursor {
        return None;
    }
    let word = &line[at.word.start..at.word.end];
    let expansion = table.get(word)?;
    let mut edits = vec![EditCommand::Backspace; word.chars().count()];
    edits.push(EditCommand::InsertString(expansion.clone()));
    Some(edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> BTreeMap<String, String> {
        [("gco", "git checkout"), ("l", "ls -l")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn expands(line: &str, cursor: usize) -> bool {
        expansion_edits(line, cursor, &table()).is_some()
    }

    #[test]
    fn only_a_command_name_at_the_cursor_expands() {
        assert!(expands("gco", 3));
        assert!(expands("echo hi; gco", 12));
        assert!(expands("true && l", 9));
        assert!(expands("gco x", 3));
        assert!(!expands("echo gco", 8), "an argument");
        assert!(!expands("gcox", 4), "another word");
        assert!(!expands("gcox", 3), "the cursor inside a word");
        assert!(!expands("'gco'", 5), "quoted");
    }

    #[test]
    fn the_edits_replace_the_word() {
        let edits = expansion_edits("gco", 3, &table()).unwrap_or_default();
        assert_eq!(edits.len(), 4);
        assert_eq!(
            edits.last(),
            Some(&EditCommand::InsertString("git checkout".to_string()))
        );
    }
}
