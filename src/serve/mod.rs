//! `lmp serve`: build, serve on loopback, watch, rebuild and live-reload.
