//! Options with a one-line description each, read from a command's man
//! page — what fish's `fish_update_completions` does, on demand: for a
//! command without a completion script, `cmd -<Tab>` still offers its
//! options.
//!
//! The page is found as `man -w` finds it (`$MANPATH`, else the `man`
//! directories beside each `$PATH` entry), decompressed by the system's
//! own tool, and its roff read for tagged paragraphs (`.TP`, `.IP`, mdoc's
//! `.It Fl`). What a page gives is cached under
//! `$XDG_CACHE_HOME/pidsh/man-options/` (else `~/.cache`), keyed by the
//! page's path and modification time, so a page is parsed once.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::exec::Shell;

/// An option and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionDoc {
    /// `-l`, `--all`, `--color=`.
    pub name: String,
    /// One line.
    pub description: String,
}

/// Sections searched, in order: user commands, then administration.
const SECTIONS: &[&str] = &["1", "8", "6"];

/// The options the man page of `command` documents (none when it has no
/// page or the page has no tagged options).
pub fn options(sh: &mut Shell, command: &str) -> Vec<OptionDoc> {
    let name = command.rsplit('/').next().unwrap_or(command);
    if name.is_empty() || name.starts_with('.') {
        return Vec::new();
    }
    let Some(page) = find_page(sh, name) else {
        return Vec::new();
    };
    let mtime = std::fs::metadata(&page)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    let key = format!("{}\t{mtime}", page.display());
    let cache = cache_file(sh, name);
    if let Some(found) = cache.as_deref().and_then(|c| read_cache(c, &key)) {
        return found;
    }
    let Some(text) = page_text(sh, &page) else {
        return Vec::new();
    };
    let found = parse(&text);
    if let Some(cache) = cache {
        write_cache(&cache, &key, &found);
    }
    found
}

/// The directories a page may be in.
fn man_dirs(sh: &Shell) -> Vec<String> {
    let mut dirs = Vec::new();
    let defaults = || {
        let mut d: Vec<String> = Vec::new();
        for bin in sh.state.vars.get("PATH").unwrap_or("").split(':') {
            let Some(parent) = bin.strip_suffix("/bin").or(bin.strip_suffix("/sbin")) else {
                continue;
            };
            d.push(format!("{parent}/share/man"));
            d.push(format!("{parent}/man"));
        }
        d.push("/usr/share/man".to_string());
        d.push("/usr/local/share/man".to_string());
        d
    };
    match sh.state.vars.get("MANPATH").filter(|m| !m.is_empty()) {
        // An empty entry stands for the default list (man's rule).
        Some(list) => {
            for entry in list.split(':') {
                if entry.is_empty() {
                    dirs.extend(defaults());
                } else {
                    dirs.push(entry.to_string());
                }
            }
        }
        None => dirs = defaults(),
    }
    dirs.dedup();
    dirs
}

fn find_page(sh: &Shell, name: &str) -> Option<PathBuf> {
    for dir in man_dirs(sh) {
        for section in SECTIONS {
            let base = format!("{dir}/man{section}/{name}.{section}");
            for suffix in ["", ".gz", ".xz", ".bz2", ".zst"] {
                let path = PathBuf::from(format!("{base}{suffix}"));
                if path.is_file() {
                    return Some(path);
                }
            }
        }
    }
    None
}

/// The roff of a page, decompressed by `gzip`, `xz`, `bzip2` or `zstd`
/// run in the completion shell (plain pages are read directly).
fn page_text(sh: &mut Shell, page: &Path) -> Option<String> {
    let path = page.to_string_lossy().into_owned();
    let tool = match page.extension().and_then(|e| e.to_str()) {
        Some("gz") => "gzip",
        Some("xz") => "xz",
        Some("bz2") => "bzip2",
        Some("zst") => "zstd",
        _ => return std::fs::read_to_string(page).ok(),
    };
    let quoted = crate::parser::unparse::quote(&path);
    let body = crate::parser::parse_program(&format!("{tool} -dc -- {quoted}\n")).ok()?;
    sh.capture_output(&body).ok().map(|(text, _)| text)
}

fn cache_file(sh: &Shell, name: &str) -> Option<PathBuf> {
    let base = sh
        .state
        .vars
        .get("XDG_CACHE_HOME")
        .filter(|d| d.starts_with('/'))
        .map(str::to_string)
        .or_else(|| sh.state.vars.get("HOME").map(|h| format!("{h}/.cache")))?;
    Some(PathBuf::from(format!("{base}/pidsh/man-options/{name}")))
}

/// The cached options when the cache is for this page and mtime.
fn read_cache(file: &Path, key: &str) -> Option<Vec<OptionDoc>> {
    let text = std::fs::read_to_string(file).ok()?;
    let mut lines = text.lines();
    if lines.next()? != key {
        return None;
    }
    Some(
        lines
            .filter_map(|l| l.split_once('\t'))
            .map(|(name, description)| OptionDoc {
                name: name.to_string(),
                description: description.to_string(),
            })
            .collect(),
    )
}

/// Writes the cache; a cache that cannot be written only costs time.
fn write_cache(file: &Path, key: &str, options: &[OptionDoc]) {
    let mut text = format!("{key}\n");
    for o in options {
        text.push_str(&format!("{}\t{}\n", o.name, o.description));
    }
    if let Some(dir) = file.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    // Written aside and renamed: a shell reading it meanwhile sees the
    // old cache or the new one, never half of one.
    let aside = file.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&aside, text).is_ok() {
        let _ = std::fs::rename(&aside, file);
    }
}

/// The tagged options of a roff page, each with the first sentence of
/// its paragraph.
pub fn parse(roff: &str) -> Vec<OptionDoc> {
    let lines: Vec<&str> = roff.lines().collect();
    let mut out: Vec<OptionDoc> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let tag = if is_macro(line, &["TP", "TQ"]) {
            // The tag is the next text line (skipping comments).
            while i < lines.len() && lines[i].starts_with(".\\\"") {
                i += 1;
            }
            let Some(tag) = lines.get(i) else { break };
            i += 1;
            macro_text(tag)
        } else if is_macro(line, &["IP"]) {
            first_argument(&line[3..])
        } else if let Some(rest) = line.strip_prefix(".It ") {
            mdoc_tag(rest)
        } else {
            continue;
        };
        let names = option_names(&plain(&tag));
        if names.is_empty() {
            continue;
        }
        let (description, next) = paragraph(&lines, i);
        i = next;
        for name in names {
            if !out.iter().any(|o| o.name == name) {
                out.push(OptionDoc {
                    name,
                    description: description.clone(),
                });
            }
        }
    }
    out
}

fn is_macro(line: &str, names: &[&str]) -> bool {
    let Some(rest) = line.strip_prefix('.').or(line.strip_prefix('\'')) else {
        return false;
    };
    let name = rest.split_whitespace().next().unwrap_or("");
    names.contains(&name)
}

/// The text of a line that may itself be a font macro (`.B -a`).
fn macro_text(line: &str) -> String {
    match line.strip_prefix('.') {
        Some(rest) => {
            let mut parts = rest.splitn(2, ' ');
            let _ = parts.next();
            parts.next().unwrap_or("").replace('"', "")
        }
        None => line.to_string(),
    }
}

/// The first argument of a macro line, quoted or not.
fn first_argument(args: &str) -> String {
    let args = args.trim_start();
    match args.strip_prefix('"') {
        Some(rest) => rest.split('"').next().unwrap_or("").to_string(),
        None => args.split_whitespace().next().unwrap_or("").to_string(),
    }
}

/// mdoc's `.It Fl a Ar file` → `-a`; `Fl -all` → `--all`.
fn mdoc_tag(rest: &str) -> String {
    let mut out = String::new();
    let mut words = rest.split_whitespace().peekable();
    while let Some(w) = words.next() {
        if w == "Fl" {
            let flag = words.next().unwrap_or("");
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push('-');
            out.push_str(flag.trim_end_matches(','));
        }
    }
    out
}

/// The description: the text lines after the tag up to the next
/// paragraph macro, joined, cut after the first sentence.
fn paragraph(lines: &[&str], from: usize) -> (String, usize) {
    let mut text = String::new();
    let mut i = from;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with('.') || line.starts_with('\'') {
            let name = line[1..].split_whitespace().next().unwrap_or("");
            if matches!(
                name,
                "TP" | "TQ" | "IP" | "PP" | "P" | "LP" | "SH" | "SS" | "It" | "El" | "Sh"
            ) {
                break;
            }
            if line.starts_with(".\\\"") {
                i += 1;
                continue;
            }
            // A font macro's text belongs to the paragraph (mdoc writes
            // closing punctuation as a word of its own: `.Ar file .`).
            let words = macro_text(line);
            text.push(' ');
            text.push_str(words.replace(" .", ".").replace(" ,", ",").trim());
        } else {
            text.push(' ');
            text.push_str(line);
        }
        i += 1;
    }
    (first_sentence(&plain(&text)), i)
}

fn first_sentence(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = text
        .match_indices(". ")
        .map(|(n, _)| n + 1)
        .next()
        .unwrap_or(text.len());
    let sentence = text[..end].trim_end();
    // A full stop ends the sentence; a lone `.` is a word (`starting
    // with .`).
    let sentence = match sentence.strip_suffix('.') {
        Some(rest) if !rest.ends_with(' ') => rest,
        _ => sentence,
    };
    let mut out: String = sentence.chars().take(100).collect();
    if sentence.chars().count() > 100 {
        out.push('…');
    }
    out
}

/// The option names a tag names: `-a, --all`, `--color[=WHEN]` →
/// `--color`, `--width=COLS` → `--width=`.
fn option_names(tag: &str) -> Vec<String> {
    let mut names = Vec::new();
    for token in tag.split([',', ' ', '|']) {
        let token = token.trim();
        if !token.starts_with('-') || token == "-" || token == "--" {
            continue;
        }
        let end = token.find(['[', '=', '<', '(']).unwrap_or(token.len());
        let name = &token[..end];
        let valid = name.len() > 1
            && name
                .chars()
                .skip_while(|c| *c == '-')
                .all(|c| c.is_alphanumeric() || "-_+.?@#".contains(c));
        if !valid || name.trim_start_matches('-').is_empty() {
            continue;
        }
        let mut name = name.to_string();
        if token[end..].starts_with('=') {
            name.push('=');
        }
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Roff text without its escapes: fonts dropped, `\-` a hyphen, the
/// common special characters as themselves.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('f') => match chars.next() {
                Some('(') => {
                    chars.next();
                    chars.next();
                }
                Some('[') => for _ in chars.by_ref().take_while(|c| *c != ']') {},
                _ => {}
            },
            Some('(') => {
                let name: String = [chars.next(), chars.next()].into_iter().flatten().collect();
                out.push_str(special(&name));
            }
            Some('[') => {
                let name: String = chars.by_ref().take_while(|c| *c != ']').collect();
                out.push_str(special(&name));
            }
            Some('*') => match chars.next() {
                Some('(') => {
                    chars.next();
                    chars.next();
                }
                Some('[') => for _ in chars.by_ref().take_while(|c| *c != ']') {},
                _ => {}
            },
            Some('-') => out.push('-'),
            Some('e') | Some('\\') => out.push('\\'),
            Some(' ') | Some('~') => out.push(' '),
            Some('"') => break,
            Some(other) if other.is_alphanumeric() => {}
            _ => {}
        }
    }
    out
}

fn special(name: &str) -> &'static str {
    match name {
        "aq" => "'",
        "dq" => "\"",
        "em" | "en" => "—",
        "hy" | "mi" => "-",
        "lq" | "rq" => "\"",
        "oq" | "cq" => "'",
        "bu" => "•",
        "ti" => "~",
        "ha" => "^",
        "rs" => "\\",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn man_pages_tagged_paragraphs() {
        let roff = ".TH LS 1\n.SH OPTIONS\n.TP\n\\fB\\-a\\fR, \\fB\\-\\-all\\fR\ndo not ignore entries starting with .\n.TP\n\\fB\\-\\-color\\fR[=\\fI\\,WHEN\\/\\fR]\ncolor the output WHEN; more info below. Second sentence.\n.TP\n\\fB\\-w\\fR, \\fB\\-\\-width\\fR=\\fI\\,COLS\\/\\fR\nset output width to COLS\n.IP \"\\fB\\-q\\fR\" 4\nbe quiet\n.PP\nText.\n";
        let found = parse(roff);
        let pairs: Vec<(&str, &str)> = found
            .iter()
            .map(|o| (o.name.as_str(), o.description.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("-a", "do not ignore entries starting with ."),
                ("--all", "do not ignore entries starting with ."),
                ("--color", "color the output WHEN; more info below"),
                ("-w", "set output width to COLS"),
                ("--width=", "set output width to COLS"),
                ("-q", "be quiet"),
            ]
        );
    }

    #[test]
    fn mdoc_items() {
        let roff =
            ".Bl -tag\n.It Fl v\nVerbose mode.\n.It Fl o Ar file\nWrite to\n.Ar file .\n.El\n";
        let found = parse(roff);
        assert_eq!(found[0].name, "-v");
        assert_eq!(found[0].description, "Verbose mode");
        assert_eq!(found[1].name, "-o");
        assert_eq!(found[1].description, "Write to file");
    }
}
