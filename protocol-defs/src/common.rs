//! Types the v1 protocol borrows from the rest of codex.
