//! `test` / `[`: POSIX operators with the argument-count rules, plus
//! `-nt -ot -ef`, `!`, `-a -o` and parentheses. The unary and binary
//! operators are the evaluator's (`exec/primaries.rs`), shared with `[[ … ]]`.

use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::exec::primaries::{TestError, binary, unary};

fn is_binary_op(op: &str) -> bool {
    matches!(
        op,
        "=" | "=="
            | "!="
            | "<"
            | ">"
            | "-eq"
            | "-ne"
            | "-lt"
            | "-le"
            | "-gt"
            | "-ge"
            | "-nt"
            | "-ot"
            | "-ef"
    )
}

struct Parser<'a> {
    sh: &'a mut Shell,
    args: &'a [String],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.pos).map(String::as_str)
    }

    fn or(&mut self) -> Result<bool, TestError> {
        let mut v = self.and()?;
        while self.peek() == Some("-o") {
            self.pos += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self) -> Result<bool, TestError> {
        let mut v = self.not()?;
        while self.peek() == Some("-a") {
            self.pos += 1;
            let r = self.not()?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self) -> Result<bool, TestError> {
        if self.peek() == Some("!") && self.args.len() > self.pos + 1 {
            self.pos += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<bool, TestError> {
        let Some(first) = self.peek().map(str::to_string) else {
            return Err("argument expected".into());
        };
        if first == "(" {
            self.pos += 1;
            let v = self.or()?;
            if self.peek() != Some(")") {
                return Err("`)' expected".into());
            }
            self.pos += 1;
            return Ok(v);
        }
        if let Some(op) = self.args.get(self.pos + 1).map(String::as_str)
            && is_binary_op(op)
            && let Some(rhs) = self.args.get(self.pos + 2)
        {
            self.pos += 3;
            return binary(self.sh, &first, op, rhs).map(|v| v.unwrap_or(false));
        }
        if first.starts_with('-')
            && let Some(arg) = self.args.get(self.pos + 1)
            && let Some(v) = unary(self.sh, &first, arg)
        {
            self.pos += 2;
            return Ok(v);
        }
        self.pos += 1;
        Ok(!first.is_empty())
    }
}

/// Evaluates `test` arguments by the POSIX argument-count rules.
pub fn evaluate(sh: &mut Shell, args: &[String]) -> Result<bool, TestError> {
    let a = |i: usize| args[i].as_str();
    match args.len() {
        0 => Ok(false),
        1 => Ok(!args[0].is_empty()),
        2 if a(0) == "!" => Ok(args[1].is_empty()),
        2 => match unary(sh, a(0), a(1)) {
            Some(v) => Ok(v),
            None => Err(format!("{}: unary operator expected", a(0))),
        },
        3 if is_binary_op(a(1)) => binary(sh, a(0), a(1), a(2)).map(|v| v.unwrap_or(false)),
        3 if a(0) == "!" => evaluate(sh, &args[1..]).map(|v| !v),
        3 if a(0) == "(" && a(2) == ")" => Ok(!args[1].is_empty()),
        3 if a(1) == "-a" || a(1) == "-o" => {
            let (l, r) = (!args[0].is_empty(), !args[2].is_empty());
            Ok(if a(1) == "-a" { l && r } else { l || r })
        }
        4 if a(0) == "!" => evaluate(sh, &args[1..]).map(|v| !v),
        4 if a(0) == "(" && a(3) == ")" => evaluate(sh, &args[1..3]),
        _ => {
            let mut p = Parser { sh, args, pos: 0 };
            let v = p.or()?;
            if p.pos < args.len() {
                return Err(format!("{}: too many arguments", args[p.pos]));
            }
            Ok(v)
        }
    }
}

/// `test expr…` and `[ expr… ]`.
pub fn test(sh: &mut Shell, argv: &[String]) -> Status {
    let name = argv[0].as_str();
    let mut args = &argv[1..];
    if name == "[" {
        match args.last() {
            Some(last) if last == "]" => args = &args[..args.len() - 1],
            _ => return sh.builtin_error("[", "missing `]'", 2),
        }
    }
    match evaluate(sh, args) {
        Ok(true) => Ok(0),
        Ok(false) => Ok(1),
        Err(msg) => sh.builtin_error(name, &msg, 2),
    }
}
