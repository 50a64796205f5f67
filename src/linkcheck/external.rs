//! `lmp check --external`: the outbound `http(s)` links of the build checked over HTTP (the only
//! module naming `ureq`). Each URL is asked once, `HEAD` first and `GET` when the server refuses
//! `HEAD`; a few workers share the work with at most [`Options::per_host`] requests in flight per
//! host and [`Options::delay`] between two requests to one host. Network errors, timeouts and
//! `5xx` answers are retried with a doubling backoff; a `429` waits as long as its `Retry-After`
//! asks (seconds or an HTTP date, up to [`Options::max_wait`]), and holds back every request to that host meanwhile.
//! Redirects are followed by hand, so a permanent one (`301`, `308`) is reported with its target
//! and a loop is caught. Results that do not change from one minute to the next (success, a
//! redirect, a `4xx`) are kept in `links.json` in the cache folder (`cache_dir` of config.yaml, or
//! `$LMP_CACHE_DIR`, else `.lmp-cache/`) for
//! [`Options::max_age`], so a second run within that time makes no request for them.
//!
//! Every problem is a warning at each `file:line:col` (or page) where the link is written;
//! `--strict` makes them errors.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::Outbound;
use crate::diagnostics::{Diagnostic, Severity};

/// How the check behaves; [`Options::default`] is what `lmp check --external` uses.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Requests in flight at once to one host.
    pub per_host: usize,
    /// Time between the start of two requests to one host (politeness).
    pub delay: Duration,
    /// Longest time one request may take (connection, headers and all).
    pub timeout: Duration,
    /// Retries after a network error, a timeout, a `5xx` or a `429`.
    pub retries: u32,
    /// Wait before the first retry; doubled for each next one.
    pub backoff: Duration,
    /// Longest `Retry-After` honoured; a longer one reports the link as rate limited.
    pub max_wait: Duration,
    /// Workers (requests in flight over all hosts).
    pub workers: usize,
    /// The results file (`.lmp-cache/links.json`), or none to keep nothing.
    pub cache: Option<PathBuf>,
    /// How long a kept result is trusted.
    pub max_age: Duration,
    /// Whether `HTTP(S)_PROXY` from the environment is used (off in tests).
    pub env_proxy: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            per_host: 2,
            delay: Duration::from_millis(250),
            timeout: Duration::from_secs(15),
            retries: 2,
            backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(60),
            workers: 8,
            cache: None,
            max_age: Duration::from_secs(24 * 3600),
            env_proxy: true,
        }
    }
}

/// What checking one URL found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Outcome {
    /// A `2xx` answer (after temporary redirects, if any).
    Ok,
    /// A permanent redirect (`301`, `308`) on the way to a `2xx` answer at `to`.
    Moved { to: String },
    /// An error status (after retries, for those worth retrying).
    Dead { status: u16 },
    /// No answer worth a status: a network error, a timeout, a redirect loop, rate limited.
    Failed { reason: String },
}

impl Outcome {
    /// Whether the result may change from one minute to the next (never kept in the cache).
    fn transient(&self) -> bool {
        match self {
            Outcome::Ok | Outcome::Moved { .. } => false,
            Outcome::Dead { status } => *status >= 500 || *status == 429 || *status == 408,
            Outcome::Failed { .. } => true,
        }
    }
}

/// What the check did: the diagnostics (warnings, or errors when `strict`) and how many URLs
/// were asked over the network and taken from the cache.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub checked: usize,
    pub cached: usize,
}

/// Check every outbound link; each problem is reported at every place the link is written.
pub(crate) fn check_external(links: &[Outbound], opts: &Options, strict: bool) -> Report {
    let now = unix_now();
    let mut cache = opts
        .cache
        .as_ref()
        .map(|p| Cache::load(p))
        .unwrap_or_default();
    let max_age = opts.max_age.as_secs();
    let mut outcomes: Vec<Option<Outcome>> = links
        .iter()
        .map(|l| {
            cache
                .entries
                .get(&l.url)
                .filter(|e| now.saturating_sub(e.checked) < max_age && e.checked <= now)
                .map(|e| e.outcome.clone())
        })
        .collect();
    let todo: Vec<usize> = (0..links.len())
        .filter(|&i| outcomes.get(i).is_some_and(Option::is_none))
        .collect();
    let cached = links.len() - todo.len();
    let fresh = Checker::new(opts).run(todo.iter().filter_map(|&i| links.get(i)).map(|l| &*l.url));
    for (&i, outcome) in todo.iter().zip(fresh) {
        if let Some(link) = links.get(i) {
            if !outcome.transient() {
                cache.entries.insert(
                    link.url.clone(),
                    Entry {
                        checked: now,
                        outcome: outcome.clone(),
                    },
                );
            }
            if let Some(slot) = outcomes.get_mut(i) {
                *slot = Some(outcome);
            }
        }
    }
    if let Some(path) = &opts.cache {
        cache
            .entries
            .retain(|_, e| now.saturating_sub(e.checked) < max_age);
        if let Err(e) = cache.save(path) {
            log::warn!("could not keep the link check's results: {e:#}");
        }
    }
    let mut diagnostics = Vec::new();
    for (link, outcome) in links.iter().zip(outcomes) {
        let Some((message, help)) = outcome.as_ref().and_then(|o| describe(&link.url, o)) else {
            continue;
        };
        for at in &link.at {
            let mut d = at.clone();
            d.message = message.clone();
            d.help = Some(help.clone());
            d.severity = if strict {
                Severity::Error
            } else {
                Severity::Warning
            };
            diagnostics.push(d);
        }
    }
    crate::diagnostics::sort(&mut diagnostics);
    Report {
        diagnostics,
        checked: todo.len(),
        cached,
    }
}

/// The message and help for a link whose check found a problem.
fn describe(url: &str, outcome: &Outcome) -> Option<(String, String)> {
    Some(match outcome {
        Outcome::Ok => return None,
        Outcome::Moved { to } => (
            format!("link to {url} is permanently redirected to {to}"),
            format!("write `{to}` so readers go there directly"),
        ),
        Outcome::Dead { status } => (
            format!("dead link: {url} answers {status} {}", reason(*status)),
            if *status >= 500 || *status == 429 {
                "the site may be down for now: check the link again later, or link elsewhere"
                    .to_string()
            } else {
                "the page is gone or moved: find its new address, or remove the link".to_string()
            },
        ),
        Outcome::Failed { reason } => (
            format!("link to {url} could not be checked: {reason}"),
            "check the address in a browser; if the site is down for now, check again later"
                .to_string(),
        ),
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "(Bad Request)",
        401 => "(Unauthorized)",
        403 => "(Forbidden)",
        404 => "(Not Found)",
        405 => "(Method Not Allowed)",
        408 => "(Request Timeout)",
        410 => "(Gone)",
        429 => "(Too Many Requests)",
        500 => "(Internal Server Error)",
        502 => "(Bad Gateway)",
        503 => "(Service Unavailable)",
        504 => "(Gateway Timeout)",
        _ => "",
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The results kept between runs.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    version: u32,
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    /// When it was checked (seconds since 1970).
    checked: u64,
    outcome: Outcome,
}

const CACHE_VERSION: u32 = 1;

impl Cache {
    /// The kept results, or none when the file is missing, unreadable or of another version.
    fn load(path: &std::path::Path) -> Cache {
        crate::fsx::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Cache>(&b).ok())
            .filter(|c| c.version == CACHE_VERSION)
            .unwrap_or_default()
    }

    fn save(&mut self, path: &std::path::Path) -> anyhow::Result<()> {
        self.version = CACHE_VERSION;
        let mut json = serde_json::to_vec_pretty(self)?;
        json.push(b'\n');
        crate::fsx::write_replacing(path, &json)
    }
}

/// One answer: its status and, for a redirect, where it leads.
struct Answer {
    status: u16,
    location: Option<String>,
    retry_after: Option<Duration>,
}

/// Most redirects followed for one link.
const MAX_HOPS: usize = 10;

struct Checker<'o> {
    opts: &'o Options,
    agent: ureq::Agent,
    hosts: Hosts,
}

impl<'o> Checker<'o> {
    fn new(opts: &'o Options) -> Self {
        let mut config = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(concat!("lmp-linkcheck/", env!("CARGO_PKG_VERSION")));
        if !opts.env_proxy {
            config = config.proxy(None);
        }
        Checker {
            opts,
            agent: config.build().into(),
            hosts: Hosts::default(),
        }
    }

    /// The outcome of each URL, in order.
    fn run<'u>(&self, urls: impl Iterator<Item = &'u str>) -> Vec<Outcome> {
        let urls: Vec<&str> = urls.collect();
        let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; urls.len()]);
        let next = AtomicUsize::new(0);
        let workers = self.opts.workers.clamp(1, urls.len().max(1));
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(url) = urls.get(i) else { break };
                        let outcome = self.check(url);
                        if let Some(slot) = lock(&results).get_mut(i) {
                            *slot = Some(outcome);
                        }
                    }
                });
            }
        });
        results
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .map(|o| {
                o.unwrap_or(Outcome::Failed {
                    reason: "not checked".to_string(),
                })
            })
            .collect()
    }

    /// Follow `url` through its redirects to an outcome.
    fn check(&self, url: &str) -> Outcome {
        let mut current = url.to_string();
        let mut seen = vec![current.clone()];
        let mut moved = false;
        loop {
            let answer = match self.ask(&current) {
                Ok(a) => a,
                Err(reason) => return Outcome::Failed { reason },
            };
            match answer.status {
                200..=299 if moved => return Outcome::Moved { to: current },
                200..=299 => return Outcome::Ok,
                300..=399 if answer.location.is_some() => {
                    let loc = answer.location.unwrap_or_default();
                    let Some(next) = url::Url::parse(&current)
                        .ok()
                        .and_then(|base| base.join(&loc).ok())
                    else {
                        return Outcome::Failed {
                            reason: format!("redirect to an invalid address `{loc}`"),
                        };
                    };
                    let next = next.to_string();
                    moved |= matches!(answer.status, 301 | 308);
                    // QA s9 Q133: only an address met again is a loop; a long chain of
                    // distinct ones is too many redirects.
                    if seen.contains(&next) {
                        seen.push(next);
                        return Outcome::Failed {
                            reason: format!("redirect loop: {}", seen.join(" → ")),
                        };
                    }
                    if seen.len() > MAX_HOPS {
                        return Outcome::Failed {
                            reason: format!(
                                "too many redirects ({}, lmp follows {MAX_HOPS}): {} → … → {next}",
                                seen.len(),
                                seen[0]
                            ),
                        };
                    }
                    seen.push(next.clone());
                    current = next;
                }
                429 => {
                    return Outcome::Failed {
                        reason: match answer.retry_after {
                            Some(w) => format!(
                                "rate limited: the host asks to wait {} s (Retry-After)",
                                w.as_secs()
                            ),
                            None => "rate limited (429 Too Many Requests)".to_string(),
                        },
                    };
                }
                status => return Outcome::Dead { status },
            }
        }
    }

    /// One URL's answer, `HEAD` then `GET`, with retries.
    fn ask(&self, url: &str) -> Result<Answer, String> {
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| {
                u.host_str()
                    .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))
            })
            .ok_or_else(|| "not a valid http(s) address".to_string())?;
        let mut attempt = 0;
        loop {
            let mut result = self.request(&host, url, true);
            // Servers that do not answer HEAD (405, 501, some 403/404): ask with GET.
            if let Ok(a) = &result
                && (matches!(a.status, 400..=499 if a.status != 429) || a.status == 501)
            {
                result = self.request(&host, url, false);
            }
            let wait = match &result {
                Ok(a) if a.status == 429 => match a.retry_after {
                    Some(w) if w > self.opts.max_wait => return result,
                    Some(w) => w,
                    None => self.backoff(attempt),
                },
                Ok(a) if a.status >= 500 => self.backoff(attempt),
                Ok(_) => return result,
                Err(_) => self.backoff(attempt),
            };
            if attempt >= self.opts.retries {
                return result;
            }
            attempt += 1;
            log::debug!("retrying {url} in {} ms", wait.as_millis());
            if result.as_ref().is_ok_and(|a| a.status == 429) {
                // The whole host waits, not only this link.
                self.hosts.hold(&host, Instant::now() + wait);
            } else {
                std::thread::sleep(wait);
            }
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.opts.backoff.saturating_mul(1 << attempt.min(16))
    }

    /// One request, within the host's limits.
    fn request(&self, host: &str, url: &str, head: bool) -> Result<Answer, String> {
        let _slot = self
            .hosts
            .acquire(host, self.opts.per_host.max(1), self.opts.delay);
        let result = if head {
            self.agent.head(url).call()
        } else {
            self.agent.get(url).call()
        };
        match result {
            Ok(resp) => {
                let header = |name: &str| {
                    resp.headers()
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string)
                };
                let answer = Answer {
                    status: resp.status().as_u16(),
                    location: header("location"),
                    retry_after: header("retry-after").and_then(|v| retry_after(&v)),
                };
                if answer.status == 429
                    && let Some(w) = answer.retry_after.filter(|w| *w <= self.opts.max_wait)
                {
                    // Held before this request's slot is given back, so no other request
                    // to the host slips in before the wait.
                    self.hosts.hold(host, Instant::now() + w);
                }
                Ok(answer)
            }
            Err(ureq::Error::Timeout(_)) => Err(format!(
                "no answer within {} s",
                self.opts.timeout.as_secs_f32()
            )),
            Err(e) => Err(plain_error(&e)),
        }
    }
}

/// A failed request in words a site's editor can act on (QA s9 Q133: "protocol: http parse
/// fail: invalid header value"), with the library's words after them for whoever runs the host.
fn plain_error(e: &ureq::Error) -> String {
    use ureq::Error as E;
    let what = match e {
        E::Protocol(_) | E::Http(_) | E::LargeResponseHeader(..) => {
            "the site's answer is not valid HTTP (a header or the status line is malformed): its server is misconfigured"
        }
        E::HostNotFound => "no such host: the domain does not exist (a typo, or the site is gone)",
        E::ConnectionFailed => "the site cannot be reached (it refused the connection or is down)",
        E::BadUri(_) => "not a valid web address",
        E::Tls(_) | E::Rustls(_) | E::Pem(_) | E::TlsRequired => {
            "the secure connection (HTTPS) failed: the site's certificate or setup is wrong"
        }
        E::TooManyRedirects | E::RedirectFailed => "the site's redirects could not be followed",
        E::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => "the site refused the connection",
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
                "the site closed the connection before answering"
            }
            std::io::ErrorKind::UnexpectedEof => "the site closed the connection mid-answer",
            _ => "the connection to the site failed",
        },
        _ => "the site could not be asked",
    };
    format!("{what} (technically: {e})")
}

/// `Retry-After`: a number of seconds, or an HTTP date (RFC 9110: `Sun, 06 Nov 1994 08:49:37 GMT`,
/// or the obsolete `Sunday, 06-Nov-94 08:49:37 GMT` and `Sun Nov  6 08:49:37 1994`), as the
/// time from now (zero for a date already past).
fn retry_after(v: &str) -> Option<Duration> {
    retry_after_at(v, std::time::SystemTime::now())
}

fn retry_after_at(v: &str, now: std::time::SystemTime) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = http_date(v)?;
    let now = now.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Seconds since 1970 of an HTTP date in any of its three forms, or `None`.
fn http_date(v: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = |m: &str| MONTHS.iter().position(|x| *x == m).map(|i| i as u64 + 1);
    let words: Vec<&str> = v.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let (day, mon, year, time): (u64, u64, u64, &str) = match words.as_slice() {
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        [_, d, m, y, t, "GMT"] if y.len() == 4 => (d.parse().ok()?, month(m)?, y.parse().ok()?, *t),
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        [_, dmy, t, "GMT"] => {
            let mut p = dmy.split('-');
            let (d, m, y) = (p.next()?, p.next()?, p.next()?);
            let y: u64 = y.parse().ok()?;
            let y = if y < 70 {
                2000 + y
            } else if y < 100 {
                1900 + y
            } else {
                y
            };
            (d.parse().ok()?, month(m)?, y, *t)
        }
        // asctime: Sun Nov  6 08:49:37 1994
        [_, m, d, t, y] => (d.parse().ok()?, month(m)?, y.parse().ok()?, *t),
        _ => return None,
    };
    let mut hms = time.split(':').map(|x| x.parse::<u64>().ok());
    let (h, mi, s) = (hms.next()??, hms.next()??, hms.next()??);
    if !(1..=31).contains(&day) || year < 1970 || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    // Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    let (y, m) = if mon <= 2 {
        (year - 1, mon + 9)
    } else {
        (year, mon - 3)
    };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = (era * 146_097 + doe).checked_sub(719_468)?;
    Some(days * 86_400 + h * 3600 + mi * 60 + s)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Requests in flight per host, and when the next may start.
#[derive(Default)]
struct Hosts {
    state: Mutex<HashMap<String, Host>>,
    changed: Condvar,
}

struct Host {
    active: usize,
    next: Instant,
}

/// A request slot on a host, given back when dropped.
struct Slot<'h> {
    hosts: &'h Hosts,
    host: String,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if let Some(h) = lock(&self.hosts.state).get_mut(&self.host) {
            h.active = h.active.saturating_sub(1);
        }
        self.hosts.changed.notify_all();
    }
}

impl Hosts {
    /// Wait until `host` has fewer than `limit` requests in flight and its delay has passed.
    fn acquire(&self, host: &str, limit: usize, delay: Duration) -> Slot<'_> {
        let mut state = lock(&self.state);
        loop {
            let now = Instant::now();
            let h = state.entry(host.to_string()).or_insert(Host {
                active: 0,
                next: now,
            });
            let wait = if h.active >= limit {
                Duration::from_secs(1)
            } else if now < h.next {
                h.next - now
            } else {
                h.active += 1;
                h.next = now + delay;
                return Slot {
                    hosts: self,
                    host: host.to_string(),
                };
            };
            state = self
                .changed
                .wait_timeout(state, wait)
                .map_or_else(|e| e.into_inner().0, |(g, _)| g);
        }
    }

    /// No request to `host` starts before `until`.
    fn hold(&self, host: &str, until: Instant) {
        let mut state = lock(&self.state);
        let h = state.entry(host.to_string()).or_insert(Host {
            active: 0,
            next: until,
        });
        h.next = h.next.max(until);
        drop(state);
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests;
