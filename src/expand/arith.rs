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

/// An arithmetic error, worded like bash 5.3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArithError {
    /// The expression text.
    pub expr: String,
    /// What went wrong, with the error token.
    pub message: String,
}

impl fmt::Display for ArithError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // An assignment the variable refused is reported as bash reports
        // it anywhere, without the expression.
        if self.message.ends_with(": readonly variable") {
            return f.write_str(&self.message);
        }
        // bash 5.3 keeps the blanks after the expression.
        write!(f, "{}: {}", self.expr.trim_start(), self.message)
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
        let trimmed = expr.trim();
        return Err(err(format!(
            "expression recursion level exceeded (error token is \"{trimmed}\")"
        )));
    }
    // A constant's error shows the expression without blanks around.
    let tokens = tokens_of(expr).map_err(|message| ArithError {
        expr: expr.trim().to_string(),
        message,
    })?;
    let mut p = Eval {
        text: expr,
        tokens,
        pos: 0,
        last_at: 0,
        vars,
        depth,
        skip,
    };
    if p.tokens.is_empty() {
        return Ok(0);
    }
    let v = p.comma()?;
    if let Some(tok) = p.current() {
        let what = match tok {
            Tok::Op(op) if is_assignment(op) => "attempted assignment to non-variable",
            Tok::Bad => "arithmetic syntax error: invalid arithmetic operator",
            _ => "arithmetic syntax error in expression",
        };
        return Err(p.error(what));
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
    /// A character no token starts with; the rest of the text.
    Bad,
}

/// A token and the offset in the text where it starts.
#[derive(Debug, Clone, PartialEq)]
struct Token {
    tok: Tok,
    at: usize,
}

const OPS: &[&str] = &[
    "<<=", ">>=", "**", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=",
    "*=", "/=", "%=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "|",
    "^", "?", ":", "(", ")", ",",
];

fn is_assignment(op: &str) -> bool {
    matches!(
        op,
        "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "|=" | "^="
    )
}

/// The tokens of an expression, from a small per-thread cache: a loop
/// evaluates the same few texts over and over (`i < n`, `i + 1`).
fn tokens_of(text: &str) -> Result<Rc<[Token]>, String> {
    const CACHE_LIMIT: usize = 256;
    thread_local! {
        static CACHE: RefCell<FxHashMap<String, Rc<[Token]>>> = RefCell::default();
    }
    if let Some(hit) = CACHE.with(|c| c.borrow().get(text).cloned()) {
        return Ok(hit);
    }
    let tokens: Rc<[Token]> = tokenize(text)?.into();
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(text.to_string(), Rc::clone(&tokens));
    });
    Ok(tokens)
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let bytes = text.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let at = i;
        let tok = if matches!(c, b' ' | b'\t' | b'\n') {
            i += 1;
            continue;
        } else if c.is_ascii_digit() {
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || bytes[i] == b'#'
                    || bytes[i] == b'_'
                    || bytes[i] == b'@')
            {
                i += 1;
            }
            Tok::Num(parse_number(&text[at..i])?)
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let name = text[at..i].to_string();
            if bytes.get(i) == Some(&b'[') {
                let end = closing_bracket(text, i).ok_or_else(|| {
                    format!("bad array subscript (error token is \"{}\")", &text[at..=i])
                })?;
                let subscript = text[i + 1..end].to_string();
                i = end + 1;
                Tok::Element(name.into(), subscript)
            } else {
                Tok::Name(name.into())
            }
        } else if let Some(op) = OPS.iter().find(|op| text[i..].starts_with(**op)) {
            i += op.len();
            Tok::Op(op)
        } else {
            i = bytes.len();
            Tok::Bad
        };
        toks.push(Token { tok, at });
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

/// Parses an integer constant: decimal, `0x` hex, `0` octal, `base#digits`;
/// the error in bash's words.
pub fn parse_number(s: &str) -> Result<i64, String> {
    let error = |what: &str| format!("{what} (error token is \"{s}\")");
    let bad = || error("value too great for base");
    if let Some((base, digits)) = s.split_once('#') {
        let base: u32 = base.parse().map_err(|_| error("invalid number"))?;
        if base > 64 {
            return Err(error("invalid arithmetic base"));
        }
        if base < 2 || digits.contains('#') {
            return Err(error("invalid number"));
        }
        if digits.is_empty() {
            return Err(error("invalid integer constant"));
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
    text: &'a str,
    tokens: Rc<[Token]>,
    pos: usize,
    /// Where the token read last starts: the error token at the end.
    last_at: usize,
    vars: &'a mut dyn ArithVars,
    depth: u32,
    /// Positive while evaluating a branch whose value is discarded (`0 && x=1`):
    /// side effects are suppressed.
    skip: u32,
}

type R = Result<i64, ArithError>;

impl Eval<'_> {
    /// The token at `pos`.
    fn current(&self) -> Option<Tok> {
        self.tokens.get(self.pos).map(|t| t.tok.clone())
    }

    /// Where the token at `pos` starts.
    fn current_at(&self) -> Option<usize> {
        self.tokens.get(self.pos).map(|t| t.at)
    }

    /// The operator at `index`, taken whole.
    fn op_at(&self, index: usize) -> Option<&'static str> {
        match self.tokens.get(index)?.tok {
            Tok::Op(op) => Some(op),
            _ => None,
        }
    }

    fn peek_op(&self) -> Option<&'static str> {
        self.op_at(self.pos)
    }

    /// Moves past the token at `pos`.
    fn advance(&mut self) {
        if let Some(at) = self.current_at() {
            self.last_at = at;
        }
        self.pos += 1;
    }

    /// Reads the first character of the `++` or `--` at `pos` alone and
    /// the text after it afresh, as bash does where the pair cannot be an
    /// increment (`++7` is `+(+7)`; `4+++a` is `4 + ++a`).
    fn split(&mut self) -> Result<(), ArithError> {
        let Some(at) = self.current_at() else {
            return Ok(());
        };
        self.last_at = at;
        let rest = tokenize(&self.text[at + 1..]).map_err(|m| self.error_text(m))?;
        let shifted = rest.into_iter().map(|t| Token {
            tok: t.tok,
            at: t.at + at + 1,
        });
        let tokens: Vec<Token> = self.tokens[..self.pos]
            .iter()
            .cloned()
            .chain(shifted)
            .collect();
        self.tokens = tokens.into();
        Ok(())
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.peek_op() == Some(op) {
            self.advance();
            true
        } else {
            false
        }
    }

    /// An error at the current token (at the end: the last one read),
    /// which bash shows with the rest of the text.
    fn error(&self, what: &str) -> ArithError {
        let at = self.current_at().unwrap_or(self.last_at);
        let rest = self.text.get(at..).unwrap_or_default();
        self.error_text(format!("{what} (error token is \"{rest}\")"))
    }

    fn error_text(&self, message: String) -> ArithError {
        ArithError {
            expr: self.text.to_string(),
            message,
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
        if let Some(op) = self.op_at(self.pos + 1)
            && is_assignment(op)
            && let Some(token) = self.tokens.get(self.pos).cloned()
            && let Some(place) = self.place(&token.tok)?
        {
            self.advance();
            self.advance();
            let rhs = self.assign()?;
            let value = if op == "=" {
                rhs
            } else {
                let cur = self.load(&place)?;
                self.binary(&op[..op.len() - 1], cur, rhs)?
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
        self.expect_expression()?;
        self.skip += (cond == 0) as u32;
        let a = self.assign();
        self.skip -= (cond == 0) as u32;
        let a = a?;
        if !self.eat(":") {
            return Err(self.error("`:' expected for conditional expression"));
        }
        self.expect_expression()?;
        self.skip += (cond != 0) as u32;
        let b = self.ternary();
        self.skip -= (cond != 0) as u32;
        let b = b?;
        Ok(if cond != 0 { a } else { b })
    }

    /// A branch of `?:` must not be empty.
    fn expect_expression(&self) -> Result<(), ArithError> {
        match self.peek_op() {
            Some(":") => Err(self.error("expression expected")),
            _ if self.pos >= self.tokens.len() => Err(self.error("expression expected")),
            _ => Ok(()),
        }
    }

    /// Binary operators by precedence climbing: operands and operators at
    /// `min_level` or above (0 is `||`, 9 is `*`), all left-associative.
    fn binary_level(&mut self, min_level: usize) -> R {
        let mut lhs = self.power()?;
        loop {
            // After an operand, `++` is `+` and a unary `+` (`4++` is
            // `4 + +…`).
            let (op, whole) = match self.peek_op() {
                Some("++") => ("+", false),
                Some("--") => ("-", false),
                Some(op) => (op, true),
                None => return Ok(lhs),
            };
            let Some(level) = binary_precedence(op).filter(|l| *l >= min_level) else {
                return Ok(lhs);
            };
            if whole {
                self.advance();
            } else {
                self.split()?;
            }
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
                _ => self.binary(op, lhs, rhs)?,
            };
        }
    }

    fn power(&mut self) -> R {
        let base = self.unary()?;
        if self.eat("**") {
            let exp = self.power()?;
            if exp < 0 {
                return Err(self.error("exponent less than 0"));
            }
            return Ok(base.wrapping_pow(exp.min(u32::MAX as i64) as u32));
        }
        Ok(base)
    }

    fn unary(&mut self) -> R {
        let Some(op) = self.peek_op() else {
            return self.postfix();
        };
        match op {
            "+" | "-" | "!" | "~" => {
                self.advance();
                let v = self.unary()?;
                Ok(match op {
                    "+" => v,
                    "-" => v.wrapping_neg(),
                    "!" => (v == 0) as i64,
                    _ => !v,
                })
            }
            "++" | "--" => {
                let target = self.tokens.get(self.pos + 1).map(|t| t.tok.clone());
                let Some(place) = target.map(|t| self.place(&t)).transpose()?.flatten() else {
                    // Not before a variable: two signs (`++7` is 7).
                    self.split()?;
                    let v = self.unary()?;
                    return Ok(if op == "--" { v.wrapping_neg() } else { v });
                };
                self.advance();
                self.advance();
                let v = self.load(&place)?;
                let nv = step(op, v);
                self.store(&place, nv)?;
                if let Some(after @ ("++" | "--")) = self.peek_op() {
                    return Err(self.error(&format!("{after}: assignment requires lvalue")));
                }
                Ok(nv)
            }
            _ => self.postfix(),
        }
    }

    fn postfix(&mut self) -> R {
        // The token list itself (a count), so that the token can be read
        // while the evaluator changes.
        let tokens = Rc::clone(&self.tokens);
        let Some(Token { tok, .. }) = tokens.get(self.pos) else {
            return Err(self.error("arithmetic syntax error: operand expected"));
        };
        match tok {
            Tok::Num(n) => {
                self.advance();
                Ok(*n)
            }
            Tok::Name(_) | Tok::Element(..) => {
                let place = self
                    .place(tok)?
                    .ok_or_else(|| self.error("arithmetic syntax error: operand expected"))?;
                self.advance();
                let v = self.load(&place)?;
                if let Some(op @ ("++" | "--")) = self.peek_op() {
                    self.advance();
                    self.store(&place, step(op, v))?;
                }
                Ok(v)
            }
            Tok::Op("(") => {
                self.advance();
                let v = self.comma()?;
                if !self.eat(")") {
                    return Err(self.error("missing `)'"));
                }
                Ok(v)
            }
            _ => Err(self.error("arithmetic syntax error: operand expected")),
        }
    }

    /// The place a name or element token stands for (evaluating an
    /// indexed array's subscript); `None` for other tokens.
    fn place(&mut self, tok: &Tok) -> Result<Option<Place>, ArithError> {
        Ok(match tok {
            Tok::Name(name) => Some(Place::Var(name.clone())),
            Tok::Element(name, text) => {
                let subscript = if self.vars.is_assoc(name) {
                    Subscript::Key(super::unquote_subscript(text))
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
        let trimmed = text.trim_matches([' ', '\t', '\n']);
        if trimmed.is_empty() {
            return Ok(0);
        }
        if let Ok(n) = parse_number(trimmed) {
            return Ok(n);
        }
        self.nested(&text)
    }

    /// Evaluates a value or subscript as an expression of its own (its
    /// errors name it, not the text around).
    fn nested(&mut self, text: &str) -> R {
        evaluate_at_depth(text, self.vars, self.depth + 1, self.skip)
    }

    fn store(&mut self, place: &Place, value: i64) -> Result<(), ArithError> {
        if self.skip > 0 {
            return Ok(());
        }
        match place {
            Place::Var(name) => self.vars.set(name, value),
            Place::Element(name, subscript) => self.vars.set_element(name, subscript, value),
        }
        .map_err(|message| self.error_text(message))
    }

    fn binary(&self, op: &str, a: i64, b: i64) -> R {
        binary(op, a, b).ok_or_else(|| self.error("division by 0"))
    }
}

/// `++` or `--` applied to a value.
fn step(op: &str, v: i64) -> i64 {
    if op == "++" {
        v.wrapping_add(1)
    } else {
        v.wrapping_sub(1)
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

/// A binary operator's value; `None` for a division by zero.
fn binary(op: &str, a: i64, b: i64) -> Option<i64> {
    Some(match op {
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return None,
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
        // Only the operators above reach here.
        _ => 0,
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
            Err("arithmetic syntax error: operand expected (error token is \"[1] \")".into())
        );
    }

    #[test]
    fn errors_do_not_panic() {
        for e in ["1/0", "1 +", "(", "3 3", "2#9", "$", "1 ? 2"] {
            assert!(eval(e).is_err(), "{e}");
        }
    }
}
