//! `[[ … ]]`: words are expanded without splitting or globbing; the right
//! side of `==`/`!=` is a pattern (extglob always, as in bash), that of
//! `=~` an extended regex whose match and groups go to `BASH_REMATCH`.
//! `nocasematch` makes both ignore case.

use std::collections::BTreeMap;

use super::primaries;
use crate::expand::pattern::{MatchOptions, Pattern};
use crate::expand::{self, regex::Regex};
use crate::parser::ast::{CondExpr, Word};

use super::error::ExecError;
use super::state::{Array, Shell};

/// Evaluates a `[[ … ]]` expression.
pub fn evaluate(sh: &mut Shell, e: &CondExpr) -> Result<bool, ExecError> {
    match e {
        CondExpr::Word(w) => Ok(!expand::expand_string(sh, w)?.is_empty()),
        CondExpr::Not(inner) => Ok(!evaluate(sh, inner)?),
        CondExpr::And(a, b) => Ok(evaluate(sh, a)? && evaluate(sh, b)?),
        CondExpr::Or(a, b) => Ok(evaluate(sh, a)? || evaluate(sh, b)?),
        CondExpr::Unary(op, w) => {
            let arg = expand::expand_string(sh, w)?;
            let op = if op.starts_with('-') {
                op.clone()
            } else {
                format!("-{op}")
            };
            sh.trace_line(&format!("[[ {op} {arg} ]]"));
            primaries::unary(sh, &op, &arg)
                .ok_or_else(|| ExecError::Builtin(format!("{op}: unary operator expected"), 2))
        }
        CondExpr::Binary(l, op, r) => {
            let lhs = expand::expand_string(sh, l)?;
            match op.as_str() {
                "==" | "=" | "!=" => {
                    let options = MatchOptions {
                        extglob: true,
                        nocase: sh.shopt_on("nocasematch"),
                        leading_dot: false,
                    };
                    let pattern_text = expand::expand_pattern(sh, r)?;
                    sh.trace_line(&format!("[[ {lhs} {op} {pattern_text} ]]"));
                    let pattern = Pattern::with_options(&pattern_text, options);
                    Ok(pattern.matches(&lhs) == (op != "!="))
                }
                "=~" => regex_matches(sh, &lhs, r),
                _ => {
                    let mut rhs = expand::expand_string(sh, r)?;
                    sh.trace_line(&format!("[[ {lhs} {op} {rhs} ]]"));
                    let mut lhs = lhs;
                    if matches!(op.as_str(), "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge") {
                        lhs = arith_operand(sh, &lhs)?;
                        rhs = arith_operand(sh, &rhs)?;
                    }
                    match primaries::binary(sh, &lhs, op, &rhs) {
                        Ok(Some(v)) => Ok(v),
                        Ok(None) => Err(ExecError::Builtin(
                            format!("{op}: binary operator expected"),
                            2,
                        )),
                        Err(msg) => Err(ExecError::Builtin(msg, 2)),
                    }
                }
            }
        }
    }
}

/// `text =~ regex`. A match sets `BASH_REMATCH` to the matched text and
/// each group's (empty for a group that took no part), no match empties
/// it; a regex that does not compile is status 2 with no message and
/// leaves it alone (as in bash).
fn regex_matches(sh: &mut Shell, text: &str, regex: &Word) -> Result<bool, ExecError> {
    let source = expand::expand_regex(sh, regex)?;
    let regex =
        Regex::new(&source, sh.shopt_on("nocasematch")).map_err(|_| ExecError::Reported(2))?;
    let found = regex.captures(text);
    let elements: BTreeMap<usize, String> = found
        .iter()
        .flatten()
        .map(|group| group.clone().unwrap_or_default())
        .enumerate()
        .collect();
    // bash sets it even when it is readonly; pidsh leaves a readonly one.
    let _ = sh
        .state
        .vars
        .set_array("BASH_REMATCH", Array::Indexed(elements));
    Ok(found.is_some())
}

/// Inside `[[`, integer operands are arithmetic expressions. An error in
/// one fails the command with 1 (`[[: 1/0: division by 0 …`), in both
/// modes, as in bash: it is not an expansion.
fn arith_operand(sh: &mut Shell, text: &str) -> Result<String, ExecError> {
    // Fast path: a decimal number (`017` is octal, so arithmetic).
    let digits = text.trim().trim_start_matches(['-', '+']);
    if (digits == "0" || !digits.starts_with('0')) && text.trim().parse::<i64>().is_ok() {
        return Ok(text.to_string());
    }
    expand::arith_text(sh, text)
        .map(|v| v.to_string())
        .map_err(|e| {
            if e.fatal {
                ExecError::Expand(e)
            } else {
                ExecError::Builtin(format!("[[: {e}"), 1)
            }
        })
}
