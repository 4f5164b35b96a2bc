//! pidsh: a POSIX shell for Linux that never forks.
//!
//! Layers, top to bottom: [`parser`] (text → AST), [`expand`] (words →
//! fields), [`exec`] (the evaluator, the spawn builder and its backends),
//! [`jobs`] (pidfds, waiting, process groups, the terminal), [`builtins`]
//! (functions over the execution state), [`completion`] (bash's
//! programmable completion, without the line editor) and [`interactive`]
//! (the line editor front end). Arrows only point downwards; [`bytes`]
//! (shell text to and from the bytes outside) sits below them all, and
//! [`users`] (the user database, asked through the spawn builder when
//! `/etc/passwd` does not list a user) beside [`jobs`]. [`fuzzing`] holds
//! the entry points the fuzz targets (and their corpus replay) call.

pub mod builtins;
pub mod bytes;
pub mod cli;
pub mod completion;
pub mod escapes;
pub mod exec;
pub mod expand;
pub mod fuzzing;
pub mod interactive;
pub mod jobs;
pub mod parser;
pub mod spawn;
pub mod sys;
pub mod users;
