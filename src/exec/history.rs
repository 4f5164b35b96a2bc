//! The command history the `history` builtin works on.
//!
//! An interactive shell records each command line it reads here (seeded
//! from the line editor's saved history at start-up); `history -s` adds
//! lines in any shell. The line editor keeps its own copy for recall:
//! `cleared` tells it that `history -c` ran. Files read and written by
//! `history -r/-n/-a/-w` hold one entry per line, as bash's do.
//!
//! Which lines are kept is decided here, at the moment a line is added,
//! from the variables as they are then ([`Rules`]): setting `HISTCONTROL`
//! or `HISTIGNORE` at the prompt takes effect on the next line.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

use crate::expand::pattern::{Pattern, escape};

use super::histexpand::{Chars, Events, Expanded, Memory};

use super::Shell;

/// What `HISTCONTROL` and `HISTIGNORE` ask to leave out.
#[derive(Debug, Default)]
pub struct Rules {
    /// `ignorespace`: lines starting with a space (not a tab, as in bash).
    pub ignore_space: bool,
    /// `ignoredups`: a line equal to the one before.
    pub ignore_dups: bool,
    /// `erasedups`: earlier copies of the line are removed.
    pub erase_dups: bool,
    /// `HISTIGNORE`'s patterns, matched against the whole line (`&` is the
    /// line before).
    pub ignore: Vec<String>,
}

impl Rules {
    /// The rules `HISTCONTROL` and `HISTIGNORE` (colon-separated) set.
    pub fn new(control: Option<&str>, ignore: Option<&str>) -> Rules {
        let mut rules = Rules::default();
        for word in control.unwrap_or_default().split(':') {
            match word {
                "ignorespace" => rules.ignore_space = true,
                "ignoredups" => rules.ignore_dups = true,
                "ignoreboth" => (rules.ignore_space, rules.ignore_dups) = (true, true),
                "erasedups" => rules.erase_dups = true,
                _ => {}
            }
        }
        rules.ignore = ignore
            .unwrap_or_default()
            .split(':')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        rules
    }
}

/// The entries, oldest first.
#[derive(Debug, Clone, Default)]
pub struct History {
    entries: Vec<String>,
    /// When each entry was added (seconds since the epoch), or the time
    /// the history file gave it.
    times: Vec<i64>,
    /// `history -c` ran since the line editor last looked.
    pub cleared: bool,
    /// Entries already in the history file (`history -a` appends the rest).
    pub saved: usize,
    /// Lines of the history file already read (`history -n` reads the rest).
    pub lines_read: usize,
    /// Entries added since the shell started (bash appends rather than
    /// rewrites the file at exit when these are fewer than the list).
    pub added: usize,
    /// Changes with every change to the list (the line editor's copy
    /// follows it).
    pub generation: u64,
    /// Entries dropped off the front by `HISTSIZE` since the list was last
    /// cleared: numbers go on from where they were, as bash numbers them.
    dropped: usize,
    /// Whether the last line offered was added (bash's
    /// `hist_last_line_added`): `fc` then skips its own entry.
    pub last_added: bool,
    /// `history -s` already replaced the last line added.
    pub pushed: bool,
    /// What history expansion remembers between lines.
    pub expansion: Memory,
}

/// `set -o history` turned on: as in bash, when no line was added to the
/// history yet, `HISTSIZE` gets its default (500) and `HISTFILESIZE`
/// `HISTSIZE`'s value if they are unset, and the history file is read.
pub fn switched_on(sh: &mut Shell) {
    if sh.history.added > 0 {
        return;
    }
    if sh.state.vars.get("HISTSIZE").is_none() {
        let _ = sh.state.vars.set("HISTSIZE", "500");
    }
    if sh.state.vars.get("HISTFILESIZE").is_none() {
        let size = sh
            .state
            .vars
            .get("HISTSIZE")
            .unwrap_or_default()
            .to_string();
        let _ = sh.state.vars.set("HISTFILESIZE", size);
    }
    let Some(name) = sh.state.vars.get("HISTFILE").filter(|f| !f.is_empty()) else {
        return;
    };
    let Ok(path) = sh.resolve_path(name).map(|p| p.into_owned()) else {
        return;
    };
    if let Ok(lines) = read_file(sh, &path, 0) {
        sh.history.lines_read = lines;
        sh.history.saved = sh.history.entries().len();
    }
}

/// Expands the history references in `line` as `histchars` and
/// `extglob` say; `open_quote` is the quote earlier lines of the command
/// left open. `Ok(Expanded::Same)` when `histchars` turns expansion off.
pub fn expand(sh: &mut Shell, line: &str, open_quote: Option<char>) -> Result<Expanded, String> {
    let Some(chars) = Chars::from_var(sh.state.vars.get("histchars")) else {
        return Ok(Expanded::Same);
    };
    let extglob = sh.shopt_on("extglob");
    let posix = sh.state.options.posix;
    let history = &mut sh.history;
    let events = Events {
        entries: &history.entries,
        first_number: history.dropped + 1,
        chars,
        extglob,
        open_quote,
        posix,
    };
    super::histexpand::expand(line, &events, &mut history.expansion)
}

/// `HISTSIZE`, when it is a number.
pub fn size_limit(sh: &Shell) -> Option<usize> {
    sh.state
        .vars
        .get("HISTSIZE")
        .and_then(|n| n.trim().parse().ok())
}

/// `HISTFILESIZE`, when it is a number: the history file keeps that many
/// lines.
pub fn file_limit(sh: &Shell) -> Option<usize> {
    sh.state
        .vars
        .get("HISTFILESIZE")
        .and_then(|n| n.trim().parse().ok())
}

/// What `HISTCONTROL` and `HISTIGNORE` say now.
pub fn rules(sh: &Shell) -> Rules {
    Rules::new(
        sh.state.vars.get("HISTCONTROL"),
        sh.state.vars.get("HISTIGNORE"),
    )
}

impl History {
    /// The entries, oldest first.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// The number `history` shows for the entry at `index` (0-based).
    pub fn number(&self, index: usize) -> usize {
        self.dropped + index + 1
    }

    /// The index of the entry numbered `number`, if there is one.
    pub fn index_of(&self, number: usize) -> Option<usize> {
        number
            .checked_sub(self.dropped + 1)
            .filter(|&i| i < self.entries.len())
    }

    /// The number the next entry will get (bash's `history_base +
    /// history_length`).
    pub fn next_number(&self) -> usize {
        self.number(self.entries.len())
    }

    /// When the entry at `index` was added.
    pub fn time(&self, index: usize) -> i64 {
        self.times.get(index).copied().unwrap_or_default()
    }

    /// Adds an entry; keeps at most `limit` (the newest).
    pub fn push(&mut self, line: &str, limit: Option<usize>) {
        self.push_entry(line.strip_suffix('\n').unwrap_or(line), limit);
    }

    /// Adds `line` as it is; keeps at most `limit` entries.
    fn push_entry(&mut self, line: &str, limit: Option<usize>) {
        if line.trim().is_empty() {
            return;
        }
        self.entries.push(line.to_string());
        self.times.push(now());
        self.generation += 1;
        if let Some(limit) = limit {
            self.truncate_to(limit);
        }
    }

    /// Adds a command the shell read (its lines made [`one_entry`]), unless
    /// `rules` leave it out; whether it was added.
    pub fn add(&mut self, line: &str, rules: &Rules, limit: Option<usize>) -> bool {
        let joined = one_entry(line);
        let line = joined.as_str();
        let previous = self.entries.last().map(String::as_str);
        let ignored = (rules.ignore_space && line.starts_with(' '))
            || (rules.ignore_dups && previous == Some(line))
            || rules.ignore.iter().any(|p| {
                let pattern = p.replace('&', &escape(previous.unwrap_or("")));
                Pattern::new(&pattern).matches(line)
            });
        self.last_added = false;
        if ignored || line.trim().is_empty() || limit == Some(0) {
            return false;
        }
        self.last_added = true;
        self.pushed = false;
        if rules.erase_dups {
            while let Some(i) = self.entries.iter().position(|e| e == line) {
                self.delete(i);
            }
        }
        self.push_entry(line, limit);
        self.added += 1;
        true
    }

    /// Puts `line` in place of the newest entry (`fc -s` runs a command
    /// in place of itself).
    pub fn replace_last(&mut self, line: &str) {
        if let Some(last) = self.entries.last_mut() {
            *last = line.to_string();
            self.generation += 1;
        }
    }

    /// Keeps only the newest `limit` entries.
    pub fn truncate_to(&mut self, limit: usize) {
        if self.entries.len() > limit {
            let excess = self.entries.len() - limit;
            self.entries.drain(..excess);
            self.times.drain(..excess.min(self.times.len()));
            self.generation += 1;
            self.dropped += excess;
            self.saved = self.saved.saturating_sub(excess);
        }
    }

    /// `HISTSIZE` assigned: keeps only the newest `limit` entries, and
    /// numbers them as bash does: readline's `stifle_history` sets the
    /// first number to how many it dropped, so the first kept entry gets
    /// the number of the last one dropped.
    pub fn stifle(&mut self, limit: usize) {
        if self.entries.len() > limit {
            let excess = self.entries.len() - limit;
            self.truncate_to(limit);
            self.dropped = excess - 1;
        }
    }

    /// `history -c`.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.times.clear();
        self.generation += 1;
        self.dropped = 0;
        self.saved = 0;
        self.cleared = true;
    }

    /// Removes the entry at `index` (0-based); false when there is none.
    pub fn delete(&mut self, index: usize) -> bool {
        if index >= self.entries.len() {
            return false;
        }
        self.entries.remove(index);
        if index < self.times.len() {
            self.times.remove(index);
        }
        self.generation += 1;
        if index < self.saved {
            self.saved -= 1;
        }
        true
    }
}

impl History {
    /// Adds the entries of a history file's text, as readline reads it: a
    /// line `#` and digits is the time of the entry after it; with
    /// `multiline` (the file starts with a time and `HISTTIMEFORMAT` is
    /// set) a line with no time before it continues the entry before, and
    /// blank lines right after a time are dropped. Blank lines are
    /// otherwise skipped.
    pub fn read_text(&mut self, lines: &[&str], multiline: bool, limit: Option<usize>) {
        let mut time: Option<i64> = None;
        for line in lines {
            if let Some(t) = timestamp(line) {
                time = Some(t);
                continue;
            }
            if time.is_none() && multiline && !self.entries.is_empty() {
                if let Some(last) = self.entries.last_mut() {
                    last.push('\n');
                    last.push_str(line);
                    self.generation += 1;
                }
                continue;
            }
            if line.is_empty() {
                continue;
            }
            self.push(line, limit);
            if let (Some(t), Some(slot)) = (time.take(), self.times.last_mut()) {
                *slot = t;
            }
        }
    }

    /// The entries from `from` on as the history file holds them, each
    /// after its time when `stamps` (`HISTTIMEFORMAT` is set).
    pub fn file_text(&self, from: usize, stamps: bool) -> String {
        let mut out = String::new();
        for (i, line) in self.entries.iter().enumerate().skip(from) {
            if stamps {
                out.push_str(&format!("#{}\n", self.time(i)));
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

/// The time a history file's line `#1234` gives.
fn timestamp(line: &str) -> Option<i64> {
    let digits = line.strip_prefix('#')?;
    if !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let len = digits.bytes().take_while(u8::is_ascii_digit).count();
    digits[..len].parse().ok()
}

/// Now, in seconds since the epoch.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Reads the history file at `path` into the list: its lines after the
/// first `skip` (`history -n`); how many lines it has.
pub fn read_file(sh: &mut Shell, path: &Path, skip: usize) -> std::io::Result<usize> {
    let text = crate::bytes::decode_vec(std::fs::read(path)?);
    let lines: Vec<&str> = text.lines().collect();
    let multiline = lines.first().is_some_and(|l| timestamp(l).is_some())
        && sh.state.vars.get("HISTTIMEFORMAT").is_some();
    let limit = size_limit(sh);
    sh.history
        .read_text(&lines[skip.min(lines.len())..], multiline, limit);
    Ok(lines.len())
}

/// Whether entries are written with their times (`HISTTIMEFORMAT` set).
pub fn stamps(sh: &Shell) -> bool {
    sh.state.vars.get("HISTTIMEFORMAT").is_some()
}

/// A command read over several lines as one history entry, as bash's
/// `cmdhist` stores it: lines joined with `; `, or with a space after a
/// word or operator a command may follow without one (`then`, `do`, `{`,
/// `|`, `&&` …) or inside a compound assignment, or with a newline where
/// a newline means something (in quotes, `$( )`, after a comment, in and
/// after a here-document). Backslash-newline joins lines as it does for
/// the parser.
pub fn one_entry(text: &str) -> String {
    let text = text.strip_suffix('\n').unwrap_or(text);
    if !text.contains('\n') {
        return text.to_string();
    }
    let mut scan = LineScan::default();
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split('\n').peekable();
    let mut first = true;
    while let Some(line) = lines.next() {
        if !first {
            out.push_str(scan.delimiter());
        }
        first = false;
        let mut line = line.to_string();
        // A backslash ending the line (outside single quotes) joins it to
        // the next one.
        while scan.continues(&line) && lines.peek().is_some() {
            line.pop();
            line.push_str(lines.next().unwrap_or_default());
        }
        scan.read(&line);
        out.push_str(&line);
    }
    // A here-document's lines keep their newlines, the last one too.
    if scan.here_doc {
        out.push('\n');
    }
    out
}

/// What the lines of a command read so far leave open, for
/// [`one_entry`].
#[derive(Default)]
pub(crate) struct LineScan {
    single: bool,
    /// The open single quote is a `$'...'`.
    ansi_c: bool,
    double: bool,
    backtick: bool,
    /// Open `$(` (and the parentheses inside them).
    substitution: usize,
    /// Open `name=(`.
    assignment: usize,
    /// A here-document was seen: the rest keeps its newlines.
    here_doc: bool,
    /// The last line ended in a comment.
    comment: bool,
    /// The last line was blank.
    blank: bool,
    /// The last word of the last line.
    last_word: String,
}

/// Words and operators after which bash joins the next line with a space
/// (its `no_semi_successors`).
const NO_SEMICOLON_AFTER: &[&str] = &[
    "{", "(", ")", ";", "&", "|", "&&", "||", ";;", ";&", ";;&", "case", "do", "else", "if", "in",
    "then", "until", "while",
];

impl LineScan {
    /// The quote the lines read so far leave open, if any.
    pub(crate) fn open_quote(&self) -> Option<char> {
        if self.single {
            Some('\'')
        } else if self.double {
            Some('"')
        } else {
            None
        }
    }

    /// Whether the lines read so far started a here-document (the lines
    /// after are taken to be its body).
    pub(crate) fn in_here_doc(&self) -> bool {
        self.here_doc
    }

    fn delimiter(&self) -> &'static str {
        if self.here_doc
            || self.single
            || self.double
            || self.backtick
            || self.substitution > 0
            || self.comment
        {
            "\n"
        } else if self.blank
            || self.assignment > 0
            || NO_SEMICOLON_AFTER.contains(&self.last_word.as_str())
            || self.last_word.ends_with(['|', '&', ';', '('])
            || self.last_word.ends_with("()")
        {
            " "
        } else {
            "; "
        }
    }

    /// Whether `line` ends in a backslash that escapes its newline.
    fn continues(&self, line: &str) -> bool {
        let backslashes = line.len() - line.trim_end_matches('\\').len();
        backslashes % 2 == 1 && !self.single && !self.here_doc
    }

    /// Takes in one more line (without its newline).
    pub(crate) fn read(&mut self, line: &str) {
        self.comment = false;
        self.blank = line.trim().is_empty();
        let mut chars = line.chars().peekable();
        let mut previous = ' ';
        let mut word = String::new();
        while let Some(c) = chars.next() {
            if self.single {
                // In `$'...'` a backslash escapes the next character.
                if self.ansi_c && c == '\\' {
                    chars.next();
                }
                self.single = c != '\'';
            } else if c == '\\' {
                chars.next();
            } else if self.double {
                self.double = c != '"';
                if c == '$' && chars.peek() == Some(&'(') {
                    chars.next();
                    self.substitution += 1;
                } else if c == ')' && self.substitution > 0 {
                    self.substitution -= 1;
                }
            } else if c == '#' && previous.is_whitespace() && !self.backtick {
                self.comment = true;
                break;
            } else {
                self.code_char(c, previous, &word);
                if c == '<' && chars.peek() == Some(&'<') {
                    chars.next();
                    // `<<<` is a here-string.
                    if chars.peek() == Some(&'<') {
                        chars.next();
                    } else {
                        self.here_doc = true;
                    }
                }
            }
            if c.is_whitespace() {
                if !word.is_empty() {
                    self.last_word = std::mem::take(&mut word);
                }
            } else {
                word.push(c);
            }
            previous = c;
        }
        if !word.is_empty() {
            self.last_word = word;
        }
    }

    /// A character outside quotes.
    fn code_char(&mut self, c: char, previous: char, word: &str) {
        match c {
            '\'' => {
                self.single = true;
                self.ansi_c = previous == '$';
            }
            '"' => self.double = true,
            '`' => self.backtick = !self.backtick,
            '(' if previous == '$' || self.substitution > 0 => self.substitution += 1,
            '(' if previous == '=' && word.len() > 1 => self.assignment += 1,
            ')' if self.substitution > 0 => self.substitution -= 1,
            ')' if self.assignment > 0 => self.assignment -= 1,
            _ => {}
        }
    }
}

/// Creates the history file's directory (mode 0700) if it is missing.
fn make_parent(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir);
    }
}

/// Appends `text` to the history file, creating it (mode 0600, in a
/// directory of mode 0700) if needed.
pub fn append_text(path: &Path, text: &str) -> std::io::Result<()> {
    make_parent(path);
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(&crate::bytes::encode(text))
}

/// Replaces the history file's contents with `text`, keeping its mode.
pub fn write_text(path: &Path, text: &str) -> std::io::Result<()> {
    make_parent(path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .create(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(&crate::bytes::encode(text))
}

/// The lines of the history file.
pub fn read_lines(path: &Path) -> std::io::Result<Vec<String>> {
    let text = crate::bytes::decode_vec(std::fs::read(path)?);
    Ok(text.lines().map(str::to_string).collect())
}

/// Keeps only the last `limit` entries of the history file
/// (`HISTFILESIZE`): lines, a time line going with the line after it.
pub fn truncate_file(path: &Path, limit: usize) -> std::io::Result<()> {
    let lines = read_lines(path)?;
    let mut kept = 0;
    let mut cut = lines.len();
    while cut > 0 {
        let line = &lines[cut - 1];
        if timestamp(line).is_none() {
            if kept == limit {
                break;
            }
            kept += 1;
        }
        cut -= 1;
    }
    if cut > 0 {
        let text: String = lines[cut..].iter().map(|l| format!("{l}\n")).collect();
        write_text(path, &text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_skips_blank_lines_and_keeps_the_newest() {
        let mut h = History::default();
        for line in ["a\n", "  ", "b", "c"] {
            h.push(line, Some(2));
        }
        assert_eq!(h.entries(), ["b", "c"]);
        assert!(h.delete(0));
        assert!(!h.delete(5));
        assert_eq!(h.entries(), ["c"]);
    }

    /// Each as bash 5.2 stores it with `cmdhist` on.
    #[test]
    fn multi_line_commands_are_one_entry() {
        for (text, entry) in [
            ("if true\nthen echo c\nfi\n", "if true; then echo c; fi"),
            (
                "f() {\n  echo a\n  echo b\n}",
                "f() {   echo a;   echo b; }",
            ),
            (
                "for i in 1 2\ndo\n  echo $i\ndone",
                "for i in 1 2; do   echo $i; done",
            ),
            ("echo a &&\necho b", "echo a && echo b"),
            ("echo \"x\ny\"", "echo \"x\ny\""),
            ("cat <<EOF\nhere\nEOF", "cat <<EOF\nhere\nEOF\n"),
            ("case a in\na) echo A;;\nesac", "case a in a) echo A;; esac"),
            ("echo a |\ncat", "echo a | cat"),
            ("{ echo g\n}", "{ echo g; }"),
            ("echo a \\\nb", "echo a b"),
            ("x=(1\n2)", "x=(1 2)"),
            (
                "if true # c\nthen echo x\nfi",
                "if true # c\nthen echo x; fi",
            ),
            ("if true\n\nthen echo y\nfi", "if true;  then echo y; fi"),
            ("f()\n{ echo z; }", "f() { echo z; }"),
            ("x=$(echo a\necho b)", "x=$(echo a\necho b)"),
            ("echo $'it\\'s'\necho b", "echo $'it\\'s'; echo b"),
            ("echo \"a\nb\" && echo c", "echo \"a\nb\" && echo c"),
            ("cat <<<x\necho y", "cat <<<x; echo y"),
            (
                "if true\nthen echo \"$(date)\"\nfi",
                "if true; then echo \"$(date)\"; fi",
            ),
        ] {
            assert_eq!(one_entry(text), entry, "{text:?}");
        }
    }

    #[test]
    fn numbers_go_on_past_dropped_entries_until_cleared() {
        let mut h = History::default();
        for line in ["a", "b", "c"] {
            h.push(line, Some(2));
        }
        assert_eq!((h.number(0), h.next_number()), (2, 4));
        assert_eq!(
            (h.index_of(3), h.index_of(1), h.index_of(4)),
            (Some(1), None, None)
        );
        h.clear();
        assert_eq!(h.next_number(), 1);
    }

    #[test]
    fn rules_leave_lines_out() {
        let mut h = History::default();
        let rules = Rules::new(Some("ignoreboth:erasedups"), Some("ls:cd *"));
        for line in ["a", " secret", "a", "ls", "cd /tmp", "b", "a"] {
            h.add(line, &rules, None);
        }
        assert_eq!(h.entries(), ["b", "a"]);
        let mut h = History::default();
        let rules = Rules::new(None, Some("&"));
        for line in ["x", "x", "y"] {
            h.add(line, &rules, None);
        }
        assert_eq!(h.entries(), ["x", "y"]);
    }
}
