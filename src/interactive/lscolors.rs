//! File names in the completion menu coloured as `ls` colours them, by
//! `LS_COLORS` (`di=01;34:ln=01;36:*.tar=01;31:…`): the kind of file
//! first, then the name's ending.

use std::fs::Metadata;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};

use nu_ansi_term::{Color, Style};

/// `LS_COLORS`, read.
#[derive(Debug, Default)]
pub struct LsColors {
    /// `di`, `ln`, `ex` … with their styles.
    kinds: Vec<(String, Style)>,
    /// `*.ext` (without the `*`) with their styles, longest first.
    endings: Vec<(String, Style)>,
}

impl LsColors {
    /// Reads the variable's value.
    pub fn parse(text: &str) -> LsColors {
        let mut colors = LsColors::default();
        for entry in text.split(':') {
            let Some((key, codes)) = entry.split_once('=') else {
                continue;
            };
            let style = sgr_style(codes);
            match key.strip_prefix('*') {
                Some(ending) => colors.endings.push((ending.to_string(), style)),
                None => colors.kinds.push((key.to_string(), style)),
            }
        }
        colors
            .endings
            .sort_by_key(|(e, _)| std::cmp::Reverse(e.len()));
        colors
    }

    fn kind(&self, key: &str) -> Option<Style> {
        self.kinds.iter().find(|(k, _)| k == key).map(|(_, s)| *s)
    }

    /// The style of the file `name`, whose `lstat` is `link` and `stat`
    /// (through links) is `target`.
    pub fn style(&self, name: &str, link: &Metadata, target: Option<&Metadata>) -> Option<Style> {
        let kind = if link.file_type().is_symlink() {
            if target.is_some() { "ln" } else { "or" }
        } else if link.is_dir() {
            "di"
        } else if link.file_type().is_fifo() {
            "pi"
        } else if link.file_type().is_socket() {
            "so"
        } else if link.file_type().is_block_device() {
            "bd"
        } else if link.file_type().is_char_device() {
            "cd"
        } else if link.permissions().mode() & 0o111 != 0 {
            "ex"
        } else {
            "fi"
        };
        if let Some(style) = self.kind(kind).filter(|_| kind != "fi") {
            return Some(style);
        }
        self.endings
            .iter()
            .find(|(ending, _)| name.ends_with(ending.as_str()))
            .map(|(_, s)| *s)
            .or_else(|| self.kind("fi"))
    }
}

/// A style from SGR codes (`01;34`, `38;5;208`, `38;2;255;0;0`).
fn sgr_style(codes: &str) -> Style {
    let numbers: Vec<u8> = codes.split(';').filter_map(|c| c.parse().ok()).collect();
    let mut style = Style::new();
    let mut i = 0;
    while i < numbers.len() {
        let n = numbers[i];
        i += 1;
        match n {
            1 => style = style.bold(),
            2 => style = style.dimmed(),
            3 => style = style.italic(),
            4 => style = style.underline(),
            5 => style = style.blink(),
            7 => style = style.reverse(),
            30..=37 => style = style.fg(basic(n - 30)),
            90..=97 => style = style.fg(bright(n - 90)),
            40..=47 => style = style.on(basic(n - 40)),
            100..=107 => style = style.on(bright(n - 100)),
            38 | 48 => {
                let color = match numbers.get(i) {
                    Some(5) => {
                        i += 2;
                        numbers.get(i - 1).map(|&c| Color::Fixed(c))
                    }
                    Some(2) => {
                        i += 4;
                        match numbers.get(i - 3..i) {
                            Some(&[r, g, b]) => Some(Color::Rgb(r, g, b)),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                if let Some(c) = color {
                    style = if n == 38 { style.fg(c) } else { style.on(c) };
                }
            }
            _ => {}
        }
    }
    style
}

fn basic(n: u8) -> Color {
    [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Purple,
        Color::Cyan,
        Color::White,
    ][usize::from(n.min(7))]
}

fn bright(n: u8) -> Color {
    [
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightPurple,
        Color::LightCyan,
        Color::White,
    ][usize::from(n.min(7))]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_from_codes() {
        assert_eq!(sgr_style("01;34"), Style::new().bold().fg(Color::Blue));
        assert_eq!(sgr_style("38;5;208"), Style::new().fg(Color::Fixed(208)));
        assert_eq!(
            sgr_style("38;2;1;2;3"),
            Style::new().fg(Color::Rgb(1, 2, 3))
        );
    }

    #[test]
    fn kinds_before_endings() {
        let colors = LsColors::parse("di=01;34:*.tar=01;31:*.gz=31:fi=0");
        let dir = std::fs::symlink_metadata("/").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            colors.style("x.tar", &dir, Some(&dir)),
            Some(Style::new().bold().fg(Color::Blue))
        );
        let file = std::fs::symlink_metadata("Cargo.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            colors.style("x.tar", &file, Some(&file)),
            Some(Style::new().bold().fg(Color::Red))
        );
    }
}
