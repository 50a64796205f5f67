//! A minimal stderr logger for the `log` facade: `-q` errors only, default warnings, `-v` info
//! (per-stage timings), `-vv` debug. `LMP_LOG=debug` works too.

struct Logger;

impl log::Log for Logger {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.level() <= log::max_level() && m.target().starts_with("lmp")
    }
    fn log(&self, r: &log::Record<'_>) {
        if self.enabled(r.metadata()) {
            eprintln!("{}", r.args());
        }
    }
    fn flush(&self) {}
}

static LOGGER: Logger = Logger;

pub fn init(verbose: u8, quiet: bool) {
    let from_env = std::env::var("LMP_LOG")
        .ok()
        .and_then(|v| v.parse::<log::LevelFilter>().ok());
    // `-v -q` (QA Q56): the stage table without warnings (the commands leave those out).
    let level = match (quiet, verbose) {
        (true, 0) => log::LevelFilter::Error,
        (_, 0) => from_env.unwrap_or(log::LevelFilter::Warn),
        (_, 1) => log::LevelFilter::Info,
        _ => log::LevelFilter::Debug,
    };
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(level);
    }
}
