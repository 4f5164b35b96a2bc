//! `[[ … ]]`: words are expanded without splitting or globbing; the right
//! side of `==`/`!=` is a pattern (extglob always, as in bash;
//! `nocasematch` ignores case).

use crate::builtins::test;
use crate::expand;
use crate::expand::pattern::{MatchOptions, Pattern};
use crate::parser::ast::CondExpr;

use super::error::ExecError;
use super::state::Shell;

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
            test::unary(sh, &op, &arg)
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
                    let pattern = Pattern::with_options(&expand::expand_pattern(sh, r)?, options);
                    Ok(pattern.matches(&lhs) == (op != "!="))
                }
                "=~" => Err(ExecError::Builtin(
                    "=~: regular expressions are not supported yet".into(),
                    2,
                )),
                _ => {
                    let mut rhs = expand::expand_string(sh, r)?;
                    let mut lhs = lhs;
                    if matches!(op.as_str(), "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge") {
                        lhs = arith_operand(sh, &lhs)?;
                        rhs = arith_operand(sh, &rhs)?;
                    }
                    match test::binary(&lhs, op, &rhs) {
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

/// Inside `[[`, integer operands are arithmetic expressions.
fn arith_operand(sh: &mut Shell, text: &str) -> Result<String, ExecError> {
    if text.trim().parse::<i64>().is_ok() {
        return Ok(text.to_string());
    }
    Ok(expand::arith_text(sh, text)?.to_string())
}
