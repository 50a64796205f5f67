//! The command line: one clap-derive `Args` struct per command, each with `run`. Commands print
//! diagnostics and a summary on stderr and return the process exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};

use crate::content::collections::{Collection, Field};
use crate::diagnostics::{self, Diagnostic, Format};
use crate::site::{self, Options};
use crate::util::{Date, slugify};

/// lmp: builds the Labor Management Partnership website from markdown.
#[derive(Debug, Parser)]
#[command(name = "lmp", version, about, propagate_version = true)]
pub struct Cli {
    /// More output (per-stage timings with -v).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors (with -v: and the per-stage timings).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Check everything the build checks, writing nothing.
    Check(CheckArgs),
    /// Build, serve on loopback, rebuild on change and reload the browser.
    Serve(ServeArgs),
    /// Create a new document with its collection's fields.
    New(NewArgs),
    /// Search the built site's index from the terminal.
    Search(SearchArgs),
    /// Print the built-in theme's words in a language (its i18n file), to start a site's own:
    /// `lmp strings en > site/i18n/fr.yaml`, then translate each text.
    Strings(StringsArgs),
}

#[derive(Debug, Args)]
pub(crate) struct StringsArgs {
    /// The language code of the theme's file to print (`en` or `es`).
    #[arg(default_value = "en")]
    pub lang: String,
    /// Print only the strings this file lacks (a site's partial `site/i18n/fr.yaml`), to add
    /// to its end: `lmp strings en --missing site/i18n/fr.yaml >> site/i18n/fr.yaml`.
    #[arg(long, value_name = "FILE")]
    pub missing: Option<PathBuf>,
}

impl StringsArgs {
    pub(crate) fn run(&self) -> Result<ExitCode> {
        match crate::render::theme::builtin_strings(&self.lang) {
            Ok(text) => {
                match &self.missing {
                    Some(file) => print!("{}", crate::render::strings::missing_lines(text, file)?),
                    None => print!("{text}"),
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(codes) => anyhow::bail!(
                "the built-in theme has no words in `{}`; it has: {}",
                self.lang,
                codes.join(", ")
            ),
        }
    }
}

/// Options shared by the commands that build.
#[derive(Debug, Args, Clone)]
pub(crate) struct SiteArgs {
    /// The site folder (with config.yaml).
    #[arg(long, default_value = "site")]
    pub site: PathBuf,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Include documents whose publish_date is in the future.
    #[arg(long)]
    pub future: bool,
    /// Include documents whose expiry_date has passed.
    #[arg(long)]
    pub expired: bool,
    /// Override config.yaml's base_url (e.g. https://example.org/lmp/).
    #[arg(long)]
    pub base_url: Option<String>,
}

impl SiteArgs {
    pub(crate) fn options(&self) -> Options {
        Options {
            site_dir: self.site.clone(),
            drafts: self.drafts,
            future: self.future,
            expired: self.expired,
            base_url: self.base_url.clone(),
            today: Date::today(),
            hashed_assets: false,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The output folder (replaced whole on success; untouched on failure). It must be new,
    /// empty or an earlier output of lmp.
    #[arg(long, short, default_value = "public")]
    pub out: PathBuf,
    /// Replace an output folder that lmp did not create (never the site, the theme, the home
    /// folder or a folder that contains them).
    #[arg(long)]
    pub force: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Warn about documents whose `reviewed:` date is older than this (e.g. 6m, 12m, 1y).
    #[arg(long, value_name = "AGE", value_parser = crate::review::parse_age)]
    pub stale: Option<crate::review::Age>,
    /// Also check outbound http(s) links over the network (dead links and permanent redirects
    /// are warnings; results are kept in links.json in the cache folder for --max-age).
    #[arg(long)]
    pub external: bool,
    /// With --external: its warnings are errors (exit code 1).
    #[arg(long, requires = "external")]
    pub strict: bool,
    /// With --external: how long a kept result is trusted (e.g. 30min, 12h, 1d, 7d; 0 asks again).
    #[arg(long, value_name = "AGE", default_value = "1d", value_parser = parse_max_age, requires = "external")]
    pub max_age: std::time::Duration,
    /// Per language, warn about documents with no translation and translations older than
    /// their original's `updated`/`reviewed` date.
    #[arg(long)]
    pub translations: bool,
    /// How to print diagnostics (json: one object per line; github: Actions annotations).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// What to say when the command line was refused for a word it did not expect (`unexpected`)
/// that is the rest of a value typed without quotes (QA s14): `lmp new story My first story`,
/// `lmp search huddle board`, `lmp check --stale 6 months`. `None` for any other refusal (the
/// command line's own message is then shown). Returns the message and its help.
pub fn unquoted_value(args: &[String], unexpected: &str) -> Option<(String, String)> {
    const COMMANDS: [&str; 6] = ["build", "check", "serve", "new", "search", "strings"];
    let at = args.iter().position(|a| COMMANDS.contains(&a.as_str()))?;
    let command = args[at].as_str();
    let rest = &args[at + 1..];
    let bad = rest.iter().position(|a| a == unexpected)?;
    // The value before the unexpected word, and the flag before that, if any.
    let before = bad.checked_sub(1).map(|i| rest[i].as_str());
    let flag = bad.checked_sub(2).map(|i| rest[i].as_str());
    if let (Some(flag @ ("--stale" | "--max-age")), Some(n)) = (flag, before)
        && n.chars().all(|c| c.is_ascii_digit())
        && unexpected.chars().all(|c| c.is_ascii_alphabetic())
    {
        let unit = unexpected.to_ascii_lowercase();
        let short = match (flag, unit.chars().next()) {
            ("--stale", Some('m')) => "m",
            ("--stale", Some('y')) => "y",
            ("--max-age", Some('h')) => "h",
            ("--max-age", Some('d')) => "d",
            ("--max-age", Some('m')) => "min",
            _ => return None,
        };
        return Some((
            format!("`{flag}` takes its value as one word, not `{n} {unexpected}`"),
            format!("write `{flag} {n}{short}` (or `{flag} \"{n} {unexpected}\"`, in quotes)"),
        ));
    }
    // Words of a title or a query: every word not a flag or a flag's value, from the first.
    let takes_value = [
        "--site",
        "--lang",
        "--out",
        "--region",
        "--topic",
        "--audience",
        "--collection",
    ];
    let mut words = Vec::new();
    let mut skip = false;
    for a in rest {
        if skip {
            skip = false;
            continue;
        }
        if a.starts_with('-') {
            skip = takes_value.contains(&a.as_str());
            continue;
        }
        words.push(a.as_str());
    }
    let quoted = |ws: &[&str]| format!("\"{}\"", ws.join(" "));
    match command {
        "new" if words.len() > 2 => Some((
            format!(
                "the title {} is several words without quotes",
                quoted(&words[1..])
            ),
            format!(
                "put the title in quotes: `lmp new {} {}`",
                words[0],
                quoted(&words[1..])
            ),
        )),
        "search" if words.len() > 1 => Some((
            format!(
                "the query {} is several words without quotes",
                quoted(&words)
            ),
            format!("put the query in quotes: `lmp search {}`", quoted(&words)),
        )),
        _ => None,
    }
}

/// `12h`, `1d`, `30min`, `0`: how long `--external` results are kept.
fn parse_max_age(s: &str) -> std::result::Result<std::time::Duration, String> {
    let t = s.trim().to_ascii_lowercase();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let bad =
        || format!("`{s}` is not a duration: write a number of hours or days, such as 12h or 7d");
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let secs = match t[digits.len()..].trim() {
        "" if n == 0 => 0,
        // QA s14: `--max-age 30m` was minutes and `--stale 6m` months. `m` alone is refused
        // here, so that neither is read as the other.
        "m" => {
            return Err(format!(
                "`{s}`: `m` could be minutes or months (`--stale 6m` is six months): write `{n}min` for minutes, or a number of hours or days, such as 12h or 7d"
            ));
        }
        "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        _ => return Err(bad()),
    };
    Ok(std::time::Duration::from_secs(n.saturating_mul(secs)))
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port to listen on [default: 1111, or the next free one]; 0 picks any free port.
    #[arg(long)]
    pub port: Option<u16>,
    /// Address to bind (loopback by default).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

impl ServeArgs {
    pub(crate) fn options(&self) -> crate::serve::ServeOptions {
        crate::serve::ServeOptions {
            build: self.site.options(),
            port: self.port,
            bind: self.bind.clone(),
            open: self.open,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// Collection (story, guide, practice, tool, video, research, region, page; singular or plural).
    pub collection: String,
    /// Title of the new document; with --lang, the file name of the page to translate (e.g.
    /// `lmp new story one-lesson-at-a-time --lang es`).
    pub title: String,
    /// Start a translation into this language (a code from config.yaml's `languages:`, e.g.
    /// `es`) of an existing page: writes `<name>.<lang>.md` next to it, with its title, summary
    /// and text to translate, as a draft.
    #[arg(long)]
    pub lang: Option<String>,
    /// The site folder.
    #[arg(long, default_value = "site")]
    pub site: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// The query: words, "a phrase", -excluded (`lmp search "-huddle"` leaves huddle out: a
    /// query may start with `-`).
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    /// Search the pages of this language (a code from config.yaml's `languages:`, e.g. `es`, or
    /// `all` for every language, one after the other; default: the site's default language).
    #[arg(long)]
    pub lang: Option<String>,
    /// Only results in this region (slug).
    #[arg(long)]
    pub region: Vec<String>,
    /// Only results with this topic (slug).
    #[arg(long)]
    pub topic: Vec<String>,
    /// Only results for this audience (slug).
    #[arg(long)]
    pub audience: Vec<String>,
    /// Only results of this collection (stories, guides, ...).
    #[arg(long)]
    pub collection: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// The built site to search.
    #[arg(long, default_value = "public")]
    pub out: PathBuf,
}

/// Print diagnostics to stderr (human, github) or stdout (json), honouring `--quiet` for warnings.
fn print_diagnostics(diags: &[Diagnostic], format: Format, quiet: bool) {
    let shown: Vec<Diagnostic> = diags
        .iter()
        .filter(|d| !quiet || d.is_error())
        .cloned()
        .collect();
    if shown.is_empty() {
        return;
    }
    let text = diagnostics::render_all(&shown, format);
    match format {
        Format::Json => print!("{text}"),
        _ => eprint!("{text}"),
    }
}

/// Many errors: how many of each kind, before the last line (see [`diagnostics::overview`]).
fn print_overview(diags: &[Diagnostic], format: Format) {
    if format == Format::Human
        && let Some(o) = diagnostics::overview(diags)
    {
        eprint!("{o}");
    }
}

/// After a failed config.yaml's errors: the documents were not read, so that an editor who
/// fixes config.yaml expects their errors next (session 24). Not for the site folder itself
/// missing (nothing to read), nor in JSON (a machine reads the errors only).
fn unread_documents_line(diags: &[Diagnostic], format: Format) {
    let in_config = diags
        .iter()
        .any(|d| d.is_error() && d.path.ends_with("config.yaml") && d.line > 0);
    if format != Format::Json && in_config {
        eprintln!(
            "The documents were not read: config.yaml says how to read them. Fix it, then run lmp again to check them"
        );
    }
}

fn error_summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let mut s = format!("{errors} error{}", if errors == 1 { "" } else { "s" });
    if warnings > 0 {
        s.push_str(&format!(
            " and {warnings} warning{}",
            if warnings == 1 { "" } else { "s" }
        ));
    }
    s
}

/// `Left out: 1 draft (--drafts), 2 scheduled for later (--future)`: documents the options kept
/// out of the build (QA Q30: a future `publish_date` left a story out without a word).
fn left_out_line(b: &site::Built) -> Option<String> {
    let what = |why: &str, n: usize, flag: bool| {
        let s = if n == 1 { "" } else { "s" };
        match (why, flag) {
            ("draft", true) => format!("{n} draft{s} (--drafts)"),
            ("draft", false) => format!("{n} draft{s}"),
            ("scheduled", true) => format!("{n} scheduled for later (--future)"),
            ("scheduled", false) => format!("{n} scheduled for later"),
            (_, true) => format!("{n} expired (--expired)"),
            (_, false) => format!("{n} expired"),
        }
    };
    // Documents, as "Checked 64 documents" counts them; translations apart (session 19: the
    // number counted draft translations too, and did not match the line above).
    let docs: Vec<String> = b
        .left_out
        .iter()
        .filter(|(_, n)| n.0 > 0)
        .map(|(why, n)| what(why, n.0, true))
        .collect();
    let translations: usize = b.left_out.values().map(|n| n.1).sum();
    let mut line = docs.join(", ");
    if translations > 0 {
        let flag = docs.is_empty();
        let parts: Vec<String> = b
            .left_out
            .iter()
            .filter(|(_, n)| n.1 > 0)
            .map(|(why, n)| what(why, n.1, flag))
            .collect();
        if !line.is_empty() {
            line.push_str("; ");
        }
        line.push_str(&format!(
            "{translations} translation{}: {}",
            if translations == 1 { "" } else { "s" },
            parts.join(", ")
        ));
    }
    (!line.is_empty()).then(|| format!("Left out: {line}"))
}

/// ` (17 stories, 8 guides)`, or nothing for a site without documents.
fn counts_line(b: &site::Built) -> String {
    let parts: Vec<String> = b
        .counts
        .iter()
        .map(|(c, n)| {
            let name = if *n == 1 { c.singular() } else { c.name() };
            format!("{n} {name}")
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

impl Cli {
    pub fn run(&self) -> ExitCode {
        let quiet = self.quiet;
        let result = match &self.command {
            Command::Build(a) => a.run(quiet),
            Command::Check(a) => a.run(quiet),
            Command::Serve(a) => crate::serve::run(&a.options(), quiet),
            Command::New(a) => a.run(),
            Command::Search(a) => a.run(),
            Command::Strings(a) => a.run(),
        };
        // What the command writes, for the help of a file system error.
        let writes = match &self.command {
            Command::New(_) => crate::fsx::Writes::Site,
            _ => crate::fsx::Writes::Output,
        };
        match result {
            Ok(code) => code,
            Err(e) => {
                // Every content, file or output error exits 1; clap exits 2 for usage errors.
                match e.downcast_ref::<crate::fsx::output::Refusal>() {
                    Some(r) => {
                        eprintln!("error: {}", r.message);
                        eprintln!("  = help: {}", r.help);
                    }
                    None => {
                        eprintln!("error: {e:#}");
                        if let Some(help) = crate::fsx::io_help(&e, writes) {
                            eprintln!("  = help: {help}");
                        }
                    }
                }
                ExitCode::FAILURE
            }
        }
    }
}

impl BuildArgs {
    pub(crate) fn run(&self, quiet: bool) -> Result<ExitCode> {
        let started = Instant::now();
        let mut opts = self.site.options();
        // Hosts may cache the stylesheets and scripts for good: a new version is a new name.
        opts.hashed_assets = true;
        // Pages go to the staging folder as they are rendered; it is swapped in only when the
        // whole build succeeded (dropped, it is removed and the output left as it was).
        // The theme folder (from config.yaml) must be kept clear of too.
        // config.yaml is read once, here: the build takes it (session 24: it was read twice,
        // and a file changed in between gave the rules of one and the pages of the other).
        let cfg = match site::load_config(&opts) {
            Ok(c) => std::sync::Arc::new(c),
            Err(diagnostics) => {
                let failed = site::Failed { diagnostics };
                let code = self.failed(&failed, quiet);
                unread_documents_line(&failed.diagnostics, self.format);
                return Ok(code);
            }
        };
        let theme_dirs: Vec<PathBuf> = cfg
            .theme
            .as_ref()
            .map(|t| opts.site_dir.join(t))
            .into_iter()
            .collect();
        let configured = cfg.cache_dir.as_deref();
        let rules = crate::fsx::output::Rules {
            site_dir: opts.site_dir.clone(),
            theme_dirs,
            force: self.force,
            cache_dir: Some(crate::media::cache_dir(&opts.site_dir, configured)),
        };
        // Ctrl-C: the writing stops and the disk is left as before the build (QA s12: the
        // staging folder stayed until the next build).
        if let Err(e) = ctrlc::set_handler(crate::fsx::output::on_interrupt) {
            log::debug!("could not handle Ctrl-C: {e}");
        }
        // A refused output folder is reported after the build, as before pages were streamed:
        // the build runs (writing nothing) so that its errors come first.
        let (staging, refused) = match crate::fsx::output::Staging::begin(&self.out, &rules) {
            Ok(s) => (Some(s), None),
            Err(e) if e.downcast_ref::<crate::fsx::output::Refusal>().is_some() => (None, Some(e)),
            Err(e) => return Err(e),
        };
        let sink: &dyn site::Sink = match &staging {
            Some(s) => s,
            None => &site::Discard,
        };
        match crate::build_to_with(&opts, cfg.clone(), sink) {
            Ok(built) => {
                let Some(staging) = staging else {
                    return Err(refused.unwrap_or_else(|| anyhow::anyhow!("no output folder")));
                };
                print_diagnostics(&built.warnings, self.format, quiet);
                let write_started = Instant::now();
                let written = staging.finish()?;
                // The first stage's CPU time counts from the start of the process.
                let cpu = site::log_stages(&built, site::Probe::start());
                log::info!(
                    "{}",
                    site::stage_line(
                        "write + swap",
                        write_started.elapsed(),
                        cpu,
                        site::Probe::now()
                    )
                );
                if !quiet {
                    let warn = if built.warnings.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", error_summary(&built.warnings))
                    };
                    eprintln!(
                        "Built {} pages{} into {} in {} ms{warn}",
                        built.pages,
                        counts_line(&built),
                        self.out.display(),
                        started.elapsed().as_millis()
                    );
                    if let Some(line) = left_out_line(&built) {
                        eprintln!("{line}");
                    }
                }
                log::debug!("{written} files written");
                Ok(ExitCode::SUCCESS)
            }
            Err(failed) => Ok(self.failed(&failed, quiet)),
        }
    }

    /// Print a failed build's errors and say that the output folder was left as it was.
    fn failed(&self, failed: &site::Failed, quiet: bool) -> ExitCode {
        print_diagnostics(&failed.diagnostics, self.format, quiet);
        print_overview(&failed.diagnostics, self.format);
        eprintln!(
            "Build failed: {}; {} was left as it was",
            error_summary(&failed.diagnostics),
            self.out.display()
        );
        ExitCode::FAILURE
    }
}

impl CheckArgs {
    pub(crate) fn run(&self, quiet: bool) -> Result<ExitCode> {
        let started = Instant::now();
        // config.yaml is read once: the build, `--translations` and `--external` use it.
        let cfg = site::load_config(&self.site.options()).map(std::sync::Arc::new);
        let built = match &cfg {
            Ok(c) => crate::build_to_with(&self.site.options(), c.clone(), &site::Discard),
            Err(d) => Err(site::Failed {
                diagnostics: d.clone(),
            }),
        };
        let config_failed = cfg.is_err();
        let cfg = cfg.ok();
        match built {
            Ok(built) => {
                // The same stage table as `lmp -v build` (QA Q56).
                site::log_stages(&built, site::Probe::start());
                print_diagnostics(&built.warnings, self.format, quiet);
                if let Some(age) = self.stale {
                    let stale = match cfg.as_deref() {
                        Some(cfg) => crate::review::stale(&self.site.options(), cfg, age),
                        None => Err(Vec::new()),
                    };
                    match stale {
                        Ok(st) => {
                            print_diagnostics(&st.warnings, self.format, quiet);
                            if !quiet && self.format != Format::Json {
                                let n = st.warnings.len();
                                let translations = match st.never_reviewed_translations {
                                    0 => String::new(),
                                    1 => " (1 of them a translation)".into(),
                                    t => format!(" ({t} of them translations)"),
                                };
                                eprintln!(
                                    "{n} {} not reviewed in the last {} months; {} without a `reviewed:` date{translations}",
                                    if n == 1 { "document" } else { "documents" },
                                    age.months,
                                    st.never_reviewed
                                );
                            }
                        }
                        Err(d) => print_diagnostics(&d, self.format, quiet),
                    }
                }
                if self.translations {
                    self.print_translations(cfg.as_deref(), quiet, true);
                }
                if !quiet && self.format != Format::Json {
                    eprintln!(
                        "Checked {} documents{} in {} ms: no errors",
                        built.counts.values().sum::<usize>(),
                        counts_line(&built),
                        started.elapsed().as_millis()
                    );
                    if let Some(line) = left_out_line(&built) {
                        eprintln!("{line}");
                    }
                }
                if self.external {
                    return Ok(self.check_external(&built, cfg.as_deref()));
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(failed) => {
                print_diagnostics(&failed.diagnostics, self.format, quiet);
                // The translation status does not depend on the errors elsewhere: an editor with
                // one broken page still gets it (its own errors, if any, are the build's, above).
                if self.translations {
                    self.print_translations(cfg.as_deref(), quiet, false);
                }
                if self.format != Format::Json {
                    print_overview(&failed.diagnostics, self.format);
                    eprintln!("Check failed: {}", error_summary(&failed.diagnostics));
                }
                if config_failed {
                    unread_documents_line(&failed.diagnostics, self.format);
                }
                Ok(ExitCode::FAILURE)
            }
        }
    }
}

impl CheckArgs {
    /// `--translations`: per language, the documents with no translation or an outdated one
    /// (warnings), then a line of counts per language. `errors`: print the status's own errors
    /// (false when the check failed: they are among the build's, already printed).
    fn print_translations(&self, cfg: Option<&crate::config::Config>, quiet: bool, errors: bool) {
        let opts = self.site.options();
        // Without a config (its errors are the build's, printed), there is nothing to list.
        let Some(cfg) = cfg else { return };
        let cov = crate::content::i18n::coverage(cfg, &opts);
        match cov {
            Ok((langs, warnings)) => {
                print_diagnostics(&warnings, self.format, quiet);
                if !quiet && self.format != Format::Json {
                    if langs.is_empty() {
                        eprintln!("The site has one language: nothing to translate");
                    }
                    for l in &langs {
                        eprintln!("{}", l.line());
                    }
                    if let Some(total) = crate::content::i18n::Coverage::total_line(&langs) {
                        eprintln!("{total}");
                    }
                }
            }
            Err(d) if errors => print_diagnostics(&d, self.format, quiet),
            Err(_) => {}
        }
    }

    /// `--external`: the outbound links over HTTP.
    fn check_external(&self, built: &site::Built, cfg: Option<&crate::config::Config>) -> ExitCode {
        use crate::linkcheck::external;
        let started = Instant::now();
        // The same cache folder as the images: `$LMP_CACHE_DIR`, `cache_dir` of config.yaml, or
        // `.lmp-cache/` (the build just read the config, so it loads).
        let configured = cfg.and_then(|c| c.cache_dir.as_deref());
        let cache = crate::media::cache_dir(&self.site.site, configured);
        let opts = external::Options {
            cache: Some(cache.join("links.json")),
            max_age: self.max_age,
            ..external::Options::default()
        };
        let report = external::check_external(&built.outbound, &opts, self.strict);
        print_diagnostics(&report.diagnostics, self.format, false);
        let problems = report
            .diagnostics
            .iter()
            .map(|d| &d.message)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        if self.format != Format::Json {
            let links = report.checked + report.cached;
            eprintln!(
                "Checked {links} outbound {} ({} from the cache) in {} ms: {}",
                if links == 1 { "link" } else { "links" },
                report.cached,
                started.elapsed().as_millis(),
                match problems {
                    0 => "no problems".to_string(),
                    1 => "1 link with a problem".to_string(),
                    n => format!("{n} links with problems"),
                }
            );
        }
        if self.strict && !report.diagnostics.is_empty() {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// A name Windows keeps for a device, with or without an extension (`con`, `nul`, `com1`,
/// `lpt9`): no file can have it there.
fn windows_device(stem: &str) -> bool {
    let s = stem.to_ascii_lowercase();
    matches!(s.as_str(), "con" | "prn" | "aux" | "nul")
        || ((s.starts_with("com") || s.starts_with("lpt"))
            && s.len() == 4
            && s.as_bytes()[3].is_ascii_digit()
            && s.as_bytes()[3] != b'0')
}

/// A language's name from config.yaml (`Español`), or its code.
fn language_name<'c>(cfg: &'c crate::config::Config, code: &'c str) -> &'c str {
    cfg.languages
        .iter()
        .find(|l| l.code == code)
        .map_or(code, |l| l.name.as_str())
}

/// "the site's other languages: `es` (Español), `fr` (Français)", for `--lang` helps.
fn languages_list(cfg: &crate::config::Config, others: &[&str]) -> String {
    let named: Vec<String> = others
        .iter()
        .map(|o| match language_name(cfg, o) {
            n if n == *o => format!("`{o}`"),
            n => format!("`{o}` ({n})"),
        })
        .collect();
    format!("the site's other languages are {}", named.join(", "))
}

impl NewArgs {
    pub(crate) fn run(&self) -> Result<ExitCode> {
        let cfg = match site::load_config(&Options::new(&self.site)) {
            Ok(cfg) => cfg,
            Err(diags) => {
                print_diagnostics(&diags, Format::Human, false);
                return Ok(ExitCode::FAILURE);
            }
        };
        let schemas = &cfg.schemas;
        // `--lang ES`, `--lang " es"`: codes are lower case, without spaces.
        let lang = self.lang.as_deref().map(|l| l.trim().to_ascii_lowercase());
        // `--lang en` on a site whose default is `en` says what the page is written in anyway:
        // a new title makes the page; an existing one is explained below (hostile author and
        // i18n s22: it said only "first-story.md already exists; pick another title").
        let translate_to = lang.as_ref().filter(|c| *c != schemas.default_lang());
        // `lmp new home index --lang es`: the home page's translation, site/index.es.md (the
        // home page itself is site/index.md, never made by `lmp new`).
        if self.collection.eq_ignore_ascii_case("home")
            && let Some(code) = translate_to
        {
            return self.translation(&cfg, Collection::Home, code);
        }
        // `lmp new home …` in the site's language: there is one home page, edited by hand.
        if self.collection.eq_ignore_ascii_case("home") {
            let langs: Vec<&str> = schemas.langs.iter().skip(1).map(String::as_str).collect();
            eprintln!(
                "error: a site has one home page, {}: `lmp new` does not make another",
                self.site.join("index.md").display()
            );
            match langs.first() {
                Some(code) => eprintln!(
                    "  = help: edit that file; to start its translation, `lmp new home index --lang {code}`"
                ),
                None => eprintln!("  = help: edit that file"),
            }
            return Ok(ExitCode::FAILURE);
        }
        // `Story`, `GUIDES`: the collection as a sentence or a title writes it (QA s11).
        let Some(c) = schemas
            .by_singular_or_plural(&self.collection)
            .or_else(|| schemas.by_singular_or_plural(&self.collection.to_lowercase()))
        else {
            let known: Vec<&str> = schemas.all().iter().map(|c| c.singular()).collect();
            eprintln!("error: unknown collection `{}`", self.collection);
            let hint = diagnostics::suggest(&self.collection.to_lowercase(), known.iter().copied())
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            eprintln!("  = help: {hint}the collections are: {}", known.join(", "));
            return Ok(ExitCode::FAILURE);
        };
        if let Some(code) = translate_to {
            return self.translation(&cfg, c, code);
        }
        if let Some((what, help)) = title_problem(&self.title) {
            eprintln!("error: the title {} {what}", shown_title(&self.title));
            eprintln!("  = help: {help}");
            return Ok(ExitCode::FAILURE);
        }
        // Long titles give a slug cut on a word; a title with nothing to transliterate gives
        // the first free `story-N` (the collection's singular: QA s12, `page-1.md` in
        // stories/ read as a page of the site).
        // QA Q60: `ñ` is written `ni` (años → anios, as Spanish addresses do), not `n`: "anos"
        // reads as another word.
        let title = self.title.replace('ñ', "ni").replace('Ñ', "Ni");
        let mut slug = crate::slug::shorten(&slugify(&title), crate::slug::MAX_NEW);
        let unnamed = slug.is_empty();
        if unnamed {
            let folder = self.site.join(c.name());
            let singular = match slugify(c.singular()) {
                s if s.is_empty() => "page".to_string(),
                s => s,
            };
            let free = (1..)
                .map(|n| format!("{singular}-{n}"))
                .find(|s| !crate::fsx::exists(&folder.join(format!("{s}.md"))));
            slug = free.unwrap_or_else(|| format!("{singular}-1"));
        }
        // `lmp new page Stories` must not take the URL of the stories list.
        if crate::content::graph::reserved_urls(&cfg).contains(&c.url_for(&slug)) {
            slug.push_str("-page");
        }
        // QA s12: `con.md`, `nul.md` cannot be opened or checked out on Windows, where the
        // site's authors may work.
        if windows_device(&slug) {
            slug = format!("{slug}-{}", c.singular());
        }
        let path = self.site.join(c.name()).join(format!("{slug}.md"));
        if crate::fsx::exists(&path) {
            // `--lang en` on a site whose default is `en` (hostile i18n s22): "already exists"
            // alone did not say why no translation was started.
            if let Some(code) = &lang {
                eprintln!(
                    "error: `{code}` is the site's default language ({}): {} is its document already, and translations are made into the other languages",
                    language_name(&cfg, code),
                    path.display()
                );
                let others: Vec<&str> = schemas.langs.iter().skip(1).map(String::as_str).collect();
                let help = match others.first() {
                    Some(o) => format!(
                        "edit {} itself; to translate it, give another language: `lmp new {} {slug} --lang {o}` ({})",
                        path.display(),
                        c.singular(),
                        languages_list(&cfg, &others)
                    ),
                    None => format!(
                        "edit {} itself; this site has one language, `{code}`: to publish translations, list its languages in config.yaml (docs/translations.md)",
                        path.display()
                    ),
                };
                eprintln!("  = help: {help}");
                return Ok(ExitCode::FAILURE);
            }
            eprintln!(
                "error: {} already exists; lmp new never overwrites",
                path.display()
            );
            eprintln!("  = help: pick another title, or edit the existing file");
            return Ok(ExitCode::FAILURE);
        }
        if !crate::fsx::exists(&self.site.join("config.yaml")) {
            eprintln!(
                "error: {} has no config.yaml; is it a site folder?",
                self.site.display()
            );
            eprintln!("  = help: run lmp new from the folder that holds site/, or pass --site");
            return Ok(ExitCode::FAILURE);
        }
        let examples = Examples::of_site(&self.site, &cfg);
        let (text, todo) = scaffold(&schemas.fields(c), &self.title, Date::today(), &examples);
        // Its own message names the file (QA s12: "could not create X: could not create X").
        crate::fsx::create_file_new(&path, text.as_bytes())?;
        println!("{}", path.display());
        if unnamed {
            eprintln!(
                "note: the title {} has no letter or digit to name the file after, so it is {}: rename the file to a few words of the title if you like (before other pages link to it: its address is its name)",
                shown_title(&self.title),
                path.display()
            );
        }
        for t in todo {
            eprintln!("note: {t}");
        }
        Ok(ExitCode::SUCCESS)
    }
}

impl NewArgs {
    /// `lmp new story lmp-celebrates-20th-year --lang es` (QA s14: `--lang` was refused with
    /// clap's "to pass '--lang' as a value, use '-- --lang'"): the translation's file next to
    /// its original, with the original's title, summary and text to translate, its other text
    /// fields as comments, and `draft: true` so that nothing in English is published as
    /// Spanish before it is translated.
    fn translation(
        &self,
        cfg: &crate::config::Config,
        c: crate::content::collections::Collection,
        code: &str,
    ) -> Result<ExitCode> {
        let schemas = &cfg.schemas;
        let fail = |message: String, help: String| {
            eprintln!("error: {message}");
            eprintln!("  = help: {help}");
            Ok(ExitCode::FAILURE)
        };
        let example = format!(
            "lmp new {} one-lesson-at-a-time --lang {code}",
            c.singular()
        );
        if !schemas.is_translation_lang(code) {
            let others: Vec<&str> = schemas.langs.iter().skip(1).map(String::as_str).collect();
            let help = if others.is_empty() {
                format!(
                    "this site has one language, `{}`: to publish translations, list its languages in config.yaml (docs/translations.md)",
                    schemas.default_lang()
                )
            } else {
                // `es-mx` for `es`: the language of a region's tag.
                let primary = code.split(['-', '_']).next().unwrap_or(code);
                let meant = others
                    .iter()
                    .copied()
                    .find(|o| *o == primary && primary != code)
                    .or_else(|| diagnostics::suggest(code, others.iter().copied()));
                let meant = meant
                    .map(|s| format!("did you mean `--lang {s}`? "))
                    .unwrap_or_default();
                format!(
                    "{meant}{}; to add a language, list it under `languages:` in config.yaml (docs/translations.md)",
                    languages_list(cfg, &others)
                )
            };
            let what = if code.trim().is_empty() {
                "`--lang` needs a language code, and it was empty".to_string()
            } else {
                format!("`{code}` is not a language of this site")
            };
            return fail(what, help);
        }
        let folder = match c {
            Collection::Home => self.site.clone(),
            c => self.site.join(c.name()),
        };
        // The original: its file name (with or without `.md` or its folder), or its title; the
        // home page is index.md, whatever is given.
        let given = match c {
            Collection::Home => "index",
            _ => self.title.trim(),
        };
        let name = given.rsplit(['/', '\\']).next().unwrap_or(given);
        let name = name.strip_suffix(".md").unwrap_or(name);
        // The name of a translation's file (`x.es`, as tab completion gives it; hostile tester
        // s17: it wrote `x.es.es.md`, a translation of the translation).
        if let Some((base, lang)) = name.rsplit_once('.')
            && schemas.langs.iter().any(|l| l == lang)
            && crate::fsx::is_file(&folder.join(format!("{name}.md")))
        {
            return fail(
                format!(
                    "`{given}` names the `{lang}` translation of {base}.md, not a page to translate"
                ),
                format!(
                    "edit {}; to start the translation of another page, give its name: `lmp new {} {base} --lang {code}`",
                    folder.join(format!("{name}.md")).display(),
                    c.singular()
                ),
            );
        }
        let candidates = [
            name.to_string(),
            slugify(&given.replace('ñ', "ni").replace('Ñ', "Ni")),
        ];
        // Or the title, as the site shows it (`"Peer advice: one lesson at a time"`): of one
        // original of the folder, in any case.
        let by_title = || {
            let want = given.trim_matches(['"', '\'']).trim().to_lowercase();
            let found: Vec<String> = crate::fsx::file_names(&folder)
                .into_iter()
                .filter_map(|n| n.strip_suffix(".md").map(str::to_string))
                .filter(|n| !n.contains('.'))
                .filter(|n| {
                    let text = crate::fsx::read_to_string(&folder.join(format!("{n}.md")))
                        .unwrap_or_default();
                    text.lines()
                        .skip(1)
                        .take_while(|l| l.trim_end() != "---")
                        .filter_map(|l| l.strip_prefix("title:"))
                        .any(|t| t.trim().trim_matches(['"', '\'']).trim().to_lowercase() == want)
                })
                .collect();
            match found.as_slice() {
                [one] if !want.is_empty() => Some(one.clone()),
                _ => None,
            }
        };
        let Some(stem) = candidates
            .iter()
            .find(|n| !n.is_empty() && crate::fsx::is_file(&folder.join(format!("{n}.md"))))
            .cloned()
            .or_else(by_title)
        else {
            let stems: Vec<String> = crate::fsx::file_names(&folder)
                .into_iter()
                .filter_map(|n| n.strip_suffix(".md").map(str::to_string))
                .filter(|n| !n.contains('.'))
                .collect();
            // The start of a long file name (`learning-to-lead`) or a near spelling.
            let slug = slugify(name);
            let starting: Vec<&str> = stems
                .iter()
                .map(String::as_str)
                .filter(|n| !slug.is_empty() && n.starts_with(&slug))
                .collect();
            let meant = match starting.as_slice() {
                [one] => Some(one.to_string()),
                _ => {
                    diagnostics::suggest(name, stems.iter().map(String::as_str)).map(str::to_string)
                }
            }
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
            // Audit s16: the example was `one-lesson-at-a-time` for every collection (a story,
            // for `lmp new guide … --lang es` too) and whether or not it was translated: a
            // document of this folder with no translation in this language, if there is one.
            let example = stems
                .iter()
                .find(|s| !crate::fsx::exists(&folder.join(format!("{s}.{code}.md"))))
                .or(stems.first())
                .map_or(example, |s| {
                    format!("lmp new {} {s} --lang {code}", c.singular())
                });
            return fail(
                format!(
                    "there is no {} {} to translate in {}",
                    c.singular(),
                    shown_title(given),
                    folder.display()
                ),
                format!(
                    "{meant}give the file name of the page to translate, without `.md`, e.g. `{example}`"
                ),
            );
        };
        let original = folder.join(format!("{stem}.md"));
        let path = folder.join(format!("{stem}.{code}.md"));
        if crate::fsx::exists(&path) {
            return fail(
                format!(
                    "{} already exists; lmp new never overwrites",
                    path.display()
                ),
                "edit the existing translation".into(),
            );
        }
        let text = crate::fsx::read_to_string(&original)?;
        let split = match crate::content::front_matter::split(&original, &text) {
            Ok(s) => s,
            Err(d) => {
                print_diagnostics(&[d], Format::Human, false);
                return fail(
                    format!(
                        "{} cannot be read to start its translation",
                        original.display()
                    ),
                    "fix the error above first (`lmp check` lists every one)".into(),
                );
            }
        };
        let (lang, prefix) = cfg
            .languages
            .iter()
            .find(|l| l.code == code)
            .map_or((code, "/"), |l| (l.name.as_str(), l.prefix.as_str()));
        let out = translation_text(
            split.front_matter,
            &text[split.body_start..],
            &match c {
                Collection::Home => format!("{stem}.md"),
                c => format!("{}/{stem}.md", c.name()),
            },
            lang,
        );
        crate::fsx::create_file_new(&path, out.as_bytes())?;
        println!("{}", path.display());
        eprintln!(
            "note: translate the title, the summary and the text into {lang}; then delete `draft: true` to publish it (meanwhile `lmp serve --drafts` shows it under {prefix})"
        );
        Ok(ExitCode::SUCCESS)
    }
}

/// The text of a new translation of `folder/stem.md` (see [`NewArgs::translation`]): the
/// original's `title` and `summary`, its other text fields commented out (a block such as a
/// video's `transcript: |` or a practice's `results:` list with every line), `draft: true`, and
/// its body.
fn translation_text(front_matter: &str, body: &str, original: &str, lang: &str) -> String {
    let mut out = format!(
        "---\n# Translation into {lang} of {original}.\n# Translate the title, the summary and the text below (keep each heading's `{{#…}}`: links to\n# its section use it). The fields in comments are shown in English until you give them in\n# {lang} (remove the `# ` at the start of their lines).\n# Everything else comes from the English page (docs/translations.md).\n"
    );
    let mut own = String::new();
    let mut commented = String::new();
    let lines: Vec<&str> = front_matter.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        // The field's other lines: a block (`transcript: |`), a list (`results:` then `- …`),
        // a value that goes on (indented); not the empty lines after it.
        let start = i;
        while i < lines.len()
            && (lines[i].starts_with([' ', '\t', '-']) || lines[i].trim().is_empty())
        {
            i += 1;
        }
        let mut end = i;
        while end > start && lines[end - 1].trim().is_empty() {
            end -= 1;
        }
        let rest = &lines[start..end];
        if value.trim().is_empty() && rest.is_empty() {
            continue;
        }
        if crate::content::i18n::OWN_FIELDS.contains(&key) {
            for l in std::iter::once(line).chain(rest.iter().copied()) {
                own.push_str(l);
                own.push('\n');
            }
        } else if crate::content::i18n::TEXT_FIELDS.contains(&key) && key != "captions" {
            // QA s14: a video's transcript (a block) was left out: it is the text most in
            // need of translating.
            for l in std::iter::once(line).chain(rest.iter().copied()) {
                commented.push_str(if l.is_empty() { "#" } else { "# " });
                commented.push_str(l);
                commented.push('\n');
            }
        }
    }
    out.push_str(&own);
    out.push_str(&commented);
    out.push_str(&format!(
        "# Not published until it is translated: delete this line then.\ndraft: true\n---\n{}",
        with_heading_ids(body)
    ));
    out
}

/// Session 24: the body of a new translation with each heading's id written out (`## What they
/// did {#what-they-did}`). A heading's id comes from its words, so translating them changed it,
/// and every link to the section from the language's pages was an error ("no heading
/// `#what-they-did`"); docs/translations.md asks to keep the original's ids. The body is left as
/// it is when its headings cannot be matched one for one with the rendered ones (a setext
/// heading, a heading in a quote).
fn with_heading_ids(body: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let rendered = crate::markdown::render(body, &|_| None);
    let ids: Vec<&str> = rendered
        .sections
        .iter()
        .filter_map(|s| s.anchor.as_deref())
        .collect();
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    // The ATX heading lines outside fenced code.
    let mut heads = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_end_matches(['\n', '\r']);
        let s = t.trim_start_matches(' ');
        if t.len() - s.len() > 3 {
            continue;
        }
        if let Some(c @ ('`' | '~')) = s.chars().next() {
            let n = s.chars().take_while(|&x| x == c).count();
            if n >= 3 {
                match fence {
                    None => fence = Some((c, n)),
                    Some((f, m)) if f == c && n >= m && s[n..].trim().is_empty() => fence = None,
                    Some(_) => {}
                }
                continue;
            }
        }
        let hashes = s.bytes().take_while(|&b| b == b'#').count();
        if fence.is_none()
            && (1..=6).contains(&hashes)
            && s[hashes..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '\t')
        {
            heads.push(i);
        }
    }
    if heads.is_empty() || heads.len() != ids.len() {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len() + 16 * heads.len());
    let mut next = heads.iter().zip(&ids).peekable();
    for (i, line) in lines.iter().enumerate() {
        match next.next_if(|(h, _)| **h == i) {
            Some((_, id)) => {
                let text = line.trim_end_matches(['\n', '\r']);
                let end = &line[text.len()..];
                let bare = text.trim_end();
                // An id written already, or a closing `##` (kept as written).
                if bare.ends_with('}') && bare.contains("{#") || bare.ends_with('#') {
                    out.push_str(line);
                } else {
                    out.push_str(&format!("{bare} {{#{id}}}{end}"));
                }
            }
            None => out.push_str(line),
        }
    }
    Cow::Owned(out)
}

/// Why `lmp new` cannot write a title as a valid document, with a help line.
fn title_problem(title: &str) -> Option<(String, &'static str)> {
    if title.trim().is_empty() {
        return Some((
            "is empty".into(),
            "give the document a title, e.g. lmp new story \"Learning to lead\"",
        ));
    }
    let bad = title
        .chars()
        .find(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))?;
    let what = match bad {
        '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => "a line break".to_string(),
        '\t' => "a tab".to_string(),
        c => format!("the control character U+{:04X}", c as u32),
    };
    Some((
        format!("contains {what}, which a title cannot hold"),
        "a title is one line of text: remove line breaks, tabs and other control characters",
    ))
}

/// A title for an error message: escaped (no control character reaches the terminal) and cut
/// to a readable length.
fn shown_title(title: &str) -> String {
    const MAX: usize = 60;
    let cut: String = title.chars().take(MAX).collect();
    let more = if title.chars().count() > MAX {
        "…"
    } else {
        ""
    };
    format!("{:?}{more}", cut)
}

/// The text of a new document: required fields filled with values of the site (a reference gets
/// the first slug, the others listed in a comment), optional ones as comments. Also returns what
/// the author must still fill in before `lmp check` passes (a required file the site does not
/// have yet, a reference with nothing to choose from).
pub(crate) fn scaffold(
    fields: &[Field],
    title: &str,
    today: Date,
    ex: &Examples,
) -> (String, Vec<String>) {
    use crate::content::collections::FieldType;
    let mut s = String::from("---\n");
    let mut todo = Vec::new();
    let quoted = crate::yaml::quote(title);
    for f in fields {
        if f.required {
            let choices = match f.ty {
                FieldType::Term(tax) | FieldType::Terms(tax) => ex.terms.get(&tax),
                FieldType::DocRef(c) | FieldType::DocRefs(c) => ex.docs.get(&c),
                _ => None,
            };
            match (f.ty, choices) {
                (FieldType::Term(_) | FieldType::DocRef(_), Some(all)) if !all.is_empty() => {
                    let shown: Vec<&str> = all.iter().take(12).map(String::as_str).collect();
                    let more = if all.len() > 12 { ", …" } else { "" };
                    // QA s15: not `# region: one of …`, which reads as a field to uncomment
                    // (and then `region` is written twice).
                    s.push_str(&format!(
                        "# {} is one of: {}{more}\n",
                        f.name,
                        shown.join(", ")
                    ));
                }
                (FieldType::Term(_) | FieldType::DocRef(_), _) => todo.push(format!(
                    "fill in `{}:`: the site has nothing to refer to yet",
                    f.name
                )),
                (FieldType::File, _) if ex.file_for(f.name).is_none() => todo.push(format!(
                    "fill in `{}:` with a file under site/static/ (e.g. `/files/handout.pdf` for site/static/files/handout.pdf): `lmp check` reports it until then",
                    f.name
                )),
                _ => {}
            }
        }
        let value = match (f.name, f.ty) {
            ("title", _) => quoted.clone(),
            (_, FieldType::Date) => today.to_string(),
            (_, FieldType::Year) => today.year.to_string(),
            (_, FieldType::Terms(tax)) => list(ex.terms.get(&tax)),
            (_, FieldType::DocRefs(c)) => list(ex.docs.get(&c)),
            (_, FieldType::Term(tax)) => first(ex.terms.get(&tax), f.ty),
            (_, FieldType::DocRef(c)) => first(ex.docs.get(&c), f.ty),
            (_, FieldType::StrList | FieldType::Results | FieldType::Aliases) => "[]".into(),
            (name, FieldType::File) => ex
                .file_for(name)
                .or(help_example(f.help))
                .unwrap_or(f.ty.example())
                .to_string(),
            ("summary", _) => format!("\"{}\"", crate::content::PLACEHOLDER_SUMMARY),
            (_, FieldType::Text) => format!("|\n  {}", crate::content::PLACEHOLDER_TEXT),
            // The schema's own example (its help's "e.g. `…`"), else the type's.
            (_, ty) => help_example(f.help).unwrap_or(ty.example()).to_string(),
        };
        let skip_common = matches!(
            f.name,
            "slug"
                | "draft"
                | "publish_date"
                | "expiry_date"
                | "aliases"
                | "weight"
                | "translation_of"
        );
        if f.required {
            s.push_str(&format!("{}: {value}\n", f.name));
        } else if !skip_common {
            s.push_str(&format!("# {}: {}\n", f.name, value.replace('\n', "\n# ")));
        }
    }
    s.push_str(&format!(
        "# draft: true\n---\n\n{}\n",
        crate::content::PLACEHOLDER_BODY
    ));
    (s, todo)
}

/// The example in a field's help: what follows "e.g. `" up to the next "`".
fn help_example(help: &str) -> Option<&str> {
    let (_, rest) = help.split_once("e.g. `")?;
    rest.split_once('`').map(|(e, _)| e)
}

/// `[a]`: the first of the site's slugs, or `[]`.
fn list(slugs: Option<&Vec<String>>) -> String {
    match slugs.and_then(|s| s.first()) {
        Some(s) => format!("[{s}]"),
        None => "[]".into(),
    }
}

/// The first of the site's slugs, or the type's placeholder.
fn first(slugs: Option<&Vec<String>>, ty: crate::content::collections::FieldType) -> String {
    match slugs.and_then(|s| s.first()) {
        Some(s) => s.clone(),
        None => ty.example().to_string(),
    }
}

/// What a scaffold can take from the site so that a new file checks as it is written (QA Q12):
/// slugs that exist and files that are there.
#[derive(Debug, Default)]
pub(crate) struct Examples {
    /// Term slugs by taxonomy: regions are the documents in `regions/`, the others config's.
    terms: std::collections::BTreeMap<crate::content::taxonomy::Taxonomy, Vec<String>>,
    /// Document slugs (file names) by collection.
    docs: std::collections::BTreeMap<crate::content::collections::Collection, Vec<String>>,
    /// Site-absolute paths of the files under `static/`, sorted.
    files: Vec<String>,
}

impl Examples {
    /// The slugs and files of the site in `site_dir`.
    pub(crate) fn of_site(site_dir: &Path, cfg: &crate::config::Config) -> Examples {
        use crate::content::taxonomy::Taxonomy;
        let mut ex = Examples::default();
        for c in cfg.schemas.all() {
            let slugs: Vec<String> = crate::fsx::walk(&site_dir.join(c.name()), site_dir)
                .files
                .iter()
                .filter_map(|(rel, _)| rel.strip_suffix(".md"))
                // Originals only: `x.es.md` is a translation of `x.md`.
                .filter(|stem| !stem.contains('.') && !stem.contains('/'))
                .map(str::to_string)
                .collect();
            ex.docs.insert(c, slugs);
        }
        for (tax, terms) in &cfg.taxonomies {
            ex.terms
                .insert(*tax, terms.iter().map(|t| t.slug.clone()).collect());
        }
        let regions = ex
            .docs
            .get(&crate::content::collections::Collection::Regions)
            .cloned()
            .unwrap_or_default();
        ex.terms.insert(Taxonomy::Regions, regions);
        ex.files = crate::fsx::walk(&site_dir.join("static"), site_dir)
            .files
            .into_iter()
            .map(|(rel, _)| format!("/{rel}"))
            .collect();
        ex
    }

    /// A file of the site fit for the field `name`: a picture for `image`, WebVTT for
    /// `captions`, a video for `src`, a document for anything else.
    fn file_for(&self, name: &str) -> Option<&str> {
        let ext = |f: &str| f.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let fits = |f: &&String| -> bool {
            let e = ext(f).unwrap_or_default();
            let picture = ["jpg", "jpeg", "png", "webp", "gif"].contains(&e.as_str());
            let video = ["mp4", "webm"].contains(&e.as_str());
            match name {
                "image" => picture,
                "captions" => e == "vtt",
                "src" => video,
                _ => !picture && !video && e != "vtt" && f.starts_with("/files/"),
            }
        };
        self.files.iter().find(fits).map(String::as_str)
    }
}

impl SearchArgs {
    pub(crate) fn run(&self) -> Result<ExitCode> {
        let mut filters = Vec::new();
        use crate::search::FacetName;
        // In the order `check_filters` reports unknown values.
        let order = [
            FacetName::Region,
            FacetName::Topic,
            FacetName::Audience,
            FacetName::Collection,
        ];
        for facet in order {
            let values = match facet {
                FacetName::Collection => &self.collection,
                FacetName::Region => &self.region,
                FacetName::Topic => &self.topic,
                FacetName::Audience => &self.audience,
            };
            for v in values {
                filters.push((facet.name().to_string(), v.clone()));
            }
        }
        let out = crate::search::cli(
            Path::new(&self.out),
            &self.query,
            &filters,
            self.lang.as_deref(),
            self.json,
        )?;
        print!("{out}");
        Ok(ExitCode::SUCCESS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// QA s14: a title, a query or an age typed without quotes is said in plain words (the
    /// command line said "unexpected argument 'first' found").
    #[test]
    fn a_value_typed_without_quotes_is_said_with_the_quotes() {
        let said = |line: &str, word: &str| {
            let args: Vec<String> = line.split(' ').map(str::to_string).collect();
            unquoted_value(&args, word)
        };
        assert_eq!(
            said("lmp new story My first story", "first"),
            Some((
                "the title \"My first story\" is several words without quotes".into(),
                "put the title in quotes: `lmp new story \"My first story\"`".into()
            ))
        );
        assert_eq!(
            said("lmp -v new --site s guide How to run a huddle", "to").map(|x| x.1),
            Some("put the title in quotes: `lmp new guide \"How to run a huddle\"`".into())
        );
        assert_eq!(
            said("lmp search huddle board --lang es", "board").map(|x| x.1),
            Some("put the query in quotes: `lmp search \"huddle board\"`".into())
        );
        assert_eq!(
            said("lmp check --stale 6 months", "months"),
            Some((
                "`--stale` takes its value as one word, not `6 months`".into(),
                "write `--stale 6m` (or `--stale \"6 months\"`, in quotes)".into()
            ))
        );
        assert_eq!(
            said("lmp check --external --max-age 2 days", "days").map(|x| x.1),
            Some("write `--max-age 2d` (or `--max-age \"2 days\"`, in quotes)".into())
        );
        // Other refusals keep the command line's message.
        assert_eq!(said("lmp check --bogus", "--bogus"), None);
        assert_eq!(said("lmp build extra", "extra"), None);
        assert_eq!(said("lmp check --stale 6 weeks", "weeks"), None);
        // `--max-age 30m`: minutes or months? Said, not guessed (QA s14).
        let e = parse_max_age("30m").unwrap_err();
        assert!(e.contains("write `30min` for minutes"), "{e}");
        assert_eq!(
            parse_max_age("30min"),
            Ok(std::time::Duration::from_secs(1800))
        );
        // `--max-age "2 days"` reads.
        assert_eq!(
            parse_max_age("2 days"),
            Ok(std::time::Duration::from_secs(2 * 86_400))
        );
        assert_eq!(
            parse_max_age("12 hours"),
            Ok(std::time::Duration::from_secs(12 * 3600))
        );
    }

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// QA s9 Q133: `lmp search "-huddle"` (an exclusion, as the search help teaches) printed
    /// the command's help and exited 0: clap read `-huddle` as `-h`.
    #[test]
    fn a_search_query_may_start_with_a_dash() {
        let query = |args: &[&str]| match Cli::try_parse_from(args).map(|c| c.command) {
            Ok(Command::Search(a)) => Ok((a.query, a.json)),
            Ok(other) => panic!("{other:?}"),
            Err(e) => Err(e.kind()),
        };
        assert_eq!(
            query(&["lmp", "search", "-huddle"]),
            Ok(("-huddle".to_string(), false))
        );
        assert_eq!(
            query(&["lmp", "search", "-huddle board", "--json"]),
            Ok(("-huddle board".to_string(), true))
        );
        assert_eq!(
            query(&["lmp", "search", "--json", "-huddle"]),
            Ok(("-huddle".to_string(), true))
        );
        // `-h` alone is still the help.
        assert_eq!(
            query(&["lmp", "search", "-h"]),
            Err(clap::error::ErrorKind::DisplayHelp)
        );
    }
}
