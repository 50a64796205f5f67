//! `lmp serve`: build the site into memory, serve it on loopback, watch the site and theme folders,
//! rebuild on change and live-reload the browser; on a failed rebuild keep serving the last good
//! site and show the diagnostics as an overlay in the browser and in the terminal.
//!
//! Threads: the main thread waits for Ctrl-C; an accept thread and a fixed pool of connection
//! threads answer requests from the last good build (an `Arc` swapped on success, see [`state`];
//! the limits that keep requests from exhausting it are in [`server`]); the watcher (notify) sends batches of changed paths to the builder thread, which
//! debounces them and rebuilds incrementally (no lock held; see [`crate::incremental`]): it
//! publishes the pages first (the reload signal), then the search index.
//! The live-reload script is added to HTML responses only, never to what `lmp build` writes.

mod http;
mod server;
mod state;
mod watch;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, TcpListener};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};

use crate::diagnostics::{self, Diagnostic, Format};
use crate::incremental::Incremental;
use crate::site::{self, Options};
use crate::util::Date;
use state::{Change, Shared};

/// The port tried first when `--port` is not given; the next ones are tried when it is busy.
const DEFAULT_PORT: u16 = 1111;
const PORTS_TRIED: u16 = 20;
/// A burst of changes ends when this long passes without another.
const QUIET: Duration = Duration::from_millis(20);
/// ... or at the latest this long after its first change.
const MAX_WAIT: Duration = Duration::from_millis(500);
/// A changed file found empty is looked at again for this long before a rebuild reports it (an
/// editor saving in place empties it first; see [`watch::settle`]).
const EMPTY_WAIT: Duration = Duration::from_millis(500);

/// What `lmp serve` is asked to do (the command line's `serve` arguments, parsed).
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    /// What to build (`base_url` is `--base-url`, kept over config.yaml's on every rebuild).
    pub build: Options,
    /// Port to listen on (`None`: 1111 or the next free one; 0: any free port).
    pub port: Option<u16>,
    /// Address to bind.
    pub bind: String,
    /// Open the site in the default browser.
    pub open: bool,
}

pub(crate) fn run(args: &ServeOptions, quiet: bool) -> Result<ExitCode> {
    // First, so that Ctrl-C during the first build also stops cleanly.
    let (stop_tx, stop_rx) = std::sync::mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    }) {
        log::warn!("could not handle Ctrl-C: {e}");
    }
    let ip = parse_bind(&args.bind)?;
    // `::ffff:127.0.0.1` is loopback too (an IPv4 address written the IPv6 way).
    let loopback = ip.to_canonical().is_loopback();
    if !loopback {
        eprintln!(
            "warning: --bind {ip} is not a loopback address: anyone who can reach this machine \
             can read the site{}",
            if args.build.drafts {
                ", drafts included"
            } else {
                ""
            }
        );
    }
    // The image cache (and serve's scratch files) never go into the site or theme folders.
    if let Ok(cfg) = site::load_config(&args.build) {
        let cache = crate::media::cache_dir(&args.build.site_dir, cfg.cache_dir.as_deref());
        crate::fsx::output::check_cache(&cache, &args.build.site_dir, &[])?;
    }
    let listener = bind(ip, args.port)?;
    let port = listener
        .local_addr()
        .context("could not read the listening address")?
        .port();
    if ip.is_unspecified() {
        // QA Q78: only the loopback URL was printed, not where other machines reach the site.
        eprintln!("{}", every_interface_line(ip, port));
    }

    let builder = Builder {
        opts: args.build.clone(),
        explicit_base: args.build.base_url.clone(),
        origin: format!("http://{}:{port}", url_host(ip)),
        quiet,
        printed: Default::default(),
    };
    let shared = Arc::new(Shared::new());
    let mut inc = Incremental::new(builder.opts.clone());

    // Watch before the first build (QA Q134): a file saved while it runs (a new story, an edit,
    // photos still being copied) is queued and rebuilt right after it. Watching only after it
    // lost those saves: the preview stayed stale, or answered 503 after a first build that
    // failed on a half-copied folder, until some other save.
    let (tx, rx) = std::sync::mpsc::channel();
    let output_dir = crate::fsx::absolute(&PathBuf::from("public"));
    let mut watch = match watch::Watch::new(vec![output_dir], tx.clone()) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!(
                "warning: could not watch the site ({e}): serving without rebuilds; restart \
                 lmp serve to see changes"
            );
            None
        }
    };
    let mut roots = vec![args.build.site_dir.clone()];
    if let Some(parent) = crate::fsx::absolute(&args.build.site_dir).parent() {
        let themes = parent.join("themes");
        if themes.is_dir() {
            roots.push(themes);
        }
    }
    if let Some(w) = watch.as_mut() {
        w.add(&roots);
    }

    // Freed memory back to the system at once (see `memory::return_at_once`: the search
    // index's peak after an edit at 100,000 documents was memory already freed).
    crate::memory::return_at_once();
    let first = builder.rebuild(&mut inc, &shared, &[], true);
    crate::memory::release();
    let url = format!("{}{}", builder.origin, shared.site().base_path);

    let ctx = Arc::new(http::Ctx {
        shared: shared.clone(),
        polls: AtomicUsize::new(0),
        wake: tx,
        loopback,
        origin: builder.origin.clone(),
    });
    let handler: server::Handler = Arc::new(move |req: &server::Request| http::handle(req, &ctx));
    server::start(listener, handler, server::Limits::default())
        .map_err(|e| anyhow!("could not start the HTTP server: {e}"))?;

    // What the first build read outside those folders (`add` skips what is watched already).
    if let (Some(w), Some(inputs)) = (watch.as_mut(), &first) {
        w.add(inputs);
    }
    let b = builder.clone();
    let sh = shared.clone();
    std::thread::Builder::new()
        .name("lmp-build".into())
        .spawn(move || {
            let mut queued = None;
            while let Some(mut changed) = watch::collect(&rx, QUIET, MAX_WAIT, queued.take()) {
                watch::settle(&rx, &mut changed, QUIET, EMPTY_WAIT);
                b.announce(&changed);
                if let Some(w) = watch.as_mut() {
                    w.rewatch(&changed);
                }
                let changed: Vec<PathBuf> = changed.into_iter().collect();
                // A file served from disk is gone (the image cache deleted, QA s7 Q106): the
                // static files and images are looked at again, what is missing is made again.
                let gone = sh.take_gone();
                if gone {
                    inc.theme_changed();
                }
                let inputs = b.rebuild(&mut inc, &sh, &changed, false);
                if gone && inputs.is_some() {
                    sh.reload_pages();
                }
                if let (Some(inputs), Some(w)) = (&inputs, watch.as_mut()) {
                    w.add(inputs);
                }
                // The search index of these pages, unless the author saved again meanwhile: then
                // the next rebuild comes first and its index replaces this one.
                match rx.try_recv() {
                    Ok(batch) => queued = Some(batch),
                    Err(_) if inputs.is_some() => {
                        // What the pages' rebuild freed goes back to the system before the
                        // index allocates its own, as before the first index (issue 15: at
                        // 100,000 documents an edit's index started ~70 MiB above what the
                        // server holds, and its positions step was the peak, 1,560-1,569 MiB).
                        crate::memory::release();
                        b.publish_search(&mut inc, &sh)
                    }
                    Err(_) => {}
                }
                if queued.is_none() {
                    crate::memory::release();
                }
            }
        })
        .context("could not start the builder thread")?;

    println!("Serving the site at {url} (Ctrl-C to stop)");
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    if args.open {
        open_browser(&url);
    }

    if stop_rx.recv().is_err() {
        // No Ctrl-C handler: serve until the process is killed.
        loop {
            std::thread::park();
        }
    }
    if !quiet {
        eprintln!("Stopped serving.");
    }
    Ok(ExitCode::SUCCESS)
}

/// `--bind`: an IP address (`127.0.0.1`, `::1`, `[::1]`, `0.0.0.0`) or `localhost`.
fn parse_bind(s: &str) -> Result<IpAddr> {
    let t = s.trim().trim_start_matches('[').trim_end_matches(']');
    if t.eq_ignore_ascii_case("localhost") {
        return Ok(Ipv4Addr::LOCALHOST.into());
    }
    t.parse::<IpAddr>().map_err(|_| {
        if let Ok(a) = s.trim().parse::<std::net::SocketAddr>() {
            return anyhow!(
                "--bind {s}: --bind takes an address without a port: use --bind {} --port {}",
                a.ip(),
                a.port()
            );
        }
        anyhow!(
            "--bind {s}: not an IP address (use 127.0.0.1, ::1, or 0.0.0.0 for every interface)"
        )
    })
}

/// Why listening on `ip` port `p` failed, in plain words.
fn listen_error(ip: IpAddr, p: u16, e: &std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::AddrNotAvailable {
        return anyhow!(
            "could not listen on {ip} port {p}: {ip} is not an address of this machine; \
             use 127.0.0.1 (this machine only), or 0.0.0.0 for every network interface"
        );
    }
    anyhow!("could not listen on {ip} port {p}: {e}")
}

/// What `--bind 0.0.0.0` (or `::`) listens on, for the terminal: this machine's loopback URL
/// and its address on the network (that of the route to the internet, found without sending
/// anything), where other machines reach the site.
fn every_interface_line(ip: IpAddr, port: u16) -> String {
    let mut urls = vec![format!("http://{}:{port}/", url_host(ip))];
    let probes: &[(&str, &str)] = match ip {
        IpAddr::V4(_) => &[("0.0.0.0:0", "192.0.2.1:9")],
        // An IPv6 wildcard also takes IPv4 connections where the system allows it (Linux does).
        IpAddr::V6(_) => &[("[::]:0", "[2001:db8::1]:9"), ("0.0.0.0:0", "192.0.2.1:9")],
    };
    for (local, remote) in probes {
        let found = std::net::UdpSocket::bind(local)
            .and_then(|s| s.connect(remote).map(|()| s))
            .and_then(|s| s.local_addr());
        if let Ok(a) = found
            && !a.ip().is_unspecified()
            && !a.ip().is_loopback()
        {
            urls.push(format!("http://{}:{port}/", url_host(a.ip())));
        }
    }
    if urls.len() == 1 {
        format!(
            "Listening on every network interface at port {port}: {} on this machine (its network address could not be found: other machines use http://<this machine's address>:{port}/)",
            urls[0]
        )
    } else {
        format!(
            "Listening on every network interface at port {port}: {} on this machine, {} from other machines",
            urls[0],
            urls[1..].join(" or ")
        )
    }
}

/// The host part of the URLs we print and build the site with.
fn url_host(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => "127.0.0.1".into(),
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) if v6.is_unspecified() => format!("[{}]", Ipv6Addr::LOCALHOST),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// Listen on the port asked for (an error naming it when it is busy), or on 1111 or the next free
/// port when none was asked for.
fn bind(ip: IpAddr, port: Option<u16>) -> Result<TcpListener> {
    let busy = |e: &std::io::Error| e.kind() == std::io::ErrorKind::AddrInUse;
    match port {
        Some(p) => TcpListener::bind((ip, p)).map_err(|e| {
            if busy(&e) {
                anyhow!(
                    "port {p} is already in use on {ip} (is another lmp serve running?); \
                     pass another port with --port, or --port 0 for any free one"
                )
            } else {
                listen_error(ip, p, &e)
            }
        }),
        None => {
            for p in DEFAULT_PORT..DEFAULT_PORT + PORTS_TRIED {
                match TcpListener::bind((ip, p)) {
                    Ok(l) => {
                        if p != DEFAULT_PORT {
                            eprintln!("Port {DEFAULT_PORT} is in use; serving on port {p} instead");
                        }
                        return Ok(l);
                    }
                    Err(e) if busy(&e) => continue,
                    Err(e) => return Err(listen_error(ip, p, &e)),
                }
            }
            bail!(
                "ports {DEFAULT_PORT} to {} are all in use on {ip}; pass a free port with --port \
                 (or --port 0 for any free one)",
                DEFAULT_PORT + PORTS_TRIED - 1
            )
        }
    }
}

/// How to build the site for serving.
#[derive(Debug, Clone)]
struct Builder {
    opts: Options,
    /// `--base-url`, whose path (if any) the site is served under.
    explicit_base: Option<String>,
    /// `http://127.0.0.1:PORT`.
    origin: String,
    quiet: bool,
    /// The warnings printed since serve started (digests of their text): a rebuild prints only
    /// the others (see [`Builder::unseen`]). Kept across a build that stops before its
    /// warnings (a config.yaml that does not read).
    printed: Arc<std::sync::Mutex<std::collections::HashSet<u128>>>,
}

impl Builder {
    /// The path the site is served under: that of `--base-url`, else of config.yaml's `base_url`
    /// (read again before each build, since config.yaml may change).
    fn base_path(&self) -> String {
        let from_config = || {
            let mut o = self.opts.clone();
            o.base_url = None;
            site::load_config(&o).ok().map(|c| c.base_path)
        };
        let p = match &self.explicit_base {
            Some(u) => crate::config::normalize_base_url(u).ok().map(|(_, p)| p),
            None => from_config(),
        };
        p.unwrap_or_else(|| "/".into())
    }

    /// `diags` without the warnings printed before (QA s14: a 10,000-document site with 1,908
    /// warnings printed their 11,450 lines after every save, burying the one message about
    /// the file just saved), and how many were left out. Errors are always kept; a warning
    /// that moved (its line, its text) is new. The browser's overlay and `lmp check` still
    /// have every one.
    fn unseen(&self, diags: &[Diagnostic]) -> (Vec<Diagnostic>, usize) {
        let mut printed = self.printed.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = Vec::with_capacity(diags.len());
        let mut left_out = 0;
        for d in diags {
            if d.is_error() {
                out.push(d.clone());
                continue;
            }
            let digest = xxhash_rust::xxh3::xxh3_128(d.render_human().as_bytes());
            if printed.insert(digest) {
                out.push(d.clone());
            } else {
                left_out += 1;
            }
        }
        (out, left_out)
    }

    /// Print `diags` but for the warnings printed before, and a line counting those.
    fn print_unseen(&self, diags: &[Diagnostic]) {
        let (shown, left_out) = self.unseen(diags);
        if !shown.is_empty() {
            eprint!("{}", diagnostics::render_all(&shown, Format::Human));
        }
        if left_out > 0 {
            eprintln!(
                "{left_out} warning{} printed before {} not shown again (`lmp check` lists every one)",
                plural(left_out),
                if left_out == 1 { "is" } else { "are" }
            );
        }
    }

    fn announce(&self, changed: &std::collections::BTreeSet<PathBuf>) {
        // An empty batch: the HTTP side found a file gone (see `Shared::report_gone`).
        if self.quiet || changed.is_empty() {
            return;
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        let mut names = changed
            .iter()
            .map(|p| p.strip_prefix(&cwd).unwrap_or(p).display().to_string())
            .map(|n| diagnostics::escape_controls(&n));
        let first = names.next().unwrap_or_default();
        let more = changed.len().saturating_sub(1);
        if more > 0 {
            eprintln!("Changed: {first} and {more} more");
        } else {
            eprintln!("Changed: {first}");
        }
    }

    /// Build and publish (the first build: everything at once; later ones: the pages only, the
    /// caller then publishes the search index); on success returns the folders the build read
    /// (to watch).
    fn rebuild(
        &self,
        inc: &mut Incremental,
        shared: &Shared,
        changed: &[PathBuf],
        first: bool,
    ) -> Option<Vec<PathBuf>> {
        let started = Instant::now();
        let cpu_before = crate::site::Probe::now();
        let base_path = self.base_path();
        let mut opts = self.opts.clone();
        opts.base_url = Some(format!("{}{}", self.origin, base_path));
        opts.today = Date::today();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if first {
                inc.rebuild_then(&opts, changed, &crate::memory::release)
            } else {
                inc.rebuild_pages(&opts, changed)
            }
        }));
        let ms = started.elapsed().as_millis();
        match result {
            Ok(Ok(built)) => {
                if !self.quiet {
                    self.print_unseen(&built.warnings);
                }
                // The same stage table as `lmp -v build`, CPU and peak RSS included (QA Q56).
                crate::site::log_stages(&built, cpu_before);
                let inputs = built.inputs.clone();
                let pages = built.pages;
                let counts = counts_line(&built);
                let change = shared.publish_ok(built.files, built.disk, base_path);
                if !self.quiet {
                    if first {
                        eprintln!("Built {pages} pages ({counts}) in {ms} ms");
                    } else {
                        let what = match change {
                            Change::Nothing => "no output changed".to_string(),
                            Change::CssOnly(n) => {
                                format!("{n} stylesheet{} changed, swapping it in", plural(n))
                            }
                            Change::Pages(n) => {
                                format!("{n} file{} changed, reloading", plural(n))
                            }
                        };
                        eprintln!("Rebuilt in {ms} ms: {what}");
                    }
                }
                Some(inputs)
            }
            Ok(Err(failed)) => {
                self.print_unseen(&failed.diagnostics);
                if let Some(o) = diagnostics::overview(&failed.diagnostics) {
                    eprint!("{o}");
                }
                let errors = failed.diagnostics.iter().filter(|d| d.is_error()).count();
                eprintln!(
                    "Build failed: {errors} error{}; {}",
                    plural(errors),
                    if first {
                        "fix it and the browser will show the site"
                    } else {
                        "still serving the last good build"
                    }
                );
                shared.publish_errors(&failed.diagnostics);
                None
            }
            Err(panic) => {
                let msg = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "unknown panic".into());
                let d = Diagnostic::error(
                    &self.opts.site_dir,
                    0,
                    0,
                    format!("internal error: the build panicked: {msg}"),
                )
                .with_help("this is a bug in lmp; please report it with the file you changed");
                eprint!("{}", d.render_human());
                shared.publish_errors(&[d]);
                None
            }
        }
    }
}

impl Builder {
    /// Build the search index of the pages just published and swap it in.
    fn publish_search(&self, inc: &mut Incremental, shared: &Shared) {
        let started = Instant::now();
        let before: Vec<String> = inc.search_keys().cloned().collect();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inc.search()));
        match result {
            Ok(Some((files, disk))) => {
                shared.publish_search(&before, files, disk);
                log::info!(
                    "search index rebuilt in {} ms",
                    started.elapsed().as_millis()
                );
            }
            Ok(None) => {}
            Err(_) => {
                let d = Diagnostic::error(
                    &self.opts.site_dir,
                    0,
                    0,
                    "internal error: building the search index panicked",
                )
                .with_help("this is a bug in lmp; please report it with the file you changed");
                eprint!("{}", d.render_human());
                shared.publish_errors(&[d]);
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn counts_line(b: &site::Built) -> String {
    b.counts
        .iter()
        .map(|(c, n)| {
            let name = if *n == 1 { c.singular() } else { c.name() };
            format!("{n} {name}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `--open`: the system's way to open a URL; a failure is only a warning.
fn open_browser(url: &str) {
    let (cmd, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let spawned = std::process::Command::new(cmd)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("warning: could not open a browser ({cmd}: {e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_addresses() {
        assert_eq!(parse_bind("127.0.0.1").unwrap(), Ipv4Addr::LOCALHOST);
        assert_eq!(parse_bind("[::1]").unwrap(), Ipv6Addr::LOCALHOST);
        assert_eq!(parse_bind("localhost").unwrap(), Ipv4Addr::LOCALHOST);
        assert!(parse_bind("example.org").is_err());
        let e = parse_bind("127.0.0.1:8080").unwrap_err().to_string();
        assert!(e.contains("use --bind 127.0.0.1 --port 8080"), "{e}");
        assert_eq!(url_host("0.0.0.0".parse().unwrap()), "127.0.0.1");
        assert_eq!(url_host("::".parse().unwrap()), "[::1]");
        assert_eq!(url_host("::1".parse().unwrap()), "[::1]");
    }

    #[test]
    fn a_busy_port_is_named() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let p = l.local_addr().unwrap().port();
        let e = bind(Ipv4Addr::LOCALHOST.into(), Some(p)).unwrap_err();
        assert!(
            e.to_string()
                .contains(&format!("port {p} is already in use"))
        );
    }
}
