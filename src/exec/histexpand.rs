//! History expansion (`set -H`, on in interactive shells): `!!`, `!n`,
//! `!-n`, `!str`, `!?str?`, `!$`, `!^`, `!*`, word designators (`:0`,
//! `:n`, `:n-m`, `:$`, `:^`, `:*`), the modifiers `:h :t :r :e :p
//! :s/old/new/ :gs/old/new/`, and `^old^new^` at the start of a line, as
//! bash does them. Words are split at blanks.

/// What expanding a line gave.
#[derive(Debug, PartialEq)]
pub enum Expanded {
    /// Nothing to expand.
    Same,
    /// The new line; `print_only` for `:p` (shown, not run).
    Line {
        /// The expanded line.
        text: String,
        /// `:p`: shown, not run.
        print_only: bool,
    },
}

/// Expands the history references in `line`; `entries` oldest first.
/// The error is bash's message (`!foo: event not found`).
pub fn expand(line: &str, entries: &[String]) -> Result<Expanded, String> {
    if let Some(rest) = line.strip_prefix('^') {
        let mut parts = rest.splitn(3, '^');
        let old = parts.next().unwrap_or_default();
        let new = parts.next().unwrap_or_default();
        let tail = parts.next().unwrap_or_default();
        let last = entries.last().ok_or("^: event not found")?;
        if old.is_empty() || !last.contains(old) {
            return Err(format!("{old}{new}: substitution failed"));
        }
        let text = format!(
            "{}{tail}",
            last.replacen(old, new.trim_end_matches('\n'), 1)
        );
        return Ok(Expanded::Line {
            text,
            print_only: false,
        });
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut changed = false;
    let mut print_only = false;
    let mut quoted = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            quoted = !quoted;
        } else if c == '\\' && !quoted && i + 1 < chars.len() {
            out.push(c);
            out.push(chars[i + 1]);
            i += 2;
            continue;
        } else if c == '!' && !quoted {
            let next = chars.get(i + 1).copied();
            // `$!` and `${!name}` are parameters, not history.
            let parameter = i > 0 && (chars[i - 1] == '$' || chars[..i].ends_with(&['$', '{']));
            if !parameter && !matches!(next, None | Some(' ' | '\t' | '\n' | '=' | '(' | '"')) {
                let (text, used, print) = reference(&chars[i + 1..], entries)?;
                out.push_str(&text);
                changed = true;
                print_only |= print;
                i += 1 + used;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    Ok(if changed {
        Expanded::Line {
            text: out,
            print_only,
        }
    } else {
        Expanded::Same
    })
}

/// One reference after its `!`: the text, how many characters it used,
/// and whether it had `:p`.
fn reference(chars: &[char], entries: &[String]) -> Result<(String, usize, bool), String> {
    let (event, mut used, default_words) = event(chars, entries)?;
    let words: Vec<&str> = event.split_whitespace().collect();
    let mut text = match default_words {
        Some(designator) => select(&words, designator, chars)?,
        None if chars.get(used) == Some(&':')
            && chars
                .get(used + 1)
                .is_some_and(|c| c.is_ascii_digit() || "^$*-".contains(*c)) =>
        {
            used += 1;
            let start = used;
            while chars
                .get(used)
                .is_some_and(|c| c.is_ascii_digit() || "^$*-".contains(*c))
            {
                used += 1;
            }
            let spec: String = chars[start..used].iter().collect();
            select(&words, &spec, chars)?
        }
        None => event.clone(),
    };
    let mut print = false;
    while chars.get(used) == Some(&':') {
        let rest: String = chars[used + 1..].iter().collect();
        let (new, len) = modify(&text, &rest)?;
        match new {
            Some(new) => text = new,
            None => print = true,
        }
        used += 1 + len;
    }
    Ok((text, used, print))
}

/// The event: its line, characters used, and the word designator the
/// short forms (`!$`, `!^`, `!*`) imply.
fn event<'a>(
    chars: &[char],
    entries: &'a [String],
) -> Result<(String, usize, Option<&'a str>), String> {
    let last = || {
        entries
            .last()
            .cloned()
            .ok_or_else(|| "!!: event not found".to_string())
    };
    match chars[0] {
        '!' => Ok((last()?, 1, None)),
        '$' => Ok((last()?, 1, Some("$"))),
        '^' => Ok((last()?, 1, Some("^"))),
        '*' => Ok((last()?, 1, Some("*"))),
        '?' => {
            let end = chars[1..].iter().position(|&c| c == '?' || c == '\n');
            let needle: String = chars[1..1 + end.unwrap_or(chars.len() - 1)]
                .iter()
                .collect();
            let used = 1 + needle.chars().count() + usize::from(end.is_some());
            let found = entries.iter().rev().find(|e| e.contains(&needle));
            found
                .map(|e| (e.clone(), used, None))
                .ok_or_else(|| format!("!?{needle}: event not found"))
        }
        c if c.is_ascii_digit() || c == '-' => {
            let len = 1 + chars[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            let spec: String = chars[..len].iter().collect();
            let n: i64 = spec
                .parse()
                .map_err(|_| format!("!{spec}: event not found"))?;
            let index = if n < 0 {
                entries.len() as i64 + n
            } else {
                n - 1
            };
            usize::try_from(index)
                .ok()
                .and_then(|i| entries.get(i))
                .map(|e| (e.clone(), len, None))
                .ok_or_else(|| format!("!{spec}: event not found"))
        }
        _ => {
            let len = chars
                .iter()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ':' | ';' | '&' | '|' | '"'))
                .count();
            let prefix: String = chars[..len].iter().collect();
            let found = entries.iter().rev().find(|e| e.starts_with(&prefix));
            found
                .map(|e| (e.clone(), len, None))
                .ok_or_else(|| format!("!{prefix}: event not found"))
        }
    }
}

/// The words a designator (`0`, `n`, `n-m`, `^`, `$`, `*`, `n*`) picks.
fn select(words: &[&str], spec: &str, chars: &[char]) -> Result<String, String> {
    let last = words.len().saturating_sub(1);
    let index = |s: &str| -> Option<usize> {
        match s {
            "^" => Some(1),
            "$" => Some(last),
            _ => s.parse().ok(),
        }
    };
    let (from, to) = match spec {
        "*" => (1, last),
        _ if spec.ends_with('*') => (index(&spec[..spec.len() - 1]).unwrap_or(1), last),
        _ => match spec.split_once('-') {
            Some((a, b)) => (index(a).unwrap_or(0), index(b).unwrap_or(last)),
            None => index(spec).map(|n| (n, n)).unwrap_or((usize::MAX, 0)),
        },
    };
    if spec == "*" && words.len() < 2 {
        return Ok(String::new());
    }
    if from > to || to >= words.len() {
        let shown: String = chars.iter().take_while(|c| !c.is_whitespace()).collect();
        return Err(format!("{shown}: bad word specifier"));
    }
    Ok(words[from..=to].join(" "))
}

/// One modifier at the start of `rest`: `(Some(text), len)`, or
/// `(None, len)` for `:p`.
fn modify(text: &str, rest: &str) -> Result<(Option<String>, usize), String> {
    let unknown = || {
        let m = rest.chars().next().unwrap_or(' ');
        format!("{m}: unrecognized history modifier")
    };
    let failed = || {
        format!(
            ":{}: substitution failed",
            rest.split_whitespace().next().unwrap_or("")
        )
    };
    let m = rest.chars().next().ok_or_else(unknown)?;
    let new = match m {
        'p' => return Ok((None, 1)),
        'h' => text
            .rsplit_once('/')
            .map_or(text, |(head, _)| head)
            .to_string(),
        't' => text
            .rsplit_once('/')
            .map_or(text, |(_, tail)| tail)
            .to_string(),
        'r' => text
            .rsplit_once('.')
            .filter(|(_, e)| !e.contains('/'))
            .map_or(text, |(r, _)| r)
            .to_string(),
        'e' => text
            .rsplit_once('.')
            .filter(|(_, e)| !e.contains('/'))
            .map_or("", |(_, e)| e)
            .to_string(),
        's' | 'g' => {
            let body = rest.get(1..).unwrap_or_default();
            let (global, body) = match m {
                'g' => (true, body.strip_prefix('s').ok_or_else(unknown)?),
                _ => (false, body),
            };
            let delim = body.chars().next().ok_or_else(failed)?;
            let mut parts = body[delim.len_utf8()..].splitn(3, delim);
            let old = parts.next().unwrap_or_default();
            if old.is_empty() || !text.contains(old) {
                return Err(failed());
            }
            let new_text = parts.next().unwrap_or_default();
            let after = parts.next();
            let len = rest.len() - after.map_or(0, str::len);
            let replaced = if global {
                text.replace(old, new_text)
            } else {
                text.replacen(old, new_text, 1)
            };
            return Ok((Some(replaced), len));
        }
        _ => return Err(unknown()),
    };
    Ok((Some(new), 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Expanded {
        Expanded::Line {
            text: text.to_string(),
            print_only: false,
        }
    }

    #[test]
    fn events_words_and_modifiers() {
        let h: Vec<String> = ["echo a b c", "ls /usr/lib/x.tar", "cat f"]
            .map(String::from)
            .to_vec();
        assert_eq!(expand("!!", &h), Ok(line("cat f")));
        assert_eq!(expand("echo !$ !^", &h), Ok(line("echo f f")));
        assert_eq!(
            expand("x !1:2-3 !-2:$:h !?x.t?:1:t", &h),
            Ok(line("x b c /usr/lib x.tar"))
        );
        assert_eq!(expand("!ec:*", &h), Ok(line("a b c")));
        assert_eq!(expand("!ls:1:r:s/usr/opt/", &h), Ok(line("/opt/lib/x")));
        assert_eq!(expand("^f^g", &h), Ok(line("cat g")));
        assert_eq!(expand("echo '!!' a! != \\!x", &h), Ok(Expanded::Same));
        assert_eq!(expand("echo $!x ${!p}", &h), Ok(Expanded::Same));
        assert_eq!(
            expand("!!:p", &h),
            Ok(Expanded::Line {
                text: "cat f".into(),
                print_only: true
            })
        );
        assert_eq!(
            expand("!nope", &h),
            Err("!nope: event not found".to_string())
        );
    }
}
