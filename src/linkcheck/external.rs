//! `lmp check --external`: outbound links checked over HTTP (see `check_external`).
