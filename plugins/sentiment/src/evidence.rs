//! Evidence (stub).
