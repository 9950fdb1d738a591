//! Sources: where raw inputs come from. They read bytes and never interpret them.

pub mod fetch;
pub mod files;
pub mod stdin;
