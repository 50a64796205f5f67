//! Fixture-site harness: `Project::fixture("basic")` copies `tests/fixtures/basic` to
//! `<tmp>/site`; `run(&["build"])` runs the real `lmp` binary in `<tmp>`.

/// The sample site's collection folders, in the order the menu lists them.
pub const COLLECTIONS: [&str; 8] = [
    "stories",
    "guides",
    "practices",
    "tools",
    "videos",
    "research",
    "regions",
    "pages",
];

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Project {
    pub dir: tempfile::TempDir,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn of(out: std::process::Output) -> Output {
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The first line of each error on stderr, in the order printed.
    pub fn errors(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.contains(": error: "))
            .collect()
    }

    /// stderr with the timing in the summary line replaced, for snapshots.
    pub fn stderr_redacted(&self) -> String {
        let mut out = String::new();
        for line in self.stderr.lines() {
            let line = match line.rfind(" in ") {
                Some(i)
                    if line[i + 4..].trim_end().ends_with(" ms")
                        || line[i + 4..].contains(" ms,") =>
                {
                    let rest = &line[i + 4..];
                    let after = rest.find(" ms").map(|j| &rest[j + 3..]).unwrap_or("");
                    format!("{} in [TIME] ms{after}", &line[..i])
                }
                _ => line.to_string(),
            };
            out.push_str(&line);
            out.push('\n');
        }
        out
    }
}
/// Fails the test when `lmp` panicked (exit code 101, or "panicked" in its stderr).
pub fn no_panic(o: &Output) {
    assert_ne!(o.code, 101, "panicked:\n{}", o.stderr);
    assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
}

/// The human diagnostic (message, source, help) of stderr that starts with `head` (its first
/// line), up to the next empty line.
pub fn block<'a>(o: &'a Output, head: &str) -> &'a str {
    let start = o
        .stderr
        .find(head)
        .unwrap_or_else(|| panic!("no `{head}` in:\n{}", o.stderr));
    let rest = &o.stderr[start..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

/// A search relevance case: a query with its extra arguments, the page that must be in the
/// top 3, and why.
pub struct RelevanceCase {
    pub query: String,
    pub args: Vec<String>,
    pub want: String,
    pub why: String,
}

/// The paths of two builds' outputs whose bytes differ (or that only one has), reading the files
/// a build left on disk (`serve`'s static files and cached images, see `Built::disk`).
pub fn output_differences(a: &lmp::site::Built, b: &lmp::site::Built) -> Vec<String> {
    let bytes = |x: &lmp::site::Built, k: &str| x.read(k).and_then(Result::ok);
    let keys: std::collections::BTreeSet<&String> = a.files.keys().chain(b.files.keys()).collect();
    keys.into_iter()
        .filter(|k| bytes(a, k) != bytes(b, k))
        .cloned()
        .collect()
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The image cache every test shares (content-addressed: a picture is encoded once per run of
/// the tests, not once per test).
pub fn image_cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("lmp-image-cache")
}

/// Point the site in `site_dir` at [`image_cache`] through its config.yaml (`cache_dir:`), for
/// builds run in the test's process (`lmp::build`), which do not get the cache from the
/// environment as the `lmp` commands do (issue 12, CI time: the sample site built in-process
/// encoded all its photos again, unoptimised: 752 s of one test).
pub fn share_image_cache(site_dir: &Path) {
    let config = site_dir.join("config.yaml");
    let mut cfg = std::fs::read_to_string(&config).unwrap();
    if !cfg.ends_with('\n') {
        cfg.push('\n');
    }
    let dir = serde_json::to_string(&image_cache().to_string_lossy()).unwrap();
    cfg.push_str(&format!("cache_dir: {dir}\n"));
    std::fs::write(&config, cfg).unwrap();
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

impl Project {
    /// A project whose `site/` is a copy of the named fixture.
    pub fn fixture(name: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join(name), &dir.path().join("site"));
        Project { dir }
    }

    /// A project whose `site/` is a copy of the repository's sample site.
    pub fn sample_site() -> Project {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("site"),
            &dir.path().join("site"),
        );
        Project { dir }
    }

    /// The sample site built once per run of the test binary (`lmp build --quiet` into its
    /// `public/`), shared by the tests that only read it (its pages, `lmp search`): a debug
    /// build of the sample site is one of the larger costs of a test. A test that changes the
    /// site, or builds it another way, takes its own [`Project::sample_site`]. Kept under
    /// cargo's temporary folder for integration tests (`target/tmp/`), which `cargo clean`
    /// empties.
    pub fn built_sample_site() -> &'static Project {
        static BUILT: std::sync::OnceLock<Project> = std::sync::OnceLock::new();
        BUILT.get_or_init(|| {
            // The copies of earlier runs (a static is never dropped), once they are a day old.
            let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
            for e in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
                let old = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age.as_secs() > 86_400);
                if old
                    && e.file_name()
                        .to_string_lossy()
                        .starts_with("built-sample-site-")
                {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
            let dir = tempfile::Builder::new()
                .prefix("built-sample-site-")
                .tempdir_in(tmp)
                .unwrap();
            copy_dir(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("site"),
                &dir.path().join("site"),
            );
            let p = Project { dir };
            p.ok(&["build", "--quiet"]);
            p
        })
    }

    /// The `basic` fixture with Spanish declared in its config and one translation,
    /// `stories/first-story.es.md`.
    pub fn bilingual() -> Project {
        let p = Project::fixture("basic");
        p.append(
            "site/config.yaml",
            "languages:\n  en: {name: English}\n  es:\n    name: Español\n    title: Alianza de prueba\n    description: Un sitio pequeño.\n    menu:\n      - {name: Historias, url: /stories/}\n",
        );
        p.write(
            "site/stories/first-story.es.md",
            "---\ntitle: La primera historia\nsummary: Una historia sobre un equipo.\n---\nUn equipo de Hawái aprendió a reunirse. Lea [la guía](../guides/huddle.md#step-2).\n",
        );
        p
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    /// Add `text` at the end of a file of the project (e.g. a setting to `site/config.yaml`).
    pub fn append(&self, rel: &str, text: &str) -> &Self {
        let old = self.read(rel);
        self.write(rel, &format!("{old}{text}"))
    }

    /// Remove a file or a folder (with everything in it) of the project.
    pub fn remove(&self, rel: &str) -> &Self {
        let p = self.path(rel);
        let r = if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
        r.unwrap_or_else(|e| panic!("removing {rel}: {e}"));
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// The `lmp` command with the arguments, to run in the project folder. Processed images are
    /// cached in one folder shared by every test (the cache is content-addressed), so only the
    /// first build that meets an image encodes it; [`Project::run_env`] can give a cache of
    /// one's own.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_lmp"));
        c.args(args)
            .current_dir(self.dir.path())
            .env_remove("LMP_LOG")
            .env("LMP_CACHE_DIR", image_cache());
        c
    }

    /// Run `lmp` with the arguments in the project folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Output::of(self.command(args).output().expect("running lmp"))
    }

    /// Run `lmp` with the arguments and extra environment variables.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = self.command(args);
        c.envs(env.iter().copied());
        Output::of(c.output().expect("running lmp"))
    }

    /// Run and assert success.
    pub fn ok(&self, args: &[&str]) -> Output {
        let o = self.run(args);
        assert_eq!(o.code, 0, "lmp {args:?} failed:\n{}", o.stderr);
        o
    }

    /// Run `lmp` with the arguments and assert that it fails with exit code 1 (content errors).
    #[track_caller]
    pub fn fails(&self, args: &[&str]) -> Output {
        let o = self.run(args);
        assert_eq!(o.code, 1, "lmp {args:?} did not fail with 1:\n{}", o.stderr);
        o
    }

    /// Run with extra environment variables and assert success.
    pub fn ok_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let o = self.run_env(args, env);
        assert_eq!(o.code, 0, "lmp {args:?} failed:\n{}", o.stderr);
        o
    }

    /// The result URLs (without their `#fragment`) of `lmp search QUERY --json` with `args`
    /// (filters such as `--region x`, `--lang es`).
    pub fn search(&self, query: &str, args: &[&str]) -> Vec<String> {
        let mut all = vec!["search", query, "--json"];
        all.extend_from_slice(args);
        let o = self.ok(&all);
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let l = r["url"].as_str().unwrap();
                l.split('#').next().unwrap_or(l).to_string()
            })
            .collect()
    }

    /// Runs search relevance cases (shared with the browser engine's tests in `tests/js/`):
    /// each `(query, extra arguments, a page that must be in the top 3, why)`, and `also` on
    /// each case's results. Returns one line per miss (empty when every case passes).
    pub fn relevance_misses(
        &self,
        cases: &[RelevanceCase],
        also: impl Fn(&RelevanceCase, &[String]) -> Option<String>,
    ) -> Vec<String> {
        let mut misses = Vec::new();
        for c in cases {
            let args: Vec<&str> = c.args.iter().map(String::as_str).collect();
            let urls = self.search(&c.query, &args);
            if !urls.iter().take(3).any(|u| *u == c.want) {
                misses.push(format!(
                    "{:?} {:?} ({}): want {} in the top 3, got {urls:?}",
                    c.query, c.args, c.why, c.want
                ));
            }
            misses.extend(also(c, &urls));
        }
        misses
    }

    /// Every file (with its bytes) and every empty folder under a folder, relative, sorted.
    pub fn tree(&self, rel: &str) -> Vec<(String, Option<Vec<u8>>)> {
        let dir = self.path(rel);
        let mut out = Vec::new();
        for e in walkdir::WalkDir::new(&dir).min_depth(1).sort_by_file_name() {
            let e = e.unwrap();
            let rel = e
                .path()
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if e.file_type().is_dir() {
                if std::fs::read_dir(e.path()).unwrap().next().is_none() {
                    out.push((rel, None));
                }
            } else {
                out.push((rel, Some(std::fs::read(e.path()).unwrap())));
            }
        }
        out
    }

    /// Every file under a folder, relative, sorted, with contents.
    pub fn snapshot_dir(&self, rel: &str) -> Vec<(String, Vec<u8>)> {
        let root = self.path(rel);
        let mut out = Vec::new();
        for e in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let e = e.unwrap();
            if e.file_type().is_file() {
                out.push((
                    e.path()
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    std::fs::read(e.path()).unwrap(),
                ));
            }
        }
        out
    }
}
