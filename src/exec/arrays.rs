//! Array assignments (bash): `a=(x y)`, `a+=(z)`, `a[i]=v`,
//! `declare -A m=([k]=v)`, `unset 'a[i]'`.

use crate::expand;
use crate::parser::ast::{AssignValue, Word, WordPart};

use super::error::ExecError;
use super::state::{Array, ArrayKey, Shell};

impl Shell {
    /// `name=(words…)` or `name+=(words…)`; `assoc` asks for an
    /// associative array (`declare -A`), as does an existing one. The
    /// words are expanded first (they may read the array itself), then
    /// the array is changed in place: `a+=(x)` costs what it appends.
    pub fn assign_array_words(
        &mut self,
        name: &str,
        words: &[Word],
        append: bool,
        assoc: bool,
    ) -> Result<(), ExecError> {
        if super::simple::ignores_assignment(name) {
            return Ok(());
        }
        let assoc = assoc || matches!(self.state.vars.array(name), Some(Array::Assoc(_)));
        let mut items = Vec::with_capacity(words.len());
        let mut failed = None;
        for word in words {
            match self.array_items(name, assoc, word, &mut items) {
                Ok(()) => {}
                Err(ItemError::Expansion(e)) => return Err(e),
                // bash has emptied the array by then and keeps the
                // elements before the bad one.
                Err(ItemError::Arithmetic(e)) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        self.fill_array(name, append, assoc, items)?;
        failed.map_or(Ok(()), Err)
    }

    /// Adds the element(s) `word` of `( … )` stands for to `items`.
    fn array_items(
        &mut self,
        name: &str,
        assoc: bool,
        word: &Word,
        items: &mut Vec<Item>,
    ) -> Result<(), ItemError> {
        if let Some((key, value, add)) = split_keyed(word) {
            let key = self.array_key(assoc, &key).map_err(ItemError::Arithmetic)?;
            let value =
                expand::expand_string(self, &value).map_err(|e| ItemError::Expansion(e.into()))?;
            // `declare -i`, `-l`, `-u` shape each element too.
            let value = self
                .apply_value_attributes(name, value)
                .map_err(ItemError::Arithmetic)?;
            items.push(Item::Keyed(key, value, add));
            return Ok(());
        }
        // Every expansion of a command's words, brace expansion first.
        let fields = expand::expand_words(self, std::slice::from_ref(word))
            .map_err(|e| ItemError::Expansion(e.into()))?;
        for field in fields {
            let value = self
                .apply_value_attributes(name, field)
                .map_err(ItemError::Arithmetic)?;
            items.push(Item::Field(value));
        }
        Ok(())
    }

    /// Replaces (or, `append`, extends) the array `name` with `items`.
    fn fill_array(
        &mut self,
        name: &str,
        append: bool,
        assoc: bool,
        items: Vec<Item>,
    ) -> Result<(), ExecError> {
        let integer = self.state.vars.var(name).is_some_and(|v| v.integer);
        self.state
            .vars
            .update_array(name, append, assoc, |array| fill(array, items, integer))
            .map_err(|e| ExecError::Readonly(e.0))
    }

    /// `name[index]=value` or `name[index]+=value`.
    pub fn assign_element(
        &mut self,
        name: &str,
        index: &Word,
        value: String,
        append: bool,
    ) -> Result<(), ExecError> {
        if super::simple::ignores_assignment(name) {
            return Ok(());
        }
        let assoc = matches!(self.state.vars.array(name), Some(Array::Assoc(_)));
        let key = self.array_key(assoc, index)?;
        if name == "DIRSTACK"
            && self.state.vars.var(name).is_none()
            && let ArrayKey::Index(i) = key
        {
            // An entry of the directory stack itself (bash); 0 is the
            // current directory, which only `cd` changes.
            let entry = usize::try_from(i).ok().and_then(|i| i.checked_sub(1));
            match entry.and_then(|i| self.state.dir_stack.get_mut(i)) {
                Some(slot) => *slot = value,
                None if i == 0 => {}
                None => {
                    return Err(ExecError::Builtin(
                        format!("DIRSTACK[{i}]: bad array subscript"),
                        1,
                    ));
                }
            }
            return Ok(());
        }
        if append && self.state.vars.append_element_in_place(name, &key, &value) {
            return Ok(());
        }
        let integer = self.state.vars.var(name).is_some_and(|v| v.integer);
        let old = append
            .then(|| self.state.vars.array(name).and_then(|a| a.get(&key)))
            .flatten();
        let value = match old {
            Some(old) if integer && !old.is_empty() => format!("({old})+({value})"),
            Some(old) if !integer => format!("{old}{value}"),
            _ => value,
        };
        // `declare -i`, `-l`, `-u` shape the element as they do a scalar.
        let value = self.apply_value_attributes(name, value)?;
        match self.state.vars.set_element(name, key, value) {
            Ok(true) => Ok(()),
            Ok(false) => Err(ExecError::Builtin(
                format!(
                    "{name}[{}]: bad array subscript",
                    crate::parser::unparse::word(index)
                ),
                1,
            )),
            Err(e) => Err(ExecError::Readonly(e.0)),
        }
    }

    /// The key a subscript names in `array`: a string for associative
    /// arrays, an arithmetic value otherwise.
    fn array_key(&mut self, assoc: bool, index: &Word) -> Result<ArrayKey, ExecError> {
        let text = expand::expand_string(self, index)?;
        Ok(if assoc {
            ArrayKey::Key(text)
        } else {
            ArrayKey::Index(expand::arith_text(self, &text)?)
        })
    }

    /// `declare a=(…)` / `local a=(…)`: the compound value arrives as text
    /// and is parsed as the right side of an assignment.
    pub fn assign_array_text(
        &mut self,
        name: &str,
        text: &str,
        append: bool,
        assoc: bool,
    ) -> Result<(), ExecError> {
        let source = format!("__pidsh_array={text}\n");
        let parsed = crate::parser::parse_program(&source)
            .map_err(|e| ExecError::Builtin(format!("{name}: {}", e.message), 1))?;
        let words = parsed
            .items
            .first()
            .and_then(|item| item.and_or.first.commands.first())
            .and_then(|c| match c {
                crate::parser::ast::Command::Simple(sc) => sc.assignments.first(),
                _ => None,
            })
            .and_then(|a| match &a.value {
                AssignValue::Array(words) => Some(words.clone()),
                AssignValue::Scalar(_) => None,
            })
            .ok_or_else(|| ExecError::Builtin(format!("{name}: bad array assignment"), 1))?;
        self.assign_array_words(name, &words, append, assoc)
    }

    /// Assigns `target`, a name or `name[subscript]` (`printf -v a[1]`).
    pub fn assign_target(&mut self, target: &str, value: String) -> Result<(), ExecError> {
        match split_subscript(target) {
            Some((name, subscript)) => {
                self.assign_element(name, &Word::literal(subscript), value, false)
            }
            None => self.assign(target, value),
        }
    }

    /// The value of `name[subscript]` written as text, for a nameref to an
    /// element: a key of an associative array, or a number.
    pub fn element_of(&self, target: &str) -> Option<String> {
        let (name, subscript) = split_subscript(target)?;
        let index = |text: &str| -> Option<i64> {
            let text = text.trim();
            // A number, or a variable holding one (`a[i]`).
            text.parse()
                .ok()
                .or_else(|| self.state.vars.get(text)?.trim().parse().ok())
        };
        let key = match self.state.vars.array(name) {
            Some(Array::Assoc(_)) => ArrayKey::Key(subscript.to_string()),
            _ => ArrayKey::Index(index(subscript)?),
        };
        match self.state.vars.array(name) {
            Some(array) => array.get(&key).map(str::to_string),
            None if key == ArrayKey::Index(0) => self.state.vars.get(name).map(str::to_string),
            None => None,
        }
    }

    /// `-v name` or `-v 'name[subscript]'`: whether the variable or the
    /// element is set. An indexed subscript is arithmetic, and a negative
    /// one counts from the end (bash).
    pub fn is_set(&mut self, target: &str) -> bool {
        let Some((name, subscript)) = split_subscript(target) else {
            return self.state.vars.get(target).is_some();
        };
        let assoc = matches!(self.state.vars.array(name), Some(Array::Assoc(_)));
        if !assoc && matches!(subscript, "@" | "*") {
            return self.state.vars.array(name).is_some_and(|a| !a.is_empty())
                || self.state.vars.get(name).is_some();
        }
        let key = match self.array_key(assoc, &Word::literal(subscript)) {
            Ok(ArrayKey::Index(i)) if i < 0 => {
                let array = self.state.vars.array(name);
                if array.is_none_or(|a| a.resolve_index(i).is_none()) {
                    self.report(&format!("{name}: bad array subscript"));
                    return false;
                }
                ArrayKey::Index(i)
            }
            Ok(key) => key,
            Err(e) => {
                self.report(&e.to_string());
                return false;
            }
        };
        match self.state.vars.array(name) {
            Some(array) => array.get(&key).is_some(),
            None => key == ArrayKey::Index(0) && self.state.vars.get(name).is_some(),
        }
    }

    /// `unset 'a[-n]'` of an element before the first: bash names the
    /// subscript as written (`[-2]: bad array subscript`); of a scalar,
    /// says it is no array.
    fn check_negative_unset(&self, name: &str, rest: &str, index: i64) -> Result<(), ExecError> {
        let written = rest.strip_suffix(']').unwrap_or(rest);
        match self.state.vars.array(name) {
            Some(array) if array.resolve_index(index).is_none() => Err(ExecError::Builtin(
                format!("[{written}]: bad array subscript"),
                1,
            )),
            None if self.state.vars.get(name).is_some() => Err(ExecError::Builtin(
                format!("{name}: not an array variable"),
                1,
            )),
            _ => Ok(()),
        }
    }

    /// `unset 'name[key]'`; false when `arg` has no subscript.
    pub fn unset_element(&mut self, arg: &str) -> Result<bool, ExecError> {
        let Some((name, rest)) = arg.split_once('[') else {
            return Ok(false);
        };
        let Some(subscript) = rest.strip_suffix(']') else {
            return Ok(false);
        };
        let assoc = matches!(self.state.vars.array(name), Some(Array::Assoc(_)));
        if !assoc && matches!(subscript, "@" | "*") {
            // `unset a[@]` empties an indexed array and keeps it (bash);
            // of an associative array it names the key `@`.
            if self.state.vars.array(name).is_none() {
                if self.state.vars.get(name).is_some() {
                    let msg = format!("{name}: not an array variable");
                    return Err(ExecError::Builtin(msg, 1));
                }
                return Ok(true);
            }
            self.state
                .vars
                .update_array(name, false, false, |_| {})
                .map_err(|e| ExecError::Readonly(e.0))?;
            return Ok(true);
        }
        // The quoted subscript of `unset 'a[${#a[@]}-1]'` is expanded here,
        // as bash does.
        let subscript = if subscript.contains(['$', '`']) {
            self.expand_prompt_string(subscript)
                .unwrap_or_else(|| subscript.to_string())
        } else {
            subscript.to_string()
        };
        let key = self.array_key(assoc, &Word::literal(&subscript))?;
        if let ArrayKey::Index(i @ ..0) = key {
            self.check_negative_unset(name, rest, i)?;
        }
        self.state
            .vars
            .unset_element(name, &key)
            .map_err(|e| ExecError::Readonly(e.0))?;
        Ok(true)
    }
}

/// Why an element of `( … )` failed: in expanding its words (before
/// bash empties the array), or in evaluating a subscript or an integer
/// value (after).
enum ItemError {
    Expansion(ExecError),
    Arithmetic(ExecError),
}

/// One expanded word of `( … )`.
enum Item {
    /// `[key]=value`, or `[key]+=value` (`true`: appended to the element).
    Keyed(ArrayKey, String, bool),
    /// A field: the next element, or for an associative array a key and
    /// value in turn.
    Field(String),
}

/// Puts the items into `array`; `integer`: the values are numbers, and
/// `[k]+=v` adds rather than appends.
fn fill(array: &mut Array, items: Vec<Item>, integer: bool) {
    let mut pending_key: Option<String> = None;
    for item in items {
        match (item, &mut *array, pending_key.take()) {
            (Item::Keyed(key, value, add), _, pending) => {
                pending_key = pending;
                let value = match array.get(&key).filter(|_| add) {
                    Some(old) if integer => {
                        let n = |s: &str| s.trim().parse::<i64>().unwrap_or(0);
                        n(old).wrapping_add(n(&value)).to_string()
                    }
                    Some(old) => format!("{old}{value}"),
                    None => value,
                };
                array.set(key, value);
            }
            (Item::Field(field), Array::Assoc(_), None) => pending_key = Some(field),
            (Item::Field(field), Array::Assoc(_), Some(key)) => {
                array.set(ArrayKey::Key(key), field);
            }
            (Item::Field(field), Array::Indexed(m), _) => {
                let next = m.keys().next_back().map_or(0, |k| k + 1);
                m.insert(next, field);
            }
        }
    }
    if let Some(key) = pending_key {
        array.set(ArrayKey::Key(key), String::new());
    }
}

/// `name[subscript]` split in two; `None` for anything else.
pub fn split_subscript(text: &str) -> Option<(&str, &str)> {
    let (name, rest) = text.split_once('[')?;
    let subscript = rest.strip_suffix(']')?;
    expand::is_name(name).then_some((name, subscript))
}

/// `[key]=value` (or `[key]+=value`: `true`) inside `( … )`: the key and
/// value words.
fn split_keyed(word: &Word) -> Option<(Word, Word, bool)> {
    let Some(WordPart::Literal(first)) = word.parts.first() else {
        return None;
    };
    let first = first.strip_prefix('[')?;
    let mut key = Word::default();
    let mut parts = std::iter::once(WordPart::Literal(first.to_string()))
        .chain(word.parts[1..].iter().cloned())
        .peekable();
    while let Some(part) = parts.next() {
        if let WordPart::Literal(text) = &part
            && let Some(end) = text.find("]=").or_else(|| text.find("]+="))
        {
            let add = text[end..].starts_with("]+=");
            if end > 0 {
                key.parts.push(WordPart::Literal(text[..end].to_string()));
            }
            let mut value = Word::default();
            let rest = &text[end + if add { 3 } else { 2 }..];
            if !rest.is_empty() {
                value.parts.push(WordPart::Literal(rest.to_string()));
            }
            value.parts.extend(parts);
            return Some((key, value, add));
        }
        key.parts.push(part);
    }
    None
}
