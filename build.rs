//! Build script: how the `pidsh` executable is linked.
//!
//! Where the C toolchain can, the executable is a static PIE with packed
//! relative relocations: no dynamic loader, no shared C library to map,
//! relocate and bind at every start, and a relocation table of a few
//! hundred bytes instead of about 100 KiB. That takes about a fifth off
//! `pidsh -c true` (see `docs/design.md`, *Start-up*); address-space
//! randomisation, full RELRO and the rest of the release hardening stay.
//!
//! Rust links a GNU-target executable against the shared C library, and
//! `-C target-feature=+crt-static` cannot be set for one crate on stable
//! Cargo without also breaking the procedural macros of dependencies. So
//! the executable's link gets `-static-pie` and a search directory where
//! each library the standard library names (`-lc`, `-lgcc_s`, `-lm`, …)
//! is a linker script naming the static archive. Everything is probed
//! first: a small C program is linked the same way and run, and if
//! anything is missing (no `libc.a`, an old linker or C library, a cross
//! build) the executable is linked as before, dynamically.
//! `PIDSH_LINK=dynamic` leaves the link as Rust makes it: dynamic, with
//! neither the packing nor the ordering below.
//!
//! When Rust links with its own lld, the functions a start runs (listed in
//! `link/startup-symbols.txt`, made by `link/update-startup-symbols.sh`)
//! are placed together at the start of the code: the kernel then maps a
//! handful of pages of code where it mapped (and at exit unmapped) the
//! hundreds its fault-around brought in for code strewn over 3 MiB.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The libraries the standard library asks the linker for on a GNU
/// target, each with the static archives that stand for it.
const LIBRARIES: &[(&str, &[&str])] = &[
    ("c", &["libc.a", "libgcc.a", "libgcc_eh.a"]),
    ("gcc_s", &["libgcc_eh.a", "libgcc.a"]),
    ("m", &["libm.a"]),
    ("util", &["libutil.a"]),
    ("rt", &["librt.a"]),
    ("pthread", &["libpthread.a"]),
    ("dl", &["libdl.a"]),
];

/// Packed relative relocations (`DT_RELR`, glibc 2.36 and later).
const PACKED_RELOCATIONS: &str = "-Wl,-z,pack-relative-relocs";

/// The start-up code's symbols, one per line (see the module comment).
const STARTUP_SYMBOLS: &str = "link/startup-symbols.txt";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={STARTUP_SYMBOLS}");
    println!("cargo:rerun-if-env-changed=PIDSH_LINK");
    println!("cargo:rerun-if-env-changed=CC");
    if !linking_for_this_machine() || env::var("PIDSH_LINK").is_ok_and(|v| v == "dynamic") {
        return;
    }
    let Some(out_dir) = env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    let probe = match Probe::new(&out_dir) {
        Ok(probe) => probe,
        Err(_) => return,
    };
    order_startup_code(&probe, &out_dir);
    if let Some(libs) = static_library_dir(&out_dir)
        && probe.links_and_runs(&["-static-pie", PACKED_RELOCATIONS])
    {
        println!("cargo:rustc-link-arg-bins=-static-pie");
        println!("cargo:rustc-link-arg-bins=-L{}", libs.display());
        println!("cargo:rustc-link-arg-bins={PACKED_RELOCATIONS}");
    } else if probe.links_and_runs(&[PACKED_RELOCATIONS]) {
        println!("cargo:rustc-link-arg-bins={PACKED_RELOCATIONS}");
    }
}

/// Has lld lay the start-up functions out first, when `rustc` links with
/// lld (its default on this target) and lld takes the probe's link.
fn order_startup_code(probe: &Probe, out_dir: &Path) {
    let Some(manifest_dir) = env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        return;
    };
    let symbols = manifest_dir.join(STARTUP_SYMBOLS);
    let Some(lld_dir) = rustc_lld_dir(out_dir) else {
        return;
    };
    let flags = [
        format!("-B{}", lld_dir.display()),
        "-fuse-ld=lld".to_string(),
        format!("-Wl,--symbol-ordering-file={}", symbols.display()),
        "-Wl,--no-warn-symbol-ordering".to_string(),
    ];
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    if symbols.exists() && probe.links_and_runs(&flags) {
        for flag in &flags[2..] {
            println!("cargo:rustc-link-arg-bins={flag}");
        }
    }
}

/// The directory of the `ld.lld` that `rustc` links with, if it links
/// with lld: asked of `rustc` itself, which prints the link command of a
/// small program compiled with the build's own flags.
fn rustc_lld_dir(out_dir: &Path) -> Option<PathBuf> {
    let rustc = env::var_os("RUSTC")?;
    let source = out_dir.join("lld-probe.rs");
    fs::write(&source, "fn main() {}\n").ok()?;
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let out = Command::new(rustc)
        .args(flags.split('\x1f').filter(|f| !f.is_empty()))
        .args(["--print", "link-args", "-o"])
        .arg(out_dir.join("lld-probe"))
        .arg(&source)
        .output()
        .ok()?;
    let command = String::from_utf8(out.stdout).ok()?;
    if !out.status.success() || !command.contains("\"-fuse-ld=lld\"") {
        return None;
    }
    command
        .split_whitespace()
        .filter_map(|arg| arg.trim_matches('"').strip_prefix("-B"))
        .map(PathBuf::from)
        .find(|dir| dir.join("ld.lld").exists())
}

/// Only a native Linux build with the GNU C library: the probe program
/// must run here, and the archive names are glibc's.
fn linking_for_this_machine() -> bool {
    let target = |key: &str| env::var(key).unwrap_or_default();
    target("CARGO_CFG_TARGET_OS") == "linux"
        && target("CARGO_CFG_TARGET_ENV") == "gnu"
        && target("TARGET") == target("HOST")
}

/// The C compiler driver Rust links with.
fn c_compiler() -> String {
    env::var("CC").unwrap_or_else(|_| "cc".to_string())
}

/// A C program that does nothing, compiled once and linked per probe.
struct Probe {
    object: PathBuf,
    program: PathBuf,
}

impl Probe {
    fn new(out_dir: &Path) -> std::io::Result<Probe> {
        let source = out_dir.join("link-probe.c");
        fs::write(&source, "int main(void) { return 0; }\n")?;
        let object = out_dir.join("link-probe.o");
        let compiled = Command::new(c_compiler())
            .args(["-fPIE", "-c", "-o"])
            .arg(&object)
            .arg(&source)
            .output()?;
        if !compiled.status.success() {
            return Err(std::io::Error::other("the C compiler failed"));
        }
        let program = out_dir.join("link-probe");
        Ok(Probe { object, program })
    }

    /// Whether the program links with `flags` and then runs.
    fn links_and_runs(&self, flags: &[&str]) -> bool {
        let linked = Command::new(c_compiler())
            .args(flags)
            .arg("-o")
            .arg(&self.program)
            .arg(&self.object)
            .output();
        linked.is_ok_and(|out| out.status.success())
            && Command::new(&self.program)
                .output()
                .is_ok_and(|out| out.status.success())
    }
}

/// Writes, in a directory of its own, one linker script per library in
/// [`LIBRARIES`], named as the shared library (`libc.so`), that names the
/// static archives instead. `None` when an archive is not installed.
fn static_library_dir(out_dir: &Path) -> Option<PathBuf> {
    let dir = out_dir.join("static-libs");
    fs::create_dir_all(&dir).ok()?;
    for (name, archives) in LIBRARIES {
        let paths = archives
            .iter()
            .map(|archive| archive_path(archive))
            .collect::<Option<Vec<_>>>()?;
        let listed: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let script = format!("GROUP ( {} )\n", listed.join(" "));
        fs::write(dir.join(format!("lib{name}.so")), script).ok()?;
    }
    Some(dir)
}

/// Where the C compiler finds `archive`, or `None` if it does not (it
/// then prints the bare name back).
fn archive_path(archive: &str) -> Option<PathBuf> {
    let out = Command::new(c_compiler())
        .arg(format!("-print-file-name={archive}"))
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    (path.is_absolute() && path.exists()).then_some(path)
}
