//! Execution: the evaluator, the spawn builder and its backends.
//!
//! [`Shell`] is the execution state; `eval` walks the AST; `simple` and
//! `pipeline` turn commands into spawn plans ([`spawn::Spawn`]) through the
//! fd table ([`fdtable`]), redirections ([`redirect`]) and lowering
//! ([`lower`]); [`backend`] starts them.

pub mod arrays;
pub mod assoc;
mod blocking;
pub mod builtin;
mod cond;
mod context;
pub mod coproc;
pub mod error;
pub mod eval;
pub mod fdtable;
pub(crate) mod handover;
pub mod histexpand;
pub mod history;
pub mod inputrc;
mod io;
pub mod isolate;
mod jobcontrol;
pub mod keybind;
pub mod lookup;
pub mod lower;
mod not_found;
mod peek;
mod pipeline;
pub mod plan;
pub mod primaries;
pub mod prompt;
pub mod random;
pub mod redirect;
mod run;
pub mod scope;
pub mod shopts;
pub mod simple;
pub mod state;
pub mod threads;
mod timing;

pub use state::Shell;
