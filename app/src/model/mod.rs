//! The pure domain: no I/O, no web framework, no database. Compiled for the server and the
//! browser alike, and unit-tested here.

mod framework;
mod ids;

pub use framework::{
    CareFunction, Category, Framework, FrameworkError, FrameworkSummary,
};
pub use ids::{CategoryId, FrameworkId, FunctionId, IdError};
