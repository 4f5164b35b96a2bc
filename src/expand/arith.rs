//! Arithmetic expansion `$(( … ))`, `(( … ))` and `let`: a recursive-descent
//! evaluator over 64-bit signed integers with C precedence and the shell's
//! assignment operators.
//!
//! The text has already been through parameter expansion; names that remain
//! are variables, whose values are themselves evaluated as expressions.

use std::fmt;

/// Variable access for the evaluator.
pub trait ArithVars {
    /// The value of a variable, if set.
    fn get(&mut self, name: &str) -> Option<String>;
    /// Assigns a variable.
    fn set(&mut self, name: &str, value: i64) -> Result<(), String>;
}

/// An arithmetic error, worded like bash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArithError {
    /// The expression text.
    pub expr: String,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ArithError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.expr.trim(), self.message)
    }
}

const MAX_DEPTH: u32 = 200;

/// Evaluates `expr`.
pub fn evaluate(expr: &str, vars: &mut dyn ArithVars) -> Result<i64, ArithError> {
    evaluate_at_depth(expr, vars, 0)
}

fn evaluate_at_depth(expr: &str, vars: &mut dyn ArithVars, depth: u32) -> Result<i64, ArithError> {
    let err = |message: String| ArithError {
        expr: expr.to_string(),
        message,
    };
    if depth > MAX_DEPTH {
        return Err(err("expression recursion level exceeded".into()));
    }
    let tokens = tokenize(expr).map_err(err)?;
    let mut p = Eval {
        tokens,
        pos: 0,
        vars,
        depth,
        skip: 0,
    };
    if p.tokens.is_empty() {
        return Ok(0);
    }
    let v = p.comma().map_err(err)?;
    if p.pos < p.tokens.len() {
        let tok = p.tokens[p.pos].text();
        return Err(err(format!(
            "syntax error: invalid arithmetic operator (error token is \"{tok}\")"
        )));
    }
    Ok(v)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Num(n) => n.to_string(),
            Tok::Name(s) => s.clone(),
            Tok::Op(o) => o.to_string(),
        }
    }
}

const OPS: &[&str] = &[
    "<<=", ">>=", "**", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=",
    "*=", "/=", "%=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "|",
    "^", "?", ":", "(", ")", ",",
];

fn tokenize(text: &str) -> Result<Vec<Tok>, String> {
    let bytes = text.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if matches!(c, b' ' | b'\t' | b'\n') {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || bytes[i] == b'#'
                    || bytes[i] == b'_'
                    || bytes[i] == b'@')
            {
                i += 1;
            }
            toks.push(Tok::Num(parse_number(&text[start..i])?));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            toks.push(Tok::Name(text[start..i].to_string()));
        } else if let Some(op) = OPS.iter().find(|op| text[i..].starts_with(**op)) {
            toks.push(Tok::Op(op));
            i += op.len();
        } else {
            let rest = &text[i..];
            return Err(format!(
                "syntax error: operand expected (error token is \"{rest}\")"
            ));
        }
    }
    Ok(toks)
}

/// Parses an integer constant: decimal, `0x` hex, `0` octal, `base#digits`.
pub fn parse_number(s: &str) -> Result<i64, String> {
    let bad = || format!("{s}: value too great for base (error token is \"{s}\")");
    if let Some((base, digits)) = s.split_once('#') {
        let base: u32 = base.parse().map_err(|_| bad())?;
        if !(2..=64).contains(&base) {
            return Err(format!(
                "{s}: invalid arithmetic base (error token is \"{s}\")"
            ));
        }
        return parse_in_base(digits, base).ok_or_else(bad);
    }
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return parse_in_base(hex, 16).ok_or_else(bad);
    }
    if s.len() > 1 && s.starts_with('0') {
        return parse_in_base(&s[1..], 8).ok_or_else(bad);
    }
    parse_in_base(s, 10).ok_or_else(bad)
}

fn parse_in_base(digits: &str, base: u32) -> Option<i64> {
    if digits.is_empty() {
        return None;
    }
    let mut v: i64 = 0;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 10,
            'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
            'A'..='Z' => c as u32 - 'A' as u32 + 36,
            '@' => 62,
            '_' => 63,
            _ => return None,
        };
        if d >= base {
            return None;
        }
        v = v.wrapping_mul(base as i64).wrapping_add(d as i64);
    }
    Some(v)
}

struct Eval<'a> {
    tokens: Vec<Tok>,
    pos: usize,
    vars: &'a mut dyn ArithVars,
    depth: u32,
    /// Positive while evaluating a branch whose value is discarded (`0 && x=1`):
    /// side effects are suppressed.
    skip: u32,
}

type R = Result<i64, String>;

impl Eval<'_> {
    fn peek_op(&self) -> Option<&'static str> {
        match self.tokens.get(self.pos) {
            Some(Tok::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.peek_op() == Some(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn comma(&mut self) -> R {
        let mut v = self.assign()?;
        while self.eat(",") {
            v = self.assign()?;
        }
        Ok(v)
    }

    fn assign(&mut self) -> R {
        if let (Some(Tok::Name(name)), Some(Tok::Op(op))) = (
            self.tokens.get(self.pos).cloned(),
            self.tokens.get(self.pos + 1).cloned(),
        ) && matches!(
            op,
            "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "|=" | "^="
        ) {
            self.pos += 2;
            let rhs = self.assign()?;
            let value = if op == "=" {
                rhs
            } else {
                let cur = self.var_value(&name)?;
                binary(&op[..op.len() - 1], cur, rhs)?
            };
            self.store(&name, value)?;
            return Ok(value);
        }
        self.ternary()
    }

    fn ternary(&mut self) -> R {
        let cond = self.binary_level(0)?;
        if !self.eat("?") {
            return Ok(cond);
        }
        if cond != 0 {
            let a = self.assign()?;
            self.expect(":")?;
            self.skip += 1;
            let b = self.ternary();
            self.skip -= 1;
            b?;
            Ok(a)
        } else {
            self.skip += 1;
            let a = self.assign();
            self.skip -= 1;
            a?;
            self.expect(":")?;
            self.ternary()
        }
    }

    fn expect(&mut self, op: &str) -> Result<(), String> {
        if self.eat(op) {
            Ok(())
        } else {
            let found = self.tokens.get(self.pos).map(Tok::text).unwrap_or_default();
            Err(format!(
                "syntax error: `{op}' expected (error token is \"{found}\")"
            ))
        }
    }

    fn binary_level(&mut self, level: usize) -> R {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<", ">", "<=", ">="],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        if level == LEVELS.len() {
            return self.power();
        }
        let mut lhs = self.binary_level(level + 1)?;
        loop {
            let Some(op) = self.peek_op().filter(|op| LEVELS[level].contains(op)) else {
                return Ok(lhs);
            };
            self.pos += 1;
            let short = (op == "&&" && lhs == 0) || (op == "||" && lhs != 0);
            if short {
                self.skip += 1;
            }
            let rhs = self.binary_level(level + 1);
            if short {
                self.skip -= 1;
            }
            let rhs = rhs?;
            lhs = match op {
                "&&" => (lhs != 0 && rhs != 0) as i64,
                "||" => (lhs != 0 || rhs != 0) as i64,
                _ if self.skip > 0 && matches!(op, "/" | "%") && rhs == 0 => 0,
                _ => binary(op, lhs, rhs)?,
            };
        }
    }

    fn power(&mut self) -> R {
        let base = self.unary()?;
        if self.eat("**") {
            let exp = self.power()?;
            if exp < 0 {
                return Err("exponent less than 0".into());
            }
            return Ok(base.wrapping_pow(exp.min(u32::MAX as i64) as u32));
        }
        Ok(base)
    }

    fn unary(&mut self) -> R {
        if let Some(op) = self.peek_op() {
            match op {
                "+" | "-" | "!" | "~" => {
                    self.pos += 1;
                    let v = self.unary()?;
                    return Ok(match op {
                        "+" => v,
                        "-" => v.wrapping_neg(),
                        "!" => (v == 0) as i64,
                        _ => !v,
                    });
                }
                "++" | "--" => {
                    self.pos += 1;
                    let Some(Tok::Name(name)) = self.tokens.get(self.pos).cloned() else {
                        return Err("syntax error: operand expected".into());
                    };
                    self.pos += 1;
                    let v = self.var_value(&name)?;
                    let nv = if op == "++" {
                        v.wrapping_add(1)
                    } else {
                        v.wrapping_sub(1)
                    };
                    self.store(&name, nv)?;
                    return Ok(nv);
                }
                _ => {}
            }
        }
        self.postfix()
    }

    fn postfix(&mut self) -> R {
        match self.tokens.get(self.pos).cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            Some(Tok::Name(name)) => {
                self.pos += 1;
                let v = self.var_value(&name)?;
                if let Some(op) = self.peek_op().filter(|o| *o == "++" || *o == "--") {
                    self.pos += 1;
                    let nv = if op == "++" {
                        v.wrapping_add(1)
                    } else {
                        v.wrapping_sub(1)
                    };
                    self.store(&name, nv)?;
                }
                Ok(v)
            }
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let v = self.comma()?;
                self.expect(")")?;
                Ok(v)
            }
            Some(tok) => Err(format!(
                "syntax error: operand expected (error token is \"{}\")",
                self.rest_from(tok)
            )),
            None => Err("syntax error: operand expected (error token is \"\")".into()),
        }
    }

    fn rest_from(&self, first: Tok) -> String {
        let mut s = first.text();
        for t in &self.tokens[self.pos + 1..] {
            s.push_str(&t.text());
        }
        s
    }

    fn var_value(&mut self, name: &str) -> R {
        let text = self.vars.get(name).unwrap_or_default();
        let text = text.trim_matches([' ', '\t', '\n']);
        if text.is_empty() {
            return Ok(0);
        }
        if let Ok(n) = parse_number(text) {
            return Ok(n);
        }
        evaluate_at_depth(text, self.vars, self.depth + 1).map_err(|e| e.message)
    }

    fn store(&mut self, name: &str, value: i64) -> Result<(), String> {
        if self.skip > 0 {
            return Ok(());
        }
        self.vars.set(name, value)
    }
}

fn binary(op: &str, a: i64, b: i64) -> R {
    Ok(match op {
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("division by 0 (error token is \"0\")".into()),
        "/" => a.wrapping_div(b),
        "%" => a.wrapping_rem(b),
        "<<" => a.wrapping_shl(b as u32),
        ">>" => a.wrapping_shr(b as u32),
        "&" => a & b,
        "|" => a | b,
        "^" => a ^ b,
        "==" => (a == b) as i64,
        "!=" => (a != b) as i64,
        "<" => (a < b) as i64,
        ">" => (a > b) as i64,
        "<=" => (a <= b) as i64,
        ">=" => (a >= b) as i64,
        _ => return Err(format!("syntax error: invalid operator {op}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<String, String>);
    impl ArithVars for Map {
        fn get(&mut self, name: &str) -> Option<String> {
            self.0.get(name).cloned()
        }
        fn set(&mut self, name: &str, value: i64) -> Result<(), String> {
            self.0.insert(name.into(), value.to_string());
            Ok(())
        }
    }

    fn eval(e: &str) -> Result<i64, ArithError> {
        evaluate(e, &mut Map(HashMap::new()))
    }

    #[test]
    fn precedence_and_operators() {
        let cases = [
            ("1+2*3", 7),
            ("(1+2)*3", 9),
            ("2**10", 1024),
            ("7/2", 3),
            ("-7%3", -1),
            ("1<<4", 16),
            ("3>2 && 2>1", 1),
            ("0 || 0", 0),
            ("1 ? 5 : 6", 5),
            ("0x10 + 010 + 2#101", 29),
            ("~0", -1),
            ("!5", 0),
            ("x = 3, x * 2", 6),
        ];
        for (e, want) in cases {
            assert_eq!(eval(e), Ok(want), "{e}");
        }
    }

    #[test]
    fn variables_and_increments() {
        let mut vars = Map(HashMap::from([("i".to_string(), "5".to_string())]));
        assert_eq!(evaluate("i++", &mut vars), Ok(5));
        assert_eq!(evaluate("++i", &mut vars), Ok(7));
        assert_eq!(evaluate("i += 3", &mut vars), Ok(10));
        assert_eq!(evaluate("unset_name + 1", &mut vars), Ok(1));
    }

    #[test]
    fn errors_do_not_panic() {
        for e in ["1/0", "1 +", "(", "3 3", "2#9", "$", "1 ? 2"] {
            assert!(eval(e).is_err(), "{e}");
        }
    }
}
