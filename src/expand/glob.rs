//! Pathname expansion: a pattern (backslash-quoted where the source was
//! quoted) matched against the file system one path component at a time,
//! with the same matcher as `case`. Without `dotglob` a leading `.` must be
//! matched by a literal `.` (the matcher's `leading_dot`); `.` and `..`
//! never match a wildcard.

use std::path::{Path, PathBuf};

use super::pattern::{MatchOptions, Pattern, unescape};
use crate::bytes::{decode_os, to_path};

/// The sorted paths matching `pattern`; empty when none match. Relative
/// patterns are looked up under `prefix` (a context's own directory) when
/// given, and reported without it. `options` says how components match
/// (extglob, case, leading dots); with `globstar`, a component `**`
/// matches any depth of directories (see [`star_star`]).
pub fn expand(
    pattern: &str,
    prefix: Option<&str>,
    options: MatchOptions,
    globstar: bool,
) -> Vec<String> {
    let on_disk = |path: &str| -> PathBuf {
        match prefix {
            Some(p) if !path.starts_with('/') => to_path(&format!("{p}/{path}")).into_owned(),
            _ => to_path(path).into_owned(),
        }
    };
    let absolute = pattern.starts_with('/');
    let mut components: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty()).collect();
    // A last `**` that stood for several lists its base without the `/`
    // (bash: `a/**` gives `a/`, `a/**/**` gives `a`).
    let repeated_last = globstar && components.ends_with(&["**", "**"]);
    if globstar {
        // `**/**` is `**`: each path once.
        components.dedup_by(|a, b| *a == "**" && *b == "**");
    }
    let trailing_slash = pattern.ends_with('/') && !components.is_empty();
    let mut paths: Vec<String> = vec![if absolute {
        "/".to_string()
    } else {
        String::new()
    }];
    for (i, component) in components.iter().enumerate() {
        let last = i + 1 == components.len();
        let mut next = Vec::new();
        let matcher = Pattern::with_options(component, options);
        if globstar && *component == "**" {
            let literal_base = !(last && repeated_last)
                && components[..i]
                    .iter()
                    .all(|c| Pattern::with_options(c, options).is_literal());
            for base in &paths {
                star_star(
                    base,
                    last,
                    literal_base,
                    options.leading_dot,
                    &on_disk,
                    &mut next,
                );
            }
        } else if !matcher.is_literal() {
            for base in &paths {
                for name in directory_entries(&on_disk(base)) {
                    if (name == "." || name == "..") && component != &name {
                        continue;
                    }
                    if matcher.matches(&name) {
                        next.push(join(base, &name));
                    }
                }
            }
        } else {
            let literal = unescape(component);
            for base in &paths {
                let path = join(base, &literal);
                if !last || std::fs::symlink_metadata(on_disk(&path)).is_ok() {
                    next.push(path);
                }
            }
        }
        if !last {
            // The empty base (`**/x` at the top) is the current directory.
            next.retain(|p| p.is_empty() || on_disk(p).is_dir());
        }
        paths = next;
        if paths.is_empty() {
            return paths;
        }
    }
    if trailing_slash {
        paths.retain(|p| on_disk(p).is_dir());
        for p in &mut paths {
            if !p.ends_with('/') {
                p.push('/');
            }
        }
    }
    paths.sort();
    paths
}

/// `**` under `shopt -s globstar`, below `base`: as the last component,
/// every file and directory at any depth (and `base/` itself when it was
/// named literally, as bash lists it); before another component, `base`
/// and every directory at any depth. Names starting with `.` are skipped
/// unless `dotglob`; symbolic links to directories are never descended
/// into, and only the last `**` lists them (bash).
fn star_star(
    base: &str,
    last: bool,
    base_literal: bool,
    skip_dots: bool,
    on_disk: &dyn Fn(&str) -> PathBuf,
    out: &mut Vec<String>,
) {
    if !last {
        out.push(base.to_string());
    } else if !base.is_empty() && !base.ends_with('/') {
        out.push(if base_literal {
            format!("{base}/")
        } else {
            base.to_string()
        });
    }
    let mut pending = vec![base.to_string()];
    while let Some(dir) = pending.pop() {
        for name in directory_entries(&on_disk(&dir)) {
            if name == "." || name == ".." || (skip_dots && name.starts_with('.')) {
                continue;
            }
            let path = join(&dir, &name);
            let Ok(meta) = std::fs::symlink_metadata(on_disk(&path)) else {
                continue;
            };
            if meta.is_dir() {
                pending.push(path.clone());
            }
            // Only the last `**` lists links to directories (`**/`).
            let link_to_dir = last && meta.is_symlink() && on_disk(&path).is_dir();
            if last || meta.is_dir() || link_to_dir {
                out.push(path);
            }
        }
    }
}

fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else if base.ends_with('/') {
        format!("{base}{name}")
    } else {
        format!("{base}/{name}")
    }
}

fn directory_entries(base: &Path) -> Vec<String> {
    let dir = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| decode_os(&e.file_name()))
        .collect();
    // read_dir leaves out `.` and `..`; a pattern may name them explicitly.
    names.push(".".into());
    names.push("..".into());
    names
}
