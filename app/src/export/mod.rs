//! Files caremap writes for people to take away.

pub mod docx;
