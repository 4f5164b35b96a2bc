//! The shell's state and the `Shell` that carries it: `ShellState` is what
//! commands leave behind and a subshell copies (variables, functions,
//! aliases, options, positional parameters, traps, the command cache);
//! `Shell` adds the execution context (`scope.rs`), the fd table, the
//! stacks of the code being run, and what belongs to the process (jobs,
//! the terminal, history).

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::ffi::CString;
use std::sync::Arc;

use crate::parser::Aliases;
use crate::parser::ast::FunctionDef;

use super::assoc::AssocArray;
use super::fdtable::FdTable;
use super::lookup::CommandCache;
use crate::jobs::JobTable;

/// One shell variable.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Var {
    /// The value; `None` for a name declared (`export x`, `local x`) but unset.
    pub value: Option<String>,
    /// Passed to children's environment.
    pub exported: bool,
    /// Assignments fail.
    pub readonly: bool,
    /// The elements, when the variable is an array (bash); `value` is then
    /// `None` and `$name` means element 0.
    pub array: Option<Array>,
    /// `declare -n`: the value is the name of the variable this one
    /// stands for.
    pub nameref: bool,
    /// `declare -i`: assigned values are evaluated as arithmetic.
    pub integer: bool,
    /// `declare -l` / `-u` / `-c`: assigned values change case.
    pub case: Option<LetterCase>,
    /// An array declared (`declare -a x`) but never assigned: `declare -p`
    /// shows no `=()` (bash).
    pub unassigned: bool,
}

impl Var {
    /// A copy of everything but the scalar value (`None`), for a copy
    /// about to be given a new one.
    fn without_value(&self) -> Var {
        Var {
            value: None,
            exported: self.exported,
            readonly: self.readonly,
            array: self.array.clone(),
            nameref: self.nameref,
            integer: self.integer,
            case: self.case,
            unassigned: self.unassigned,
        }
    }

    /// The attribute letters, in bash's `declare -p` order (`aAinrxclu`).
    pub fn attribute_letters(&self) -> String {
        [
            (matches!(self.array, Some(Array::Indexed(_))), 'a'),
            (matches!(self.array, Some(Array::Assoc(_))), 'A'),
            (self.integer, 'i'),
            (self.nameref, 'n'),
            (self.readonly, 'r'),
            (self.exported, 'x'),
            (self.case == Some(LetterCase::Capitalize), 'c'),
            (self.case == Some(LetterCase::Lower), 'l'),
            (self.case == Some(LetterCase::Upper), 'u'),
        ]
        .into_iter()
        .filter_map(|(on, letter)| on.then_some(letter))
        .collect()
    }
}

/// The case `declare -l` / `-u` / `-c` gives assigned values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterCase {
    /// `-l`.
    Lower,
    /// `-u`.
    Upper,
    /// `-c`: the first character upper case, the rest lower case.
    Capitalize,
}

impl LetterCase {
    /// `value` in this case.
    pub fn apply(self, value: &str) -> String {
        match self {
            LetterCase::Lower => value.to_lowercase(),
            LetterCase::Upper => value.to_uppercase(),
            LetterCase::Capitalize => {
                let mut chars = value.chars();
                let Some(first) = chars.next() else {
                    return String::new();
                };
                first
                    .to_uppercase()
                    .chain(chars.as_str().to_lowercase().chars())
                    .collect()
            }
        }
    }
}

/// How many namerefs a lookup follows before giving up (a cycle).
const MAX_NAMEREF_HOPS: usize = 16;

/// A bash array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Array {
    /// `declare -a`: sparse, by non-negative index (`a[1000000000]=x`
    /// allocates one element, not the gap).
    Indexed(std::collections::BTreeMap<usize, String>),
    /// `declare -A`: by string key, in bash's order.
    Assoc(AssocArray),
}

/// Where an element lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArrayKey {
    /// An index; negative counts back from one past the last index.
    Index(i64),
    /// An associative key.
    Key(String),
}

impl ArrayKey {
    /// The key as an associative array's key text.
    fn into_text(self) -> String {
        match self {
            ArrayKey::Key(k) => k,
            ArrayKey::Index(i) => i.to_string(),
        }
    }
}

impl Array {
    /// The values, in index or bash's order.
    pub fn values(&self) -> Vec<String> {
        match self {
            Array::Indexed(m) => m.values().cloned().collect(),
            Array::Assoc(t) => t.iter().map(|(_, val)| val.to_string()).collect(),
        }
    }

    /// The indices or keys, in order.
    pub fn keys(&self) -> Vec<String> {
        match self {
            Array::Indexed(m) => m.keys().map(|k| k.to_string()).collect(),
            Array::Assoc(t) => t.iter().map(|(k, _)| k.to_string()).collect(),
        }
    }

    /// The number of elements (`${#a[@]}`), without listing them.
    pub fn len(&self) -> usize {
        match self {
            Array::Indexed(m) => m.len(),
            Array::Assoc(t) => t.len(),
        }
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The position a subscript names: a negative one counts from the end;
    /// `None` when it falls before the start (or the array is associative).
    pub fn resolve_index(&self, index: i64) -> Option<usize> {
        let Array::Indexed(m) = self else {
            return None;
        };
        if index >= 0 {
            return Some(index as usize);
        }
        let end = m.keys().next_back().map(|k| k + 1).unwrap_or(0) as i64;
        usize::try_from(end + index).ok()
    }

    /// One element.
    pub fn get(&self, key: &ArrayKey) -> Option<&str> {
        match (self, key) {
            (Array::Indexed(m), ArrayKey::Index(i)) => self
                .resolve_index(*i)
                .and_then(|i| m.get(&i))
                .map(String::as_str),
            (Array::Assoc(t), ArrayKey::Key(k)) => t.get(k),
            (Array::Indexed(m), ArrayKey::Key(k)) => k
                .parse::<usize>()
                .ok()
                .and_then(|i| m.get(&i))
                .map(String::as_str),
            (Array::Assoc(t), ArrayKey::Index(i)) => t.get(&i.to_string()),
        }
    }

    /// The element `key` names, to change in place (`a[i]+=x`); `None`
    /// when it is not set.
    pub fn get_mut(&mut self, key: &ArrayKey) -> Option<&mut String> {
        let index = match key {
            ArrayKey::Index(i) => self.resolve_index(*i),
            ArrayKey::Key(k) => k.parse().ok(),
        };
        match self {
            Array::Indexed(m) => m.get_mut(&index?),
            Array::Assoc(t) => t.get_mut(&key.clone().into_text()),
        }
    }

    /// Sets one element; false when a negative index is out of range.
    pub fn set(&mut self, key: ArrayKey, value: String) -> bool {
        let index = match &key {
            ArrayKey::Index(i) => self.resolve_index(*i),
            ArrayKey::Key(k) => k.parse::<usize>().ok(),
        };
        match self {
            Array::Indexed(m) => match index {
                Some(i) => {
                    m.insert(i, value);
                    true
                }
                None => false,
            },
            Array::Assoc(t) => {
                t.insert(key.into_text(), value);
                true
            }
        }
    }

    /// Removes one element.
    pub fn remove(&mut self, key: &ArrayKey) {
        let index = match key {
            ArrayKey::Index(i) => self.resolve_index(*i),
            ArrayKey::Key(k) => k.parse().ok(),
        };
        match self {
            Array::Indexed(m) => {
                if let Some(i) = index {
                    m.remove(&i);
                }
            }
            Array::Assoc(t) => {
                t.remove(&key.clone().into_text());
            }
        }
    }

    /// Appends values after the last index (indexed arrays).
    pub fn push(&mut self, value: String) {
        match self {
            Array::Indexed(m) => {
                let next = m.keys().next_back().map(|k| k + 1).unwrap_or(0);
                m.insert(next, value);
            }
            Array::Assoc(t) => t.insert(t.len().to_string(), value),
        }
    }
}

/// Name → variable, copied for every subshell and changed by few.
///
/// Two layers: `shared`, the map as it was when it was last copied (each
/// variable behind its own `Arc`), and `changes`, what this copy changed
/// since (a name mapped to `None` was removed). A context that holds the
/// only reference to `shared` changes it in place and keeps `changes`
/// empty; a copy — a subshell, or the shell while a subshell thread shares
/// its map — records its changes in `changes`. So `$(echo hi)`, which sets
/// `$_` in its copy, copies one variable, not the map: copying a map of a
/// hundred variables costs more than the rest of the substitution. Once
/// `changes` grows past [`MAX_CHANGES`] it is folded into a copy of
/// `shared`, so lookups stay two probes at most.
#[derive(Debug, Clone, Default)]
struct VarMap {
    shared: Arc<FxHashMap<Arc<str>, Arc<Var>>>,
    changes: FxHashMap<Arc<str>, Option<Arc<Var>>>,
}

/// Changes a copy of a [`VarMap`] keeps beside the shared map before
/// folding them into a map of its own.
const MAX_CHANGES: usize = 32;

impl VarMap {
    fn get(&self, name: &str) -> Option<&Var> {
        if !self.changes.is_empty()
            && let Some(changed) = self.changes.get(name)
        {
            return changed.as_deref();
        }
        self.shared.get(name).map(|v| &**v)
    }

    /// Whether changes are made to the map in place: this copy holds the
    /// only reference (earlier changes are folded in first), or has made
    /// enough changes to be worth a map of its own (made here). The
    /// common case, the only holder with no changes, reads two counts and
    /// nothing more: the one atomic update per change is the caller's
    /// [`VarMap::own`].
    fn in_place(&mut self) -> bool {
        // No `Weak` to the map is ever made, and no other holder can make
        // a new reference while this one is borrowed mutably.
        let only_holder = Arc::strong_count(&self.shared) == 1;
        if self.changes.is_empty() {
            return only_holder;
        }
        if !only_holder && self.changes.len() < MAX_CHANGES {
            return false;
        }
        let map = Arc::make_mut(&mut self.shared);
        for (name, change) in self.changes.drain() {
            match change {
                Some(var) => map.insert(name, var),
                None => map.remove(&name),
            };
        }
        true
    }

    /// The map, to change in place (after [`VarMap::in_place`]).
    fn own(&mut self) -> &mut FxHashMap<Arc<str>, Arc<Var>> {
        Arc::make_mut(&mut self.shared)
    }

    /// The slot of `name` in `changes`, made from the shared map's
    /// variable (or `None`) when this copy has not changed it yet.
    fn change_slot(&mut self, name: &str) -> &mut Option<Arc<Var>> {
        if self.changes.contains_key(name) {
            return self.changes.get_mut(name).expect("checked above");
        }
        let (key, var) = match self.shared.get_key_value(name) {
            Some((key, var)) => (Arc::clone(key), Some(Arc::clone(var))),
            None => (Arc::from(name), None),
        };
        self.changes.entry(key).or_insert(var)
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Var> {
        if self.in_place() {
            return self.own().get_mut(name).map(Arc::make_mut);
        }
        self.get(name)?;
        self.change_slot(name).as_mut().map(Arc::make_mut)
    }

    /// As [`VarMap::get_mut`], to give the variable a new value: a copy
    /// made for this map leaves the old value behind (but that of a
    /// readonly variable, which the assignment will not replace).
    fn get_mut_to_assign(&mut self, name: &str) -> Option<&mut Var> {
        if self.in_place() {
            return self.own().get_mut(name).map(Arc::make_mut);
        }
        self.get(name)?;
        let var = self.change_slot(name).as_mut()?;
        if Arc::get_mut(var).is_none() {
            let copy = if var.readonly {
                Var::clone(var)
            } else {
                var.without_value()
            };
            *var = Arc::new(copy);
        }
        Arc::get_mut(var)
    }

    fn entry_or_default(&mut self, name: impl AsRef<str>) -> &mut Var {
        let name = name.as_ref();
        if self.in_place() {
            let map = self.own();
            if !map.contains_key(name) {
                map.insert(Arc::from(name), Arc::default());
            }
            return Arc::make_mut(map.get_mut(name).expect("just inserted"));
        }
        Arc::make_mut(self.change_slot(name).get_or_insert_default())
    }

    fn insert(&mut self, name: impl AsRef<str>, var: Var) -> Option<Var> {
        let name = name.as_ref();
        if self.in_place() {
            let old = self.own().insert(Arc::from(name), Arc::new(var))?;
            return Some(Arc::unwrap_or_clone(old));
        }
        let old = self.change_slot(name).replace(Arc::new(var))?;
        Some(Arc::unwrap_or_clone(old))
    }

    fn remove(&mut self, name: &str) -> Option<Var> {
        if self.in_place() {
            return self.own().remove(name).map(Arc::unwrap_or_clone);
        }
        self.get(name)?;
        self.change_slot(name).take().map(Arc::unwrap_or_clone)
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &Var)> {
        let unchanged = self
            .shared
            .iter()
            .filter(|(k, _)| self.changes.is_empty() || !self.changes.contains_key(&***k));
        let changed = self
            .changes
            .iter()
            .filter_map(|(k, v)| Some((k, v.as_ref()?)));
        unchanged.chain(changed).map(|(k, v)| (&**k, &**v))
    }
}

impl FromIterator<(String, Var)> for VarMap {
    fn from_iter<I: IntoIterator<Item = (String, Var)>>(iter: I) -> VarMap {
        VarMap {
            shared: Arc::new(
                iter.into_iter()
                    .map(|(k, v)| (Arc::from(k), Arc::new(v)))
                    .collect(),
            ),
            changes: FxHashMap::default(),
        }
    }
}

/// The variables of a context, with the save stack that implements `local`.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    /// Shared with copies (subshells), each of which keeps only its own
    /// changes: copying the state for `( … )` or `$( … )` costs a
    /// reference count.
    map: VarMap,
    /// The environment for children, built once per change of an exported
    /// variable rather than once per spawn.
    env_cache: Option<Arc<Vec<CString>>>,
    /// One frame per active function call: the values `local` shadowed.
    frames: Vec<Vec<(String, Option<Var>)>>,
    /// Which `frames` hold a command's temporary assignments (`a=1 f`),
    /// innermost last.
    temp_frames: Vec<usize>,
    /// Some variable has been a nameref: until then no lookup checks.
    any_nameref: bool,
    /// Some variable has had `-i`, `-l` or `-u`: until then assignments
    /// need not look.
    any_value_attributes: bool,
}

/// Why an assignment failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadonlyError(pub String);

impl std::fmt::Display for ReadonlyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: readonly variable", self.0)
    }
}

impl Vars {
    /// The variables of a new shell: `entries`, each exported (a name met
    /// twice keeps its last value). Built as one map, not assigned one by
    /// one: the environment is most of what a shell's start-up does.
    pub fn from_environment(entries: impl Iterator<Item = (String, String)>) -> Vars {
        // Room for a usual environment and the shell's own variables.
        let mut map = FxHashMap::with_capacity_and_hasher(64, Default::default());
        for (name, value) in entries {
            let var = Var {
                value: Some(value),
                exported: true,
                ..Var::default()
            };
            map.insert(Arc::from(name), Arc::new(var));
        }
        Vars {
            map: VarMap {
                shared: Arc::new(map),
                changes: FxHashMap::default(),
            },
            ..Vars::default()
        }
    }

    /// The variable a name stands for, following namerefs; `None` for a
    /// name that is not set.
    fn lookup(&self, name: &str) -> Option<&Var> {
        let var = self.map.get(name)?;
        if !var.nameref {
            return Some(var);
        }
        self.map.get(self.nameref_target(name)?)
    }

    /// Where a nameref chain starting at `name` ends; `None` when `name`
    /// is not a nameref (or points nowhere).
    pub fn nameref_target(&self, name: &str) -> Option<&str> {
        if !self.any_nameref {
            return None;
        }
        let mut var = self.map.get(name).filter(|v| v.nameref)?;
        let mut target = var.value.as_deref().filter(|t| !t.is_empty())?;
        for _ in 0..MAX_NAMEREF_HOPS {
            match self.map.get(target) {
                Some(next) if next.nameref => var = next,
                _ => return Some(target),
            }
            target = var.value.as_deref().filter(|t| !t.is_empty())?;
        }
        None
    }

    /// The name assignments to `name` really change (itself unless it is
    /// a nameref).
    fn target_name(&self, name: &str) -> String {
        self.nameref_target(name).unwrap_or(name).to_string()
    }

    /// The variable's value, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        let var = self.lookup(name)?;
        match &var.array {
            Some(array) => array.get(&ArrayKey::Index(0)),
            None => var.value.as_deref(),
        }
    }

    /// The array behind a name, if it is one.
    pub fn array(&self, name: &str) -> Option<&Array> {
        self.lookup(name).and_then(|v| v.array.as_ref())
    }

    /// `declare -n name[=target]`: makes `name` a nameref (its own value,
    /// not its target's, is set).
    pub fn set_nameref(&mut self, name: &str, target: Option<String>) -> Result<(), ReadonlyError> {
        let var = self.map.entry_or_default(name);
        if var.readonly {
            return Err(ReadonlyError(name.to_string()));
        }
        var.nameref = true;
        var.array = None;
        self.any_nameref = true;
        if target.is_some() {
            var.value = target;
        }
        Ok(())
    }

    /// `unset -n name`: removes the nameref itself, not its target.
    pub fn unset_nameref(&mut self, name: &str) -> Result<(), ReadonlyError> {
        match self.map.get(name) {
            Some(v) if v.nameref => self.unset_exactly(name),
            _ => self.unset(name),
        }
    }

    /// Sets the attributes assignments obey (`declare -i`, `-l`, `-u`).
    pub fn set_value_attributes(
        &mut self,
        name: &str,
        integer: Option<bool>,
        case: Option<Option<LetterCase>>,
    ) {
        self.any_value_attributes = true;
        let name = self.target_name(name);
        let var = self.map.entry_or_default(name);
        if let Some(on) = integer {
            var.integer = on;
        }
        if let Some(case) = case {
            var.case = case;
        }
    }

    /// `declare name`: the variable exists, without a value, so that
    /// `declare -p` shows it (it stays unset for expansions and `-v`).
    pub fn declare(&mut self, name: &str) {
        let name = self.target_name(name);
        self.map.entry_or_default(name);
    }

    /// Makes `name` an array with these contents (keeping attributes).
    pub fn set_array(&mut self, name: &str, array: Array) -> Result<(), ReadonlyError> {
        let name = &self.target_name(name);
        let var = self.map.entry_or_default(name);
        if var.readonly {
            return Err(ReadonlyError(name.to_string()));
        }
        var.value = None;
        var.array = Some(array);
        var.unassigned = false;
        if var.exported {
            self.env_cache = None;
        }
        Ok(())
    }

    /// Changes the array behind `name` in place (`a=(…)`, `a+=(…)`):
    /// `change` gets the old array when `append` (a scalar becomes element
    /// 0 of an indexed one), else a new empty one, associative when
    /// `assoc` or the old one is. No element is copied, so appending costs
    /// what is appended.
    pub fn update_array(
        &mut self,
        name: &str,
        append: bool,
        assoc: bool,
        change: impl FnOnce(&mut Array),
    ) -> Result<(), ReadonlyError> {
        let name = &self.target_name(name);
        let var = self.map.entry_or_default(name);
        if var.readonly {
            return Err(ReadonlyError(name.to_string()));
        }
        let assoc = assoc || matches!(var.array, Some(Array::Assoc(_)));
        var.unassigned = false;
        if !append {
            var.array = None;
        }
        let old = var.value.take();
        let array = var.array.get_or_insert_with(|| match old {
            Some(old) if append => Array::Indexed([(0, old)].into()),
            _ if assoc => Array::Assoc(AssocArray::new()),
            _ => Array::Indexed(Default::default()),
        });
        change(array);
        if var.exported {
            self.env_cache = None;
        }
        Ok(())
    }

    /// `name+=value` of a plain scalar, in place: amortised in the length
    /// of `value`, not of the old value. False (nothing done) when the
    /// variable is not a plain set scalar, for the caller to assign
    /// the whole value.
    pub fn append_in_place(&mut self, name: &str, value: &str) -> bool {
        if self.map.get(name).is_none_or(|v| {
            v.readonly
                || v.nameref
                || v.integer
                || v.case.is_some()
                || v.array.is_some()
                || v.value.is_none()
        }) {
            return false;
        }
        let Some(var) = self.map.get_mut(name) else {
            return false;
        };
        if let Some(old) = var.value.as_mut() {
            old.push_str(value);
        }
        if var.exported {
            self.env_cache = None;
        }
        true
    }

    /// `name[key]+=value`, in place; false when that element is not set
    /// (or `name` is readonly, a scalar, a nameref), for the caller to
    /// assign the whole value.
    pub fn append_element_in_place(&mut self, name: &str, key: &ArrayKey, value: &str) -> bool {
        let usable = self
            .map
            .get(name)
            .is_some_and(|v| !v.readonly && !v.nameref && !v.integer && v.case.is_none())
            && self
                .map
                .get(name)
                .and_then(|v| v.array.as_ref()?.get(key))
                .is_some();
        if !usable {
            return false;
        }
        let element = self
            .map
            .get_mut(name)
            .and_then(|v| v.array.as_mut()?.get_mut(key));
        match element {
            Some(old) => {
                old.push_str(value);
                true
            }
            None => false,
        }
    }

    /// Sets one element; a scalar becomes an indexed array whose element 0
    /// is its old value (as in bash).
    pub fn set_element(
        &mut self,
        name: &str,
        key: ArrayKey,
        value: String,
    ) -> Result<bool, ReadonlyError> {
        let name = &self.target_name(name);
        let var = self.map.entry_or_default(name);
        if var.readonly {
            return Err(ReadonlyError(name.to_string()));
        }
        var.unassigned = false;
        let array = var.array.get_or_insert_with(|| {
            let mut m = std::collections::BTreeMap::new();
            if let Some(old) = var.value.take() {
                m.insert(0, old);
            }
            Array::Indexed(m)
        });
        Ok(array.set(key, value))
    }

    /// `unset 'name[key]'`.
    pub fn unset_element(&mut self, name: &str, key: &ArrayKey) -> Result<(), ReadonlyError> {
        let name = &self.target_name(name);
        let Some(var) = self.map.get_mut(name) else {
            return Ok(());
        };
        if var.readonly {
            return Err(ReadonlyError(name.to_string()));
        }
        match &mut var.array {
            Some(array) => array.remove(key),
            None if *key == ArrayKey::Index(0) || *key == ArrayKey::Index(-1) => var.value = None,
            None => {}
        }
        Ok(())
    }

    /// Whether any variable has had `-i`, `-l` or `-u` (assignments need
    /// not look otherwise).
    pub fn any_value_attributes(&self) -> bool {
        self.any_value_attributes
    }

    /// The whole variable record (of `name` itself, even a nameref).
    pub fn var(&self, name: &str) -> Option<&Var> {
        self.map.get(name)
    }

    /// The record of `name` itself, to change its attributes.
    pub fn var_mut(&mut self, name: &str) -> Option<&mut Var> {
        self.map.get_mut(name)
    }

    /// Sets a value, keeping attributes; fails on a readonly variable.
    pub fn set(&mut self, name: &str, value: impl Into<String>) -> Result<(), ReadonlyError> {
        if self.any_nameref
            && self.map.get(name).is_some_and(|v| v.nameref)
            && let Some(target) = self.nameref_target(name)
        {
            let target = target.to_string();
            return self.set(&target, value);
        }
        match self.map.get_mut_to_assign(name) {
            Some(v) if v.readonly => Err(ReadonlyError(name.to_string())),
            Some(v) if v.array.is_some() => {
                v.unassigned = false;
                if let Some(array) = v.array.as_mut() {
                    array.set(ArrayKey::Index(0), value.into());
                }
                Ok(())
            }
            Some(v) => {
                v.value = Some(value.into());
                if v.exported {
                    self.env_cache = None;
                }
                Ok(())
            }
            None => {
                self.map.insert(
                    name,
                    Var {
                        value: Some(value.into()),
                        ..Var::default()
                    },
                );
                Ok(())
            }
        }
    }

    /// Removes a variable (a nameref's target); fails on a readonly one.
    pub fn unset(&mut self, name: &str) -> Result<(), ReadonlyError> {
        let name = &self.target_name(name);
        self.unset_exactly(name)
    }

    /// Removes the variable `name` itself (not a nameref's target), even
    /// a readonly one, as bash's getopts removes `OPTARG`.
    pub fn remove_exactly(&mut self, name: &str) {
        if let Some(var) = self.map.get(name)
            && var.readonly
        {
            let mut var = var.clone();
            var.readonly = false;
            self.map.insert(name, var);
        }
        let _ = self.unset_exactly(name);
    }

    fn unset_exactly(&mut self, name: &str) -> Result<(), ReadonlyError> {
        if self.map.get(name).is_some_and(|v| v.readonly) {
            return Err(ReadonlyError(name.to_string()));
        }
        // A local of a calling function (not of the innermost one) goes
        // away entirely, revealing what it shadowed (bash's dynamic unset).
        let innermost_local = self
            .frames
            .last()
            .is_some_and(|f| f.iter().any(|(n, _)| n == name));
        if !innermost_local
            && let Some(frame) = self
                .frames
                .iter_mut()
                .rev()
                .find(|f| f.iter().any(|(n, _)| n == name))
            && let Some(pos) = frame.iter().position(|(n, _)| n == name)
        {
            let (_, shadowed) = frame.remove(pos);
            self.env_cache = None;
            match shadowed {
                Some(var) => self.map.insert(name, var),
                None => self.map.remove(name),
            };
            return Ok(());
        }
        match self.map.get(name) {
            Some(v) if v.readonly => Err(ReadonlyError(name.to_string())),
            Some(_) => {
                self.map.remove(name);
                self.env_cache = None;
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Marks for export (creating the name unset if needed).
    pub fn export(&mut self, name: &str) {
        self.env_cache = None;
        let name = self.target_name(name);
        self.map.entry_or_default(name).exported = true;
    }

    /// Removes the export attribute.
    pub fn unexport(&mut self, name: &str) {
        self.env_cache = None;
        let name = self.target_name(name);
        if let Some(v) = self.map.get_mut(&name) {
            v.exported = false;
        }
    }

    /// Marks readonly (creating the name unset if needed).
    pub fn make_readonly(&mut self, name: &str) {
        let name = self.target_name(name);
        self.map.entry_or_default(name).readonly = true;
    }

    /// All variables, unsorted.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Var)> {
        self.map.iter()
    }

    /// `NAME=value` for every exported variable that has a value.
    pub fn environment(&self) -> Vec<(String, String)> {
        self.map
            .iter()
            .filter(|(_, v)| v.exported)
            .filter_map(|(k, v)| v.value.as_ref().map(|val| (k.to_string(), val.clone())))
            .collect()
    }

    /// The environment as C strings, cached until an exported variable changes.
    pub fn environment_cstrings(&mut self) -> Arc<Vec<CString>> {
        if let Some(cache) = &self.env_cache {
            return Arc::clone(cache);
        }
        let env: Vec<CString> = self
            .environment()
            .into_iter()
            .filter_map(|(k, v)| CString::new(crate::bytes::encode(&format!("{k}={v}"))).ok())
            .collect();
        let env = Arc::new(env);
        self.env_cache = Some(Arc::clone(&env));
        env
    }

    /// Enters a function call: a new frame for `local`.
    pub fn push_frame(&mut self) {
        self.frames.push(Vec::new());
    }

    /// Enters a command's temporary assignments (`a=1 f`): a frame whose
    /// values a `local` of the same name in the function starts with.
    pub fn push_temp_frame(&mut self) {
        self.temp_frames.push(self.frames.len());
        self.frames.push(Vec::new());
    }

    /// Whether the visible `name` is a temporary assignment (the innermost
    /// frame before the current one that shadows it is a temporary one).
    fn visible_from_temp(&self, name: &str) -> bool {
        let Some(outer) = self.frames.len().checked_sub(1) else {
            return false;
        };
        self.frames[..outer]
            .iter()
            .rposition(|f| f.iter().any(|(n, _)| n == name))
            .is_some_and(|i| self.temp_frames.contains(&i))
    }

    /// Leaves a function call: restores what its `local`s shadowed.
    pub fn pop_frame(&mut self) {
        if self.temp_frames.last() == self.frames.len().checked_sub(1).as_ref() {
            self.temp_frames.pop();
        }
        if let Some(frame) = self.frames.pop()
            && !frame.is_empty()
        {
            self.env_cache = None;
            for (name, old) in frame.into_iter().rev() {
                match old {
                    Some(v) => {
                        self.map.insert(name, v);
                    }
                    None => {
                        self.map.remove(&name);
                    }
                }
            }
        }
    }

    /// Every variable as it is now (sorted by name), and the number of
    /// active function frames: what a self-spawned subshell needs. The
    /// values `local` shadowed are not part of it — a subshell never
    /// returns to them.
    pub fn snapshot(&self) -> (Vec<(String, Var)>, usize) {
        let mut vars: Vec<(String, Var)> = self
            .map
            .iter()
            .map(|(name, var)| (name.to_string(), var.clone()))
            .collect();
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        (vars, self.frames.len())
    }

    /// The variables of a [`Vars::snapshot`].
    pub fn restore(vars: Vec<(String, Var)>, frames: usize) -> Vars {
        let any_nameref = vars.iter().any(|(_, v)| v.nameref);
        let any_value_attributes = vars.iter().any(|(_, v)| v.integer || v.case.is_some());
        Vars {
            map: vars.into_iter().collect(),
            env_cache: None,
            frames: vec![Vec::new(); frames],
            temp_frames: Vec::new(),
            any_nameref,
            any_value_attributes,
        }
    }

    /// Whether `name` is a `local` of the innermost function call.
    pub fn is_local_here(&self, name: &str) -> bool {
        self.frames
            .last()
            .is_some_and(|f| f.iter().any(|(n, _)| n == name))
    }

    /// Whether a function call is active (so `local` is allowed).
    pub fn in_function(&self) -> bool {
        !self.frames.is_empty()
    }

    /// `local name`: saves the current value in the innermost frame (once
    /// per frame) so that it is restored when the function returns. As in
    /// bash, a plain `local x` leaves `x` declared but unset in the function;
    /// with `inherit` (`local -I`, `shopt -s localvar_inherit`) it starts
    /// with the value and attributes of the variable it shadows (but a
    /// nameref's).
    pub fn make_local(&mut self, name: &str, inherit: bool) {
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        if frame.iter().any(|(n, _)| n == name) {
            return;
        }
        // bash: a local starts with the value of a temporary assignment of
        // the call (`a=4 f` where f says `local a`).
        let inherit = inherit || self.visible_from_temp(name);
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let old = self.map.get(name).cloned();
        self.env_cache = None;
        frame.push((name.to_string(), old.clone()));
        let var = match old {
            Some(old) if inherit && !old.nameref => Var {
                readonly: false,
                ..old
            },
            old => Var {
                exported: old.is_some_and(|v| v.exported),
                ..Var::default()
            },
        };
        self.map.insert(name, var);
    }

    /// Makes the global variables visible in place of the `local`s that
    /// shadow them (`declare -g` in a function), until
    /// [`Vars::hide_globals`] is given what this returns.
    pub fn show_globals(&mut self) -> Vec<GlobalSwap> {
        let mut swaps: Vec<GlobalSwap> = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        for (frame, entries) in self.frames.iter_mut().enumerate() {
            for (entry, (name, saved)) in entries.iter_mut().enumerate() {
                if !seen.insert(name.clone()) {
                    continue;
                }
                let map = &mut self.map;
                let local = match saved.take() {
                    Some(global) => map.insert(name.as_str(), global),
                    None => map.remove(name),
                };
                swaps.push(GlobalSwap {
                    frame,
                    entry,
                    local,
                });
            }
        }
        if !swaps.is_empty() {
            self.env_cache = None;
        }
        swaps
    }

    /// Puts back the `local`s [`Vars::show_globals`] hid, keeping what was
    /// done to the globals meanwhile as the values they shadow.
    pub fn hide_globals(&mut self, swaps: Vec<GlobalSwap>) {
        if swaps.is_empty() {
            return;
        }
        self.env_cache = None;
        for swap in swaps {
            let Some((name, saved)) = self
                .frames
                .get_mut(swap.frame)
                .and_then(|f| f.get_mut(swap.entry))
            else {
                continue;
            };
            let map = &mut self.map;
            *saved = match swap.local {
                Some(local) => map.insert(name.as_str(), local),
                None => map.remove(name),
            };
        }
    }
}

/// A `local` hidden while `declare -g` works on the global it shadows.
#[derive(Debug)]
pub struct GlobalSwap {
    frame: usize,
    entry: usize,
    local: Option<Var>,
}

impl Vars {
    /// Whether any `local` shadows a variable now.
    pub fn any_locals(&self) -> bool {
        self.frames.iter().any(|f| !f.is_empty())
    }
}

/// Shell options (`set -o …`). `braceexpand`, `hashall` and
/// `interactive-comments` are on in a new shell, as in bash; `keyword`,
/// `nolog`, `onecmd`, `physical` and `privileged` are accepted and listed
/// but change nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Options {
    pub allexport: bool,
    pub notify: bool,
    pub noclobber: bool,
    pub errexit: bool,
    pub noglob: bool,
    pub hashall: bool,
    pub monitor: bool,
    pub noexec: bool,
    pub nounset: bool,
    pub verbose: bool,
    pub xtrace: bool,
    pub pipefail: bool,
    pub interactive: bool,
    pub ignoreeof: bool,
    pub posix: bool,
    pub vi: bool,
    pub emacs: bool,
    /// `set -T`: functions inherit the DEBUG and RETURN traps.
    pub functrace: bool,
    /// `set -E`: functions inherit the ERR trap.
    pub errtrace: bool,
    /// `set -o history`: an interactive shell records its command lines.
    pub history: bool,
    /// `set -H`: history expansion (`!!`) of the lines typed.
    pub histexpand: bool,
    /// `set -B`: brace expansion.
    pub braceexpand: bool,
    pub interactive_comments: bool,
    pub keyword: bool,
    pub nolog: bool,
    pub onecmd: bool,
    pub physical: bool,
    pub privileged: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            allexport: false,
            notify: false,
            noclobber: false,
            errexit: false,
            noglob: false,
            hashall: true,
            monitor: false,
            noexec: false,
            nounset: false,
            verbose: false,
            xtrace: false,
            pipefail: false,
            interactive: false,
            ignoreeof: false,
            posix: false,
            vi: false,
            emacs: false,
            functrace: false,
            errtrace: false,
            history: false,
            histexpand: false,
            braceexpand: true,
            interactive_comments: true,
            keyword: false,
            nolog: false,
            onecmd: false,
            physical: false,
            privileged: false,
        }
    }
}

/// The table of `-o` names and single-letter flags, in the order `set -o`
/// lists them (bash's).
pub const OPTION_NAMES: &[(&str, Option<char>)] = &[
    ("allexport", Some('a')),
    ("braceexpand", Some('B')),
    ("emacs", None),
    ("errexit", Some('e')),
    ("errtrace", Some('E')),
    ("functrace", Some('T')),
    ("hashall", Some('h')),
    ("histexpand", Some('H')),
    ("history", None),
    ("ignoreeof", None),
    ("interactive-comments", None),
    ("keyword", Some('k')),
    ("monitor", Some('m')),
    ("noclobber", Some('C')),
    ("noexec", Some('n')),
    ("noglob", Some('f')),
    ("nolog", None),
    ("notify", Some('b')),
    ("nounset", Some('u')),
    ("onecmd", Some('t')),
    ("physical", Some('P')),
    ("pipefail", None),
    ("posix", None),
    ("privileged", Some('p')),
    ("verbose", Some('v')),
    ("vi", None),
    ("xtrace", Some('x')),
];

/// The order of the letters in `$-` (bash's; `i` is the interactive shell).
const FLAG_ORDER: &str = "abefhikmnptuvxBCEHPT";

impl Options {
    /// The flag behind an option name.
    pub fn by_name(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "allexport" => &mut self.allexport,
            "notify" => &mut self.notify,
            "noclobber" => &mut self.noclobber,
            "errexit" => &mut self.errexit,
            "noglob" => &mut self.noglob,
            "hashall" => &mut self.hashall,
            "monitor" => &mut self.monitor,
            "noexec" => &mut self.noexec,
            "nounset" => &mut self.nounset,
            "verbose" => &mut self.verbose,
            "xtrace" => &mut self.xtrace,
            "pipefail" => &mut self.pipefail,
            "ignoreeof" => &mut self.ignoreeof,
            "posix" => &mut self.posix,
            "vi" => &mut self.vi,
            "emacs" => &mut self.emacs,
            "functrace" => &mut self.functrace,
            "errtrace" => &mut self.errtrace,
            "history" => &mut self.history,
            "histexpand" => &mut self.histexpand,
            "braceexpand" => &mut self.braceexpand,
            "interactive-comments" => &mut self.interactive_comments,
            "keyword" => &mut self.keyword,
            "nolog" => &mut self.nolog,
            "onecmd" => &mut self.onecmd,
            "physical" => &mut self.physical,
            "privileged" => &mut self.privileged,
            _ => return None,
        })
    }

    /// Sets a named option; `vi` and `emacs` exclude each other.
    pub fn set_named(&mut self, name: &str, on: bool) -> bool {
        match name {
            "vi" if on => self.emacs = false,
            "emacs" if on => self.vi = false,
            _ => {}
        }
        match self.by_name(name) {
            Some(flag) => {
                *flag = on;
                true
            }
            None => false,
        }
    }

    /// The option name behind a single-letter flag.
    pub fn name_of_letter(letter: char) -> Option<&'static str> {
        OPTION_NAMES
            .iter()
            .find(|(_, l)| *l == Some(letter))
            .map(|(n, _)| *n)
    }

    /// Current value of a named option.
    pub fn get(&self, name: &str) -> bool {
        let mut copy = self.clone();
        copy.by_name(name).map(|b| *b).unwrap_or(false)
    }

    /// The letters of `$-` for these options, in bash's order.
    pub fn flags(&self) -> String {
        FLAG_ORDER
            .chars()
            .filter(|&letter| match Options::name_of_letter(letter) {
                Some(name) => self.get(name),
                None => letter == 'i' && self.interactive,
            })
            .collect()
    }
}

/// Where the next spawned process goes under job control.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Placement {
    /// No job control: the shell's own process group.
    #[default]
    Shell,
    /// Leads a new process group; `foreground` also takes the terminal.
    Lead {
        /// The job runs in the foreground.
        foreground: bool,
    },
    /// Joins the group of an earlier member of the same job.
    Join(nix::unistd::Pid),
}

/// The trap table's key for the ERR pseudo-signal (bash).
pub const ERR_TRAP: i32 = 65;
/// The trap table's key for DEBUG (bash): before each simple command.
pub const DEBUG_TRAP: i32 = 66;
/// The trap table's key for RETURN (bash): when a function or `.` ends.
pub const RETURN_TRAP: i32 = 67;

/// What a trap does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrapAction {
    /// Run this command text.
    Command(String),
    /// `trap '' SIG`: ignore.
    Ignore,
}

/// One function call or `.` script being run (bash's call stack).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFrame {
    /// The function's name, or `source` for a `.` script.
    pub name: String,
    /// The file its code comes from (empty when none: `-c`, standard
    /// input, the keyboard).
    pub file: String,
    /// The line of the caller the call was made from.
    pub call_line: u32,
    /// Under `extdebug`: the frame's arguments, and the positional
    /// parameters of its caller (`BASH_ARGV`, `BASH_ARGC`); empty
    /// otherwise, so that calls copy nothing.
    pub args: Vec<String>,
    /// See `args`.
    pub caller_args: Vec<String>,
    /// The `set` options from before `local -`, put back when the function
    /// returns. Not handed over: a subshell never returns from the
    /// functions it was started in.
    pub saved_options: Option<Box<Options>>,
}

/// What commands leave behind and a subshell copies (the self-spawned
/// one through `handover.rs`): variables, functions, aliases, options,
/// traps, `$0 $1 … $? $! $$`, the directory stack, a subshell's own cwd
/// and umask, the command hash.
#[derive(Debug, Clone)]
pub struct ShellState {
    /// Variables.
    pub vars: Vars,
    /// Functions by name (shared with copies until changed).
    pub functions: Arc<FxHashMap<String, Arc<FunctionDef>>>,
    /// Changes with every change of `functions`: a number no other
    /// version of any function table has (see [`Shell::functions_mut`]).
    pub functions_version: u64,
    /// Aliases (shared with copies until changed).
    pub aliases: Arc<Aliases>,
    /// Options.
    pub options: Options,
    /// `$0`.
    pub arg0: String,
    /// `$1 …`.
    pub positional: Vec<String>,
    /// `$?`.
    pub last_status: i32,
    /// `$!`.
    pub last_bg_pid: Option<i32>,
    /// `$$`: the pid of the top-level shell (subshells keep it).
    pub shell_pid: i32,
    /// Resolved commands (`hash`).
    pub commands: CommandCache,
    /// Traps by signal number (0 = EXIT).
    pub traps: HashMap<i32, TrapAction>,
    /// In a subshell that has not changed a trap yet: the traps of its
    /// parent, which `trap` lists (POSIX, bash).
    pub inherited_traps: Option<Arc<HashMap<i32, TrapAction>>>,
    /// `pushd`'s directory stack below the current directory (entry 1
    /// first; entry 0 is always `$PWD`).
    pub dir_stack: Vec<String>,
    /// This context's working directory when it differs from the
    /// process's: a subshell that ran `cd` (an `O_PATH` directory fd).
    /// Paths the shell opens resolve against it; children get an `Fchdir`.
    pub cwd: Option<Arc<std::os::fd::OwnedFd>>,
    /// This context's umask when a subshell changed it; children get a
    /// `Umask` op.
    pub umask: Option<u32>,
    /// `getopts`' position within a bundled argument.
    pub getopts_char: usize,
    /// The file each function was defined in, for `BASH_SOURCE`.
    pub function_files: Arc<rustc_hash::FxHashMap<String, String>>,
    /// `shopt` options that are on.
    pub shopts: Vec<&'static str>,
    /// `abbr`'s abbreviations: a command name typed at the prompt and
    /// the text the line editor puts in its place.
    pub abbreviations: Arc<std::collections::BTreeMap<String, String>>,
    /// Builtins turned off by `enable -n` (a command of that name is
    /// looked up as a function or on `PATH` instead).
    pub disabled_builtins: Vec<String>,
    /// Functions `export -f` passes to children (as bash does, in
    /// `BASH_FUNC_name%%` variables).
    pub exported_functions: Vec<String>,
    /// The prompt's `\#`: how many commands the shell has read from its
    /// input (a script, standard input, the terminal) and run, from 1 once
    /// it reads any (0 for `-c` text, as in bash). Functions, `.`, `eval`,
    /// traps and subshells run commands without reading any.
    pub command_number: u64,
    /// Functions with the trace attribute (`declare -ft`): they see the
    /// caller's DEBUG and RETURN traps, as under `set -T`.
    pub traced_functions: Vec<String>,
    /// Readonly functions (`readonly -f`, `declare -fr`): they can be
    /// neither redefined nor unset.
    pub readonly_functions: Vec<String>,
}

impl ShellState {
    /// Makes this copy a subshell's: traps that run code are reset (ignored
    /// signals stay ignored), and `trap` lists the parent's until the
    /// subshell changes one.
    pub fn enter_subshell(&mut self) {
        // With no traps there is nothing to list: no copy (one allocation
        // per `$( )` otherwise).
        if self.inherited_traps.is_none() && !self.traps.is_empty() {
            self.inherited_traps = Some(Arc::new(self.traps.clone()));
        }
        self.traps
            .retain(|_, action| matches!(action, TrapAction::Ignore));
    }
}

/// One shell context: its state, its execution context, its descriptors,
/// and what belongs to the process it runs in.
#[derive(Debug, Clone)]
pub struct Shell {
    /// What commands leave behind and a subshell copies.
    pub state: ShellState,
    /// Where the command being run sits (see `scope.rs`): changed only
    /// through scopes that restore it.
    pub ctx: super::scope::ExecContext,
    /// File descriptors as this context sees them.
    pub fds: FdTable,
    /// The builtins it runs, given when the shell is made.
    pub builtins: &'static super::builtin::BuiltinTable,
    // The code being run.
    /// Line of the command being run, for messages and `$LINENO`.
    pub line: u32,
    /// The functions running, outermost first: their number is the call
    /// depth (for `return` and the recursion limit), and `FUNCNAME`,
    /// innermost first, is made from it on demand.
    pub function_names: Vec<String>,
    /// The running function calls and `.` scripts, outermost first:
    /// `FUNCNAME`, `BASH_SOURCE`, `BASH_LINENO` and `caller` (bash).
    /// (A self-spawned subshell gets `function_names` only.)
    pub call_frames: Vec<CallFrame>,
    /// The redirected commands being run, innermost last: whether `exec`
    /// made that command's redirections the shell's own (then they are not
    /// undone when it ends).
    pub redirections_kept: RedirectionFrames,
    /// Open ends of process substitutions (table numbers), newest last;
    /// the command that made one closes it when it ends.
    pub procsub_fds: Vec<i32>,
    /// Coprocesses started and not yet retired (`exec/coproc.rs`).
    pub coprocs: Vec<super::coproc::Coprocess>,
    /// `$BASH_COMMAND`: the simple command being run, recorded while a
    /// DEBUG or ERR trap is set (the traps that read it) or once code read
    /// by the shell names it (`bash_command_read`).
    pub bash_command: String,
    /// Some code the shell parsed mentions `BASH_COMMAND`.
    pub bash_command_read: bool,
    /// Some code the shell parsed reads `$!`: process substitutions are
    /// then processes, so that it names them.
    pub bang_read: bool,
    /// The `$RANDOM` generator (each subshell reseeds its copy).
    pub random: std::cell::Cell<super::random::Random>,
    /// Name used in messages (`pidsh`, or the script path).
    pub error_prefix: String,
    /// The shell runs a script file: `FUNCNAME` ends with `main` (bash).
    pub in_script_file: bool,
    /// The shell runs `-c` text: its syntax errors say `-c: line N` (bash).
    pub in_command_string: bool,
    // Results of the command just run, read by the one that runs it.
    /// Status of the last command substitution of the command being
    /// expanded (`None`: there was none) — the status of a command with no
    /// command name.
    pub cmdsub_status: Option<i32>,
    /// The status just produced came from a place where `set -e` does not
    /// apply (a non-final part of an and-or list, a negation), so an
    /// enclosing compound command that returns it does not exit either.
    pub errexit_exempt: bool,
    /// Counts `set` calls that gave the positional parameters: a `.`
    /// script with arguments keeps what it set (bash), not what `shift`
    /// did.
    pub positional_sets: u64,
    // What belongs to the process the context runs in.
    /// This context is the whole of its process: the top-level shell, or
    /// a subshell started as a pidsh process of its own. Only such a
    /// context changes what belongs to the process (signal dispositions,
    /// the working directory, umask, resource limits) or runs the traps of
    /// signals the process caught; an in-process subshell keeps its own
    /// copies of those and leaves caught signals to the context that owns
    /// the process.
    pub owns_process: bool,
    /// Signals that were ignored when the shell started: they stay ignored
    /// for children (POSIX), and `trap` cannot catch them.
    pub ignored_signals: Vec<i32>,
    /// In a subshell: the signals the shell process ignores because its
    /// top-level shell ran `trap '' SIG` (that shell's trap table when the
    /// subshell was made). Children of a subshell that no longer ignores
    /// one get its default back.
    pub ignored_by_parent_traps: Vec<i32>,
    /// Background jobs.
    pub jobs: JobTable,
    /// The controlling terminal, held by an interactive shell with job control.
    pub terminal: Option<Arc<crate::jobs::terminal::Terminal>>,
    /// What `history` lists.
    pub history: super::history::History,
    /// Programmable completion: what `complete` recorded.
    pub completion: crate::completion::State,
    /// Readline's variables as `bind` and inputrc files set them.
    pub readline: super::inputrc::Settings,
    /// `exit` already warned once about stopped jobs.
    pub stopped_jobs_warned: bool,
    /// When the shell started (`$SECONDS`).
    pub started: std::time::Instant,
}

/// The redirected commands being run, innermost last, and which of them
/// `exec` made keep their redirections: a depth and the depths kept, so
/// that entering and leaving a command (every builtin does) never
/// allocates, and neither does copying the stack for a subshell.
#[derive(Debug, Clone, Default)]
pub struct RedirectionFrames {
    depth: u32,
    kept: Vec<u32>,
}

impl RedirectionFrames {
    /// Enters a redirected command.
    pub fn push(&mut self) {
        self.depth += 1;
    }

    /// Marks the innermost command's redirections as kept.
    pub fn keep_innermost(&mut self) {
        if self.depth > 0 && self.kept.last() != Some(&self.depth) {
            self.kept.push(self.depth);
        }
    }

    /// Leaves the innermost command: whether its redirections were kept.
    pub fn pop(&mut self) -> bool {
        let kept = self.kept.last() == Some(&self.depth);
        if kept {
            self.kept.pop();
        }
        self.depth = self.depth.saturating_sub(1);
        kept
    }
}

/// The last version number given to a function table.
static FUNCTIONS_VERSION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Shell {
    /// The function table, to change it: it gets a new version number, so
    /// that what was learnt about the old one (the process rule's
    /// summaries) is not taken for the new one.
    pub fn functions_mut(&mut self) -> &mut FxHashMap<String, Arc<FunctionDef>> {
        self.state.functions_version =
            FUNCTIONS_VERSION.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        Arc::make_mut(&mut self.state.functions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(vars: &Vars) -> Vec<String> {
        let mut names: Vec<String> = vars.iter().map(|(n, _)| n.to_string()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_copy_changes_only_itself() {
        let mut shell = Vars::default();
        shell.set("a", "1").expect("not readonly");
        shell.set("b", "2").expect("not readonly");
        let mut copy = shell.clone();
        copy.set("a", "changed").expect("not readonly");
        copy.set("c", "new").expect("not readonly");
        copy.unset("b").expect("not readonly");
        assert_eq!(copy.get("a"), Some("changed"));
        assert_eq!(copy.get("b"), None);
        assert_eq!(names(&copy), ["a", "c"]);
        assert_eq!(shell.get("a"), Some("1"));
        assert_eq!(shell.get("b"), Some("2"));
        assert_eq!(names(&shell), ["a", "b"]);
    }

    #[test]
    fn the_shell_changes_in_place_once_its_copies_are_gone() {
        let mut shell = Vars::default();
        shell.set("a", "1").expect("not readonly");
        let copy = shell.clone();
        shell.set("a", "2").expect("not readonly");
        assert_eq!(copy.get("a"), Some("1"));
        drop(copy);
        shell.set("b", "3").expect("not readonly");
        assert!(shell.map.changes.is_empty());
        assert_eq!(shell.get("a"), Some("2"));
        assert_eq!(names(&shell), ["a", "b"]);
    }

    #[test]
    fn many_changes_are_folded_into_a_map_of_the_copys_own() {
        let mut shell = Vars::default();
        shell.set("kept", "1").expect("not readonly");
        shell.set("gone", "1").expect("not readonly");
        let mut copy = shell.clone();
        copy.unset("gone").expect("not readonly");
        for i in 0..MAX_CHANGES * 2 {
            copy.set(&format!("v{i}"), i.to_string())
                .expect("not readonly");
        }
        assert!(copy.map.changes.len() < MAX_CHANGES);
        assert_eq!(copy.get("gone"), None);
        assert_eq!(copy.get("kept"), Some("1"));
        assert_eq!(copy.iter().count(), 1 + MAX_CHANGES * 2);
        assert_eq!(names(&shell), ["gone", "kept"]);
    }

    #[test]
    fn attributes_and_arrays_change_in_the_copy_only() {
        let mut shell = Vars::default();
        shell.set("x", "1").expect("not readonly");
        shell.export("x");
        shell
            .set_element("a", ArrayKey::Index(0), "zero".into())
            .expect("not readonly");
        let mut copy = shell.clone();
        copy.unexport("x");
        copy.make_readonly("x");
        copy.set_element("a", ArrayKey::Index(1), "one".into())
            .expect("not readonly");
        assert!(copy.environment().is_empty());
        assert_eq!(shell.environment(), [("x".to_string(), "1".to_string())]);
        assert!(shell.set("x", "2").is_ok());
        assert!(copy.set("x", "2").is_err());
        assert_eq!(copy.array("a").map(|a| a.values().len()), Some(2));
        assert_eq!(shell.array("a").map(|a| a.values().len()), Some(1));
    }
}

#[cfg(test)]
mod redirection_frames_tests {
    use super::RedirectionFrames;

    #[test]
    fn only_the_frame_marked_is_kept() {
        let mut frames = RedirectionFrames::default();
        frames.push();
        frames.push();
        frames.keep_innermost();
        frames.keep_innermost();
        frames.push();
        assert!(!frames.pop());
        assert!(frames.pop());
        assert!(!frames.pop());
        frames.keep_innermost();
        assert!(!frames.pop());
    }
}

#[cfg(test)]
mod assignment_tests {
    use super::*;

    #[test]
    fn a_failed_assignment_in_a_copy_keeps_the_value() {
        let mut shell = Vars::default();
        shell.set("r", "1").expect("not readonly");
        shell.make_readonly("r");
        shell.set("s", "old").expect("not readonly");
        let mut copy = shell.clone();
        assert!(copy.set("r", "2").is_err());
        assert_eq!(copy.get("r"), Some("1"));
        copy.set("s", "new").expect("not readonly");
        assert_eq!(copy.get("s"), Some("new"));
        assert_eq!(shell.get("s"), Some("old"));
    }
}
