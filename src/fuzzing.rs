//! Entry points for fuzzing: the parser, the expander and the arithmetic
//! evaluator, each fed arbitrary bytes. The fuzz targets in `fuzz/` call
//! them, and `tests/fuzz_corpus.rs` replays the committed corpus through
//! them on stable Rust, so a crash once found stays fixed.
//!
//! The expander runs against [`FakeEnv`], a test double of the shell that
//! touches nothing outside memory: no command runs, no file is globbed,
//! no user is looked up. Each entry point must return — an error is a
//! fine outcome, a panic, a hang or an abort is a bug.

use std::collections::HashMap;

use crate::expand::arith::{ArithVars, Subscript};
use crate::expand::{ExpandEnv, ExpandError};
use crate::parser::ast::{Command, List, Word};
use crate::parser::{Aliases, Parser};

/// At most this many commands are parsed from one input (the parser is
/// linear; this bounds the expander's work on what it parsed).
const MAX_COMMANDS: usize = 256;

/// Parses `data` (decoded as the shell decodes a script) one command at a
/// time, as a script would be read, until its end or the first error.
pub fn parse(data: &[u8]) {
    let text = crate::bytes::decode(data);
    let aliases = Aliases::default();
    let mut parser = Parser::new(&text, 1);
    for _ in 0..MAX_COMMANDS {
        match parser.next_command(&aliases) {
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => return,
        }
    }
}

/// Parses `data` and expands the words of its simple commands (and their
/// assignments' values) in a [`FakeEnv`].
pub fn expand(data: &[u8]) {
    let text = crate::bytes::decode(data);
    let aliases = Aliases::default();
    let mut parser = Parser::new(&text, 1);
    let mut env = FakeEnv::default();
    for _ in 0..MAX_COMMANDS {
        let Ok(Some(list)) = parser.next_command(&aliases) else {
            return;
        };
        for words in simple_words(&list) {
            let _ = crate::expand::expand_words(&mut env, &words);
        }
    }
}

/// Evaluates `data` as an arithmetic expression (`$(( … ))`).
pub fn arith(data: &[u8]) {
    let text = crate::bytes::decode(data);
    let mut vars = FakeArith::default();
    let _ = crate::expand::arith::evaluate(&text, &mut vars);
}

/// The words of the simple commands at the top of `list`.
fn simple_words(list: &List) -> Vec<Vec<Word>> {
    let mut out = Vec::new();
    for item in &list.items {
        let pipelines =
            std::iter::once(&item.and_or.first).chain(item.and_or.rest.iter().map(|(_, p)| p));
        for pipeline in pipelines {
            for command in &pipeline.commands {
                if let Command::Simple(sc) = command {
                    out.push(sc.words.clone());
                }
            }
        }
    }
    out
}

/// The shell as the expander sees it, in memory only.
#[derive(Debug, Default)]
pub struct FakeEnv {
    vars: HashMap<String, String>,
    arrays: HashMap<String, Vec<(String, String)>>,
}

impl FakeEnv {
    /// A fake shell with these variables set.
    pub fn with_vars(vars: &[(&str, &str)]) -> FakeEnv {
        FakeEnv {
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..FakeEnv::default()
        }
    }

    /// The fields the words of the simple command `text` expand to here.
    pub fn fields(&mut self, text: &str) -> Result<Vec<String>, ExpandError> {
        let aliases = Aliases::default();
        let mut parser = Parser::new(text, 1);
        let Ok(Some(list)) = parser.next_command(&aliases) else {
            return Ok(Vec::new());
        };
        let words = simple_words(&list)
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
        crate::expand::expand_words(self, &words)
    }
}

impl ExpandEnv for FakeEnv {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }
    fn set_var(&mut self, name: &str, value: String) -> Result<(), String> {
        if self.vars.len() > 1000 {
            return Err("too many variables".into());
        }
        self.vars.insert(name.to_string(), value);
        Ok(())
    }
    fn positional(&self) -> Vec<String> {
        vec!["one".into(), "two words".into()]
    }
    fn positional_at(&self, n: usize) -> Option<String> {
        self.positional().get(n.checked_sub(1)?).cloned()
    }
    fn positional_count(&self) -> usize {
        2
    }
    fn arg0(&self) -> String {
        "pidsh".into()
    }
    fn array_values(&self, name: &str) -> Option<Vec<String>> {
        let a = self.arrays.get(name)?;
        Some(a.iter().map(|(_, v)| v.clone()).collect())
    }
    fn array_keys(&self, name: &str) -> Option<Vec<String>> {
        let a = self.arrays.get(name)?;
        Some(a.iter().map(|(k, _)| k.clone()).collect())
    }
    fn is_assoc(&self, _name: &str) -> bool {
        false
    }
    fn element_by_index(&self, name: &str, index: i64) -> Option<String> {
        self.element_by_key(name, &index.to_string())
    }
    fn element_by_key(&self, name: &str, key: &str) -> Option<String> {
        let a = self.arrays.get(name)?;
        a.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }
    fn set_element_by_index(
        &mut self,
        name: &str,
        index: i64,
        value: String,
    ) -> Result<(), String> {
        self.set_element_by_key(name, &index.to_string(), value)
    }
    fn set_element_by_key(&mut self, name: &str, key: &str, value: String) -> Result<(), String> {
        let a = self.arrays.entry(name.to_string()).or_default();
        if a.len() > 1000 {
            return Err("too many elements".into());
        }
        a.retain(|(k, _)| k != key);
        a.push((key.to_string(), value));
        Ok(())
    }
    fn variable_names(&self) -> Vec<String> {
        self.vars.keys().cloned().collect()
    }
    fn cwd_prefix(&self) -> Option<String> {
        None
    }
    fn special(&self, name: char) -> Option<String> {
        match name {
            '?' => Some("0".into()),
            '$' => Some("4242".into()),
            '-' => Some("h".into()),
            _ => None,
        }
    }
    fn command_substitution(
        &mut self,
        _body: &std::sync::Arc<List>,
    ) -> Result<String, ExpandError> {
        Ok("substituted".into())
    }
    fn nounset(&self) -> bool {
        false
    }
    fn noglob(&self) -> bool {
        true
    }
    fn home_of(&self, _user: &str) -> Option<String> {
        None
    }
}

/// Variables for the arithmetic evaluator, in memory only.
#[derive(Debug, Default)]
struct FakeArith {
    vars: HashMap<String, String>,
}

impl ArithVars for FakeArith {
    fn get(&mut self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }
    fn set(&mut self, name: &str, value: i64) -> Result<(), String> {
        if self.vars.len() > 1000 {
            return Err("too many variables".into());
        }
        self.vars.insert(name.to_string(), value.to_string());
        Ok(())
    }
    fn get_element(&mut self, name: &str, subscript: &Subscript) -> Option<String> {
        self.vars.get(&format!("{name}[{subscript:?}]")).cloned()
    }
    fn set_element(&mut self, name: &str, subscript: &Subscript, value: i64) -> Result<(), String> {
        self.set(&format!("{name}[{subscript:?}]"), value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_point_takes_odd_input() {
        for input in [
            &b""[..],
            b"echo ${x:-$((1+2))} \"$@\" ${#a[@]} ${y//a/b} {a,b}c",
            b"$((",
            b"a=(1 2); echo ${a[1]} ${!a[@]}",
            b"\xff\xfe((",
            b"1 ? 2 : 3 ** 4 / 0",
        ] {
            parse(input);
            expand(input);
            arith(input);
        }
    }
}
