//! Fixture-site harness: `Project::fixture("basic")` copies `tests/fixtures/basic` to
//! `<tmp>/site`; `run(&["build"])` runs the real `lmp` binary in `<tmp>`.

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

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
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

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// The `lmp` command with the arguments, to run in the project folder.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_lmp"));
        c.args(args)
            .current_dir(self.dir.path())
            .env_remove("LMP_LOG");
        c
    }

    /// Run `lmp` with the arguments in the project folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Output::of(self.command(args).output().expect("running lmp"))
    }

    /// Run and assert success.
    pub fn ok(&self, args: &[&str]) -> Output {
        let o = self.run(args);
        assert_eq!(o.code, 0, "lmp {args:?} failed:\n{}", o.stderr);
        o
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
