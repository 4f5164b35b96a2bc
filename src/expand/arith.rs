//! Arithmetic expansion `$(( … ))`, `(( … ))` and `let`: a recursive-descent
//! evaluator over 64-bit signed integers with C precedence and the shell's
//! assignment operators.
//!
//! The text has already been through parameter expansion; names that remain
//! are variables, whose values are themselves evaluated as expressions.
//! `name[subscript]` is an array element: the subscript is an expression
//! for an indexed array and the literal text for an associative one.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use rustc_hash::FxHashMap;

/// Variable access for the evaluator.
pub trait ArithVars {
    /// The value of a variable, if set.
    fn get(&mut self, name: &str) -> Option<String>;
    /// Assigns a variable.
    fn set(&mut self, name: &str, value: i64) -> Result<(), String>;
    /// Whether `name[…]` takes a string key (an associative array).
    fn is_assoc(&self, _name: &str) -> bool {
        false
    }
    /// The value of `name[subscript]`, if set.
    fn get_element(&mut self, name: &str, subscript: &Subscript) -> Option<String>;
    /// Assigns `name[subscript]`.
    fn set_element(&mut self, name: &str, subscript: &Subscript, value: i64) -> Result<(), String>;
    /// An unset variable's value was used (not in a skipped branch): an
    /// error under `set -u`, which the caller reports.
    fn note_unset(&mut self, _name: &str) {}
}

/// Which element `name[…]` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subscript {
    /// An indexed array's index (negative: from the end).
    Index(i64),
    /// An associative array's key.
    Key(String),
}

/// Something an assignment operator can store to.
#[derive(Debug, Clone)]
enum Place {
    Var(Rc<str>),
    Element(Rc<str>, Subscript),
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
        // An assignment the variable refused is reported as bash reports
        // it anywhere, without the expression.
        if self.message.ends_with(": readonly variable") {
            return f.write_str(&self.message);
        }
        write!(f, "{}: {}", self.expr.trim(), self.message)
    }
}

const MAX_DEPTH: u32 = 200;

/// Evaluates `expr`.
pub fn evaluate(expr: &str, vars: &mut dyn ArithVars) -> Result<i64, ArithError> {
    evaluate_at_depth(expr, vars, 0, 0)
}

/// `skip` > 0: a discarded branch, evaluated without side effects.
fn evaluate_at_depth(
    expr: &str,
    vars: &mut dyn ArithVars,
    depth: u32,
    skip: u32,
) -> Result<i64, ArithError> {
    let err = |message: String| ArithError {
        expr: expr.to_string(),
        message,
    };
    if depth > MAX_DEPTH {
        return Err(err("expression recursion level exceeded".into()));
    }
    let tokens = tokens_of(expr).map_err(err)?;
    let mut p = Eval {
        tokens,
        pos: 0,
        vars,
        depth,
        skip,
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
    Name(Rc<str>),
    /// `name[subscript]`, the subscript as written.
    Element(Rc<str>, String),
    Op(&'static str),
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Num(n) => n.to_string(),
            Tok::Name(s) => s.to_string(),
            Tok::Element(name, sub) => format!("{name}[{sub}]"),
            Tok::Op(o) => o.to_string(),
        }
    }
}

const OPS: &[&str] = &[
    "<<=", ">>=", "**", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=",
    "*=", "/=", "%=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "|",
    "^", "?", ":", "(", ")", ",",
];

/// The tokens of an expression, from a small per-thread cache: a loop
/// evaluates the same few texts over and over (`i < n`, `i + 1`).
fn tokens_of(text: &str) -> Result<Rc<[Tok]>, String> {
    const CACHE_LIMIT: usize = 256;
    thread_local! {
        static CACHE: RefCell<FxHashMap<String, Rc<[Tok]>>> = RefCell::default();
    }
    if let Some(hit) = CACHE.with(|c| c.borrow().get(text).cloned()) {
        return Ok(hit);
    }
    let tokens: Rc<[Tok]> = tokenize(text)?.into();
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(text.to_string(), Rc::clone(&tokens));
    });
    Ok(tokens)
}

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
            let name = text[start..i].to_string();
            if bytes.get(i) == Some(&b'[') {
                let end = closing_bracket(text, i).ok_or_else(|| {
                    format!(
                        "bad array subscript (error token is \"{}\")",
                        &text[start..=i]
                    )
                })?;
                toks.push(Tok::Element(name.into(), text[i + 1..end].to_string()));
                i = end + 1;
            } else {
                toks.push(Tok::Name(name.into()));
            }
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

/// The offset of the `]` that closes the `[` at `open`, counting nesting.
fn closing_bracket(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0;
    for (i, b) in text.bytes().enumerate().skip(open) {
        match b {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
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
    tokens: Rc<[Tok]>,
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
        if let Some(&Tok::Op(op)) = self.tokens.get(self.pos + 1)
            && matches!(
                op,
                "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "|=" | "^="
            )
            && let Some(tok) = self.tokens.get(self.pos).cloned()
            && let Some(place) = self.place(&tok)?
        {
            self.pos += 2;
            let rhs = self.assign()?;
            let value = if op == "=" {
                rhs
            } else {
                let cur = self.load(&place)?;
                binary(&op[..op.len() - 1], cur, rhs)?
            };
            self.store(&place, value)?;
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

    /// Binary operators by precedence climbing: operands and operators at
    /// `min_level` or above (0 is `||`, 9 is `*`), all left-associative.
    fn binary_level(&mut self, min_level: usize) -> R {
        let mut lhs = self.power()?;
        loop {
            let Some((op, level)) = self
                .peek_op()
                .and_then(|op| binary_precedence(op).map(|l| (op, l)))
                .filter(|(_, l)| *l >= min_level)
            else {
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
                    let tok = self.tokens.get(self.pos).cloned();
                    let Some(place) = tok.map(|t| self.place(&t)).transpose()?.flatten() else {
                        return Err("syntax error: operand expected".into());
                    };
                    self.pos += 1;
                    let v = self.load(&place)?;
                    let nv = if op == "++" {
                        v.wrapping_add(1)
                    } else {
                        v.wrapping_sub(1)
                    };
                    self.store(&place, nv)?;
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
            Some(tok @ (Tok::Name(_) | Tok::Element(..))) => {
                let place = self.place(&tok)?.ok_or("syntax error: operand expected")?;
                self.pos += 1;
                let v = self.load(&place)?;
                if let Some(op) = self.peek_op().filter(|o| *o == "++" || *o == "--") {
                    self.pos += 1;
                    let nv = if op == "++" {
                        v.wrapping_add(1)
                    } else {
                        v.wrapping_sub(1)
                    };
                    self.store(&place, nv)?;
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

    /// The place a name or element token stands for (evaluating an
    /// indexed array's subscript); `None` for other tokens.
    fn place(&mut self, tok: &Tok) -> Result<Option<Place>, String> {
        Ok(match tok {
            Tok::Name(name) => Some(Place::Var(name.clone())),
            Tok::Element(name, text) => {
                let subscript = if self.vars.is_assoc(name) {
                    Subscript::Key(text.clone())
                } else {
                    Subscript::Index(self.nested(text)?)
                };
                Some(Place::Element(name.clone(), subscript))
            }
            _ => None,
        })
    }

    /// The numeric value of a place: its text, itself evaluated.
    fn load(&mut self, place: &Place) -> R {
        let text = match place {
            Place::Var(name) => {
                let value = self.vars.get(name);
                if value.is_none() && self.skip == 0 {
                    self.vars.note_unset(name);
                }
                value
            }
            Place::Element(name, subscript) => self.vars.get_element(name, subscript),
        }
        .unwrap_or_default();
        let text = text.trim_matches([' ', '\t', '\n']);
        if text.is_empty() {
            return Ok(0);
        }
        if let Ok(n) = parse_number(text) {
            return Ok(n);
        }
        self.nested(text)
    }

    /// Evaluates a value or subscript as an expression of its own.
    fn nested(&mut self, text: &str) -> R {
        evaluate_at_depth(text, self.vars, self.depth + 1, self.skip).map_err(|e| e.message)
    }

    fn store(&mut self, place: &Place, value: i64) -> Result<(), String> {
        if self.skip > 0 {
            return Ok(());
        }
        match place {
            Place::Var(name) => self.vars.set(name, value),
            Place::Element(name, subscript) => self.vars.set_element(name, subscript, value),
        }
    }
}

/// The precedence level of a binary operator, C's order from `||` (0) up
/// to `*` `/` `%` (9); `None` for anything else.
fn binary_precedence(op: &str) -> Option<usize> {
    Some(match op {
        "||" => 0,
        "&&" => 1,
        "|" => 2,
        "^" => 3,
        "&" => 4,
        "==" | "!=" => 5,
        "<" | ">" | "<=" | ">=" => 6,
        "<<" | ">>" => 7,
        "+" | "-" => 8,
        "*" | "/" | "%" => 9,
        _ => return None,
    })
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
        fn get_element(&mut self, name: &str, subscript: &Subscript) -> Option<String> {
            self.0.get(&element_name(name, subscript)).cloned()
        }
        fn set_element(
            &mut self,
            name: &str,
            subscript: &Subscript,
            value: i64,
        ) -> Result<(), String> {
            self.0
                .insert(element_name(name, subscript), value.to_string());
            Ok(())
        }
    }

    fn element_name(name: &str, subscript: &Subscript) -> String {
        match subscript {
            Subscript::Index(i) => format!("{name}[{i}]"),
            Subscript::Key(k) => format!("{name}[{k}]"),
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
    fn array_elements_read_and_assign() {
        let mut vars = Map(HashMap::new());
        let mut eval = |e: &str| evaluate(e, &mut vars).map_err(|e| e.message);
        assert_eq!(eval("a[1] = 5"), Ok(5));
        assert_eq!(eval("a[1] * 2 + a[0]"), Ok(10));
        assert_eq!(
            eval("i = 0, a[i++] += 3, i"),
            Ok(1),
            "subscript evaluated once"
        );
        assert_eq!(eval("a[0]"), Ok(3));
        assert_eq!(eval("a[a[0]-2]++"), Ok(5));
        assert_eq!(eval("a[1]"), Ok(6));
        assert_eq!(eval("--a[1]"), Ok(5));
        assert_eq!(eval("0 && a[i=7]"), Ok(0));
        assert_eq!(eval("i"), Ok(1), "no side effects in a skipped branch");
        assert_eq!(
            eval("a[1"),
            Err("bad array subscript (error token is \"a[\")".into())
        );
        assert_eq!(
            eval("a[ [1] ]"),
            Err("syntax error: operand expected (error token is \"[1] \")".into())
        );
    }

    #[test]
    fn errors_do_not_panic() {
        for e in ["1/0", "1 +", "(", "3 3", "2#9", "$", "1 ? 2"] {
            assert!(eval(e).is_err(), "{e}");
        }
    }
}
