//! `mapfile` / `readarray` (bash): lines of input into an indexed array.

use std::os::fd::RawFd;

use super::options::{self, OptError};
use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::exec::state::{Array, ArrayKey};
use crate::sys::fd as syscalls;

const USAGE: &str = "mapfile: usage: mapfile [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]";

/// What one call asks for.
#[derive(Debug, Clone)]
struct Request {
    delimiter: u8,
    /// Lines to store at most (0: all).
    count: usize,
    /// The first index; `None`: the array is emptied first and filled from 0.
    origin: Option<usize>,
    skip: usize,
    strip: bool,
    fd: i32,
    callback: Option<String>,
    quantum: usize,
    array: String,
}

fn parse(sh: &Shell, args: &[String]) -> Result<Request, String> {
    let (opts, first) =
        options::parse(args, "d:n:O:s:tu:C:c:").map_err(|e: OptError| e.to_string())?;
    let number = |v: &str, what: &str| -> Result<usize, String> {
        v.parse::<usize>()
            .map_err(|_| format!("{v}: invalid {what}"))
    };
    let mut req = Request {
        delimiter: b'\n',
        count: 0,
        origin: None,
        skip: 0,
        strip: false,
        fd: 0,
        callback: None,
        quantum: 5000,
        array: "MAPFILE".to_string(),
    };
    for (letter, value) in opts {
        let value = value.unwrap_or_default();
        match letter {
            'd' => req.delimiter = crate::bytes::encode(&value).first().copied().unwrap_or(0),
            'n' => req.count = number(&value, "line count")?,
            'O' => req.origin = Some(number(&value, "array origin")?),
            's' => req.skip = number(&value, "line count")?,
            't' => req.strip = true,
            'u' => {
                req.fd = value
                    .parse()
                    .map_err(|_| format!("{value}: invalid file descriptor specification"))?;
                if sh.raw_fd(req.fd).is_none() {
                    return Err(format!(
                        "{value}: invalid file descriptor: Bad file descriptor"
                    ));
                }
            }
            'C' => req.callback = Some(value),
            'c' => req.quantum = number(&value, "callback quantum")?.max(1),
            _ => {}
        }
    }
    match &args[first..] {
        [] => {}
        [name] if crate::expand::is_name(name) => req.array = name.clone(),
        [name] if name.is_empty() => return Err("empty array variable name".to_string()),
        [name] => return Err(format!("`{name}': not a valid identifier")),
        _ => return Err("too many arguments".to_string()),
    }
    Ok(req)
}

/// `mapfile [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd]
/// [-C callback [-c quantum]] [array]`.
pub fn mapfile(sh: &mut Shell, argv: &[String]) -> Status {
    let req = match parse(sh, &argv[1..]) {
        Ok(req) => req,
        Err(msg) if msg.ends_with("option") || msg.ends_with("argument") => {
            return sh.builtin_error(&argv[0], &format!("{msg}\n{USAGE}"), 2);
        }
        Err(msg) => return sh.builtin_error(&argv[0], &msg, 1),
    };
    let Some(fd) = sh.raw_fd(req.fd) else {
        let msg = format!("{}: invalid file descriptor: Bad file descriptor", req.fd);
        return sh.builtin_error(&argv[0], &msg, 1);
    };
    let records = read_records(fd, &req);
    if req.origin.is_none() {
        let empty = Array::Indexed(Default::default());
        if let Err(e) = sh.state.vars.set_array(&req.array, empty) {
            return sh.builtin_error(&argv[0], &e.to_string(), 1);
        }
    }
    let origin = req.origin.unwrap_or(0);
    for (n, record) in records.into_iter().enumerate() {
        let index = origin + n;
        let mut record = record;
        // A shell value ends at a NUL (bash: `-d ''` keeps no delimiter).
        if let Some(nul) = record.iter().position(|&b| b == 0) {
            record.truncate(nul);
        }
        let value = crate::bytes::decode_vec(record);
        if let Some(callback) = &req.callback
            && (n + 1) % req.quantum == 0
        {
            let quoted = crate::parser::unparse::quote(&value);
            sh.run_source_text(&format!("{callback} {index} {quoted}\n"))?;
        }
        let key = ArrayKey::Index(index as i64);
        if let Err(e) = sh.state.vars.set_element(&req.array, key, value) {
            return sh.builtin_error(&argv[0], &e.to_string(), 1);
        }
    }
    Ok(0)
}

/// The records after the skipped ones, each with its delimiter unless
/// `-t`. With a count, input is read a byte at a time so that nothing
/// after the last record is consumed.
fn read_records(fd: RawFd, req: &Request) -> Vec<Vec<u8>> {
    let mut records = Vec::new();
    let mut current = Vec::new();
    let mut seen = 0;
    let mut chunk = vec![0u8; if req.count > 0 { 1 } else { 64 * 1024 }];
    loop {
        let n = match syscalls::read(fd, &mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        for &b in &chunk[..n] {
            current.push(b);
            if b != req.delimiter {
                continue;
            }
            if req.strip {
                current.pop();
            }
            seen += 1;
            if seen > req.skip {
                records.push(std::mem::take(&mut current));
            } else {
                current.clear();
            }
            if req.count > 0 && records.len() == req.count {
                return records;
            }
        }
    }
    if !current.is_empty() && seen >= req.skip {
        records.push(current);
    }
    records
}
