//! The output folder: only lmp's own folders are replaced, dangerous places are refused even with
//! `--force`, the swap is atomic, builds into one folder take turns, a killed build leaves the
//! previous output and the next build cleans up, and every output or content error exits 1.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::{Output, Project};

/// Names of the folder's entries that lmp leaves next to an output while it works (the
/// manifest of the last output, `.NAME.lmp-manifest`, and the output before it,
/// `.NAME.lmp-spare`, stay on purpose: see `fsx::output`).
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.contains(".lmp-") && !n.ends_with(".lmp-manifest") && !n.ends_with(".lmp-spare")
        })
        .collect()
}

fn change_every_page(p: &Project, title: &str) {
    let config = p.read("site/config.yaml");
    let first = config.lines().next().unwrap().to_string();
    p.write(
        "site/config.yaml",
        &config.replacen(&first, &format!("title: {title}"), 1),
    );
}

#[test]
fn every_output_has_the_marker() {
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    assert!(p.exists("public/.lmp-output"));
    assert!(p.read("public/.lmp-output").contains("lmp build"));
    assert!(
        leftovers(p.dir.path()).is_empty(),
        "{:?}",
        leftovers(p.dir.path())
    );
}

#[test]
fn a_folder_lmp_did_not_create_is_refused_and_kept() {
    let p = Project::fixture("basic");
    p.write("docs/handbook.md", "# Our handbook\n");
    let o = p.fails(&["build", "--out", "docs"]);
    assert!(
        o.stderr.contains(
            "error: refusing to replace docs: it is not empty (handbook.md) and lmp did not create it"
        ),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("= help:") && o.stderr.contains("--force"),
        "{}",
        o.stderr
    );
    assert_eq!(p.read("docs/handbook.md"), "# Our handbook\n");
    assert!(leftovers(p.dir.path()).is_empty());

    // --force replaces it, and from then on the folder is lmp's.
    p.ok(&["build", "--out", "docs", "--force"]);
    assert!(!p.exists("docs/handbook.md"));
    assert!(p.exists("docs/.lmp-output") && p.exists("docs/index.html"));
    p.ok(&["build", "--out", "docs"]);
}

#[test]
fn new_and_empty_folders_are_accepted() {
    let p = Project::fixture("basic");
    std::fs::create_dir_all(p.path("empty")).unwrap();
    p.ok(&["build", "--out", "empty"]);
    p.ok(&["build", "--out", "deep/new/folder"]);
    assert!(p.exists("empty/index.html") && p.exists("deep/new/folder/index.html"));
}

#[test]
fn an_output_of_an_older_lmp_without_marker_is_replaced() {
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    // What lmp wrote before the marker existed.
    p.remove("public/.lmp-output");
    p.ok(&["build"]);
    assert!(p.exists("public/.lmp-output"));
}

#[test]
fn dangerous_places_are_refused_even_with_force() {
    let p = Project::fixture("basic");
    p.write("themes/lmp/templates/base.html", "theme source");
    p.write("home/.ssh/id_ed25519", "secret");
    p.write("home/Documents/letter.txt", "dear");
    let home = p.path("home");
    let cases: &[(&str, &str)] = &[
        (home.to_str().unwrap(), "it is your home folder"),
        (".", "it is the current folder"),
        ("..", "it contains the site folder"),
        ("/", "it contains"),
        ("site", "it is the site folder"),
        ("site/stories", "it is inside the site folder"),
        ("site/public", "it is inside the site folder"),
        ("themes", "it is inside the themes folder"),
        ("themes/lmp", "it is inside the themes folder"),
    ];
    for (out, why) in cases {
        for force in [false, true] {
            let mut args = vec!["build", "--out", out];
            if force {
                args.push("--force");
            }
            let o = Output::of(p.command(&args).env("HOME", &home).output().unwrap());
            assert_eq!(
                o.code, 1,
                "--out {out} (force: {force}) was accepted: {}",
                o.stderr
            );
            assert!(
                o.stderr.contains("error: refusing to write the output to")
                    && o.stderr.contains(why),
                "--out {out}: {}",
                o.stderr
            );
            assert!(
                o.stderr.contains("--force does not override this"),
                "{}",
                o.stderr
            );
        }
    }
    // QA Q106: run from inside the site folder, the help names a folder that can be used.
    let o = Output::of(
        p.command(&["build", "--site", ".", "--out", "public"])
            .current_dir(p.path("site"))
            .output()
            .unwrap(),
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("e.g. --out ../public "), "{}", o.stderr);
    let o = Output::of(
        p.command(&["build"])
            .current_dir(p.path("site"))
            .output()
            .unwrap(),
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("the current folder has a config.yaml") && o.stderr.contains("`cd ..`"),
        "{}",
        o.stderr
    );
    assert_eq!(p.read("home/.ssh/id_ed25519"), "secret");
    assert_eq!(p.read("home/Documents/letter.txt"), "dear");
    assert_eq!(p.read("themes/lmp/templates/base.html"), "theme source");
    assert!(p.exists("site/config.yaml") && p.exists("site/stories/first-story.md"));
    assert!(!p.exists("home/.lmp-output") && !p.exists(".lmp-output"));
    assert!(leftovers(p.dir.path()).is_empty());
}

#[test]
fn a_theme_folder_named_in_config_is_refused() {
    let p = Project::fixture("basic");
    crate::harness::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp"),
        &p.path("mytheme"),
    );
    p.append("site/config.yaml", "theme: ../mytheme\n");
    for out in ["mytheme", "mytheme/static"] {
        let o = p.fails(&["build", "--out", out, "--force"]);
        assert!(o.stderr.contains("the theme folder"), "{}", o.stderr);
    }
    assert!(p.exists("mytheme/templates/base.html"));
}

#[test]
fn a_symlink_as_output_writes_to_its_target() {
    let p = Project::fixture("basic");
    std::fs::create_dir_all(p.path("www/lmp")).unwrap();
    std::os::unix::fs::symlink(p.path("www/lmp"), p.path("public")).unwrap();
    p.ok(&["build"]);
    assert!(p.exists("www/lmp/index.html"));
    assert!(
        std::fs::symlink_metadata(p.path("public"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    p.ok(&["build"]);
    assert!(p.exists("www/lmp/index.html"));
}

#[test]
fn concurrent_builds_into_one_folder_take_turns() {
    let p = Project::fixture("basic");
    let children: Vec<_> = (0..4)
        .map(|_| {
            p.command(&["build"])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = Output::of(c.wait_with_output().unwrap());
        assert_eq!(o.code, 0, "{}", o.stderr);
    }
    assert!(p.exists("public/index.html") && p.exists("public/.lmp-output"));
    assert!(
        leftovers(p.dir.path()).is_empty(),
        "{:?}",
        leftovers(p.dir.path())
    );
}

#[test]
fn a_build_waits_while_another_holds_the_lock() {
    use rustix::fs::{FlockOperation, flock};
    let p = Project::fixture("basic");
    let lock = std::fs::File::create(p.path(".public.lmp-lock")).unwrap();
    flock(&lock, FlockOperation::LockExclusive).unwrap();
    let mut child = p
        .command(&["build"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read stderr as it comes, until the build says it waits (however slow the machine).
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead as _;
        let mut all = String::new();
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if line.contains("waiting for another lmp build into public") {
                let _ = tx.send(());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let waited = rx.recv_timeout(Duration::from_secs(120)).is_ok();
    assert!(waited, "the build never said it waits for the lock");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the build did not wait for the lock"
    );
    assert!(!p.exists("public"));
    drop(lock);
    let status = child.wait().unwrap();
    let stderr = reader.join().unwrap();
    assert!(status.success(), "{stderr}");
    assert!(p.exists("public/index.html"));
}

#[test]
fn a_killed_build_leaves_the_previous_output_and_the_next_build_cleans_up() {
    let p = Project::sample_site();
    p.ok(&["build"]);
    let before = p.snapshot_dir("public");
    change_every_page(&p, "Changed Title");
    let mut killed_while_staging = false;
    for _attempt in 0..5 {
        let mut child = p
            .command(&["build"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        // Kill as soon as the build has begun writing its staging folder.
        while !p.exists(".public.lmp-staging") && started.elapsed() < Duration::from_secs(120) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        child.kill().ok(); // SIGKILL
        let status = child.wait().unwrap();
        if status.success() {
            // It finished before the kill: undo and try again.
            let _ = std::fs::remove_dir_all(p.path("public"));
            change_every_page(&p, "Fixture");
            p.ok(&["build"]);
            change_every_page(&p, "Changed Title");
            continue;
        }
        if p.exists(".public.lmp-staging") {
            killed_while_staging = true;
            break;
        }
    }
    assert!(
        killed_while_staging,
        "never caught the build while it wrote its staging folder"
    );
    let after_kill = p.snapshot_dir("public");
    assert!(
        after_kill == before,
        "the previous output changed when a build was killed"
    );
    // The next build removes the staging folder and publishes the new output.
    p.ok(&["build"]);
    assert!(
        leftovers(p.dir.path()).is_empty(),
        "{:?}",
        leftovers(p.dir.path())
    );
    assert!(p.read("public/index.html").contains("Changed Title"));
}

#[test]
fn a_full_disk_exits_1_and_keeps_the_previous_output() {
    use std::os::unix::process::CommandExt as _;
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    let before = p.snapshot_dir("public");
    change_every_page(&p, "A New Title");
    let mut cmd = p.command(&["build"]);
    // Files over 2 kB cannot be written (EFBIG, as on a full disk); SIGXFSZ is ignored so the
    // write fails instead of killing the process. Works as root too.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 2048,
                rlim_max: 2048,
            };
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let o = Output::of(cmd.output().unwrap());
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("error: could not write"), "{}", o.stderr);
    assert!(o.stderr.contains("File too large"), "{}", o.stderr);
    assert!(
        before == p.snapshot_dir("public"),
        "the previous output changed"
    );
    assert!(
        leftovers(p.dir.path()).is_empty(),
        "{:?}",
        leftovers(p.dir.path())
    );
}

#[test]
fn exit_codes_are_1_for_errors_and_2_for_usage() {
    let p = Project::fixture("basic");
    // Usage errors (clap).
    assert_eq!(p.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(p.run(&["frobnicate"]).code, 2);
    assert_eq!(p.run(&["new"]).code, 2);
    // Everything else.
    assert_eq!(p.run(&["new", "storyy", "A title"]).code, 1);
    assert_eq!(
        p.run(&["new", "story", "Hello", "--site", "nowhere"]).code,
        1
    );
    assert_eq!(p.run(&["search", "huddle"]).code, 1, "no index yet");
    p.write("out.txt", "x");
    assert_eq!(p.run(&["build", "--out", "out.txt"]).code, 1);
    assert_eq!(p.run(&["build", "--site", "nowhere"]).code, 1);
}

/// The bytes every file of a build was given to a sink with.
#[derive(Default)]
struct Collect(std::sync::Mutex<std::collections::BTreeMap<String, Vec<u8>>>);

impl lmp::site::Sink for Collect {
    fn put(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let old = self
            .0
            .lock()
            .unwrap()
            .insert(rel.to_string(), bytes.to_vec());
        assert!(old.is_none(), "{rel} was written twice");
        Ok(())
    }
}

#[test]
fn a_streaming_build_writes_what_a_build_in_memory_holds() {
    // `lmp build` writes every page to the staging folder as it is rendered and keeps none of
    // the output's bytes: the same files, byte for byte, as a build that keeps them all.
    let p = Project::sample_site();
    crate::harness::share_image_cache(&p.path("site"));
    let opts = lmp::site::Options {
        today: lmp::util::Date::parse("2026-11-28").unwrap(),
        ..lmp::site::Options::new(p.path("site"))
    };
    let in_memory = lmp::build(&opts).unwrap();
    let sink = Collect::default();
    let streamed = lmp::build_to(&opts, &sink).unwrap();
    assert!(
        streamed.files.is_empty(),
        "a streaming build kept {} files in memory",
        streamed.files.len()
    );
    let written = sink.0.into_inner().unwrap();
    let kept: std::collections::BTreeMap<String, Vec<u8>> = in_memory
        .files
        .iter()
        .map(|(k, v)| (k.clone(), v.to_vec()))
        .collect();
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        kept.keys().collect::<Vec<_>>()
    );
    for (k, v) in &kept {
        assert!(written[k] == *v, "{k} differs");
    }
    assert_eq!(streamed.pages, in_memory.pages);
    assert_eq!(streamed.warnings.len(), in_memory.warnings.len());
}

#[test]
fn a_file_changed_in_the_output_by_hand_is_written_again() {
    // Unchanged files are hard-linked from the last output when the manifest says they are the
    // files that build wrote; a file edited since (same size even) must not be kept.
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    let page = "public/guides/huddle/index.html";
    let built = p.read(page);
    let forged = built.replacen("<html", "<HTML", 1);
    assert_eq!(forged.len(), built.len());
    std::thread::sleep(Duration::from_millis(20));
    p.write(page, &forged);
    p.ok(&["build"]);
    assert_eq!(p.read(page), built, "the edited file was kept");
    // A missing or garbled manifest: the folder is no longer known to be lmp's (refused), and
    // with --force every file is written again, correctly.
    p.write(page, &forged);
    std::fs::write(p.path(".public.lmp-manifest"), "garbage\n0 1 2\n").unwrap();
    assert_eq!(p.run(&["build"]).code, 1);
    p.ok(&["build", "--force"]);
    assert_eq!(p.read(page), built);
    p.remove(".public.lmp-manifest");
    p.write(page, &forged);
    p.ok(&["build", "--force"]);
    assert_eq!(p.read(page), built);
    assert!(p.exists(".public.lmp-manifest"));
}

#[test]
fn a_changed_page_is_rewritten_and_the_others_keep_their_mtime() {
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    let mtime = |rel: &str| std::fs::metadata(p.path(rel)).unwrap().modified().unwrap();
    let kept = "public/guides/huddle/index.html";
    let before = mtime(kept);
    std::thread::sleep(Duration::from_millis(20));
    let story = "site/stories/first-story.md";
    let text = p.read(story);
    p.write(story, &format!("{text}\nOne more paragraph, added.\n"));
    p.ok(&["build"]);
    assert!(
        p.read("public/stories/first-story/index.html")
            .contains("One more paragraph, added.")
    );
    assert_eq!(mtime(kept), before);
    assert!(leftovers(p.dir.path()).is_empty());
}

#[test]
fn a_build_over_the_previous_output_holds_exactly_what_a_fresh_build_holds() {
    // The output a build replaces is kept as `.public.lmp-spare` and the next build writes over
    // it: what it had and the build does not write (a page gone, a stray file, a folder left
    // empty) must go, a file linked to the live output must be replaced, not written through
    // (the live output must not change while a build runs), and the result must be a fresh
    // build's, byte for byte.
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    p.ok(&["build"]);
    assert!(p.exists(".public.lmp-spare/index.html"), "no spare kept");
    // Strays in the spare: a file, a page in a folder of its own, a folder where the build
    // writes a file, and a file where the build needs a folder.
    p.write(".public.lmp-spare/stray.txt", "stray");
    p.write(".public.lmp-spare/stories/stray/index.html", "stray");
    p.remove(".public.lmp-spare/robots.txt");
    p.write(".public.lmp-spare/robots.txt/x.html", "stray");
    p.remove(".public.lmp-spare/guides");
    p.write(".public.lmp-spare/guides", "stray");
    // A page gone (its folder too), and a changed page.
    p.remove("site/stories/third-story.md");
    let story = "site/stories/first-story.md";
    let text = p.read(story);
    p.write(story, &format!("{text}\nOne more paragraph, added.\n"));
    let live_before = p.read("public/stories/first-story/index.html");
    p.ok(&["build"]);
    // The build before's output (now the spare) still has the page as it was.
    assert_eq!(
        p.read(".public.lmp-spare/stories/first-story/index.html"),
        live_before,
        "the previous output was written through a hard link"
    );
    assert!(!p.exists("public/stories/third-story"));
    let fresh = Project::fixture("basic");
    fresh.remove("site/stories/third-story.md");
    fresh.write(story, &format!("{text}\nOne more paragraph, added.\n"));
    fresh.ok(&["build"]);
    let (got, want) = (p.tree("public"), fresh.tree("public"));
    let names =
        |t: &[(String, Option<Vec<u8>>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want));
    assert!(got == want, "a file differs from a fresh build's");
    // And once more over that spare (every file linked to the output), then a failed build.
    p.ok(&["build"]);
    assert!(p.tree("public") == want);
    p.write(story, "---\ntitle: [unclosed\n---\n");
    assert_eq!(p.run(&["build"]).code, 1);
    assert!(
        p.tree("public") == want,
        "a failed build changed the output"
    );
    assert!(leftovers(p.dir.path()).is_empty());
}

#[test]
fn a_copy_of_an_output_a_checkout_or_a_hand_added_file_is_refused() {
    // QA Q31: copying `public/` into a deploy checkout copies the marker too; building into it
    // then deleted the checkout's `.git`, README and CNAME.
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    crate::harness::copy_dir(&p.path("public"), &p.path("deploy"));
    p.write("deploy/README.md", "# deploy\n");
    p.write("deploy/CNAME", "lmp.example.org\n");
    let o = p.fails(&["build", "--out", "deploy"]);
    assert!(
        o.stderr.contains(
            "refusing to replace deploy: it has lmp's marker but no record of what lmp wrote there"
        ),
        "{}",
        o.stderr
    );
    assert_eq!(p.read("deploy/CNAME"), "lmp.example.org\n");
    // A repository: refused even with --force, nothing touched.
    p.write("deploy/.git/HEAD", "ref: refs/heads/main\n");
    for args in [
        &["build", "--out", "deploy"][..],
        &["build", "--out", "deploy", "--force"],
    ] {
        let o = p.run(args);
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert!(
            o.stderr
                .contains("refusing to replace deploy: it holds a repository (.git)")
                && o.stderr
                    .contains("rsync -a --delete --exclude .git public/ deploy/"),
            "{}",
            o.stderr
        );
    }
    assert!(p.exists("deploy/.git/HEAD") && p.exists("deploy/README.md"));
    // A file added by hand to lmp's own output: named, and kept.
    p.write("public/CNAME", "lmp.example.org\n");
    let o = p.fails(&["build"]);
    assert!(
        o.stderr
            .contains("refusing to replace public: lmp did not write CNAME")
            && o.stderr.contains("site/static/"),
        "{}",
        o.stderr
    );
    assert!(p.exists("public/CNAME"));
    p.ok(&["build", "--force"]);
    assert!(!p.exists("public/CNAME"));
    p.ok(&["build"]);
}

#[test]
fn force_never_replaces_a_repository_inside_the_folder() {
    // QA Q46: `--force` deleted a checkout one level down (`docs/theme/.git`), and the next build
    // wrote over the spare that still held it.
    let p = Project::fixture("basic");
    p.write("docs/theme/.git/HEAD", "ref: refs/heads/main\n");
    p.write("docs/theme/style.css", "body {}\n");
    p.write("docs/notes/todo.md", "precious\n");
    for args in [
        &["build", "--out", "docs"][..],
        &["build", "--out", "docs", "--force"],
    ] {
        let o = p.run(args);
        assert_eq!(o.code, 1, "{}", o.stderr);
        if args.len() == 4 {
            assert!(
                o.stderr.contains(
                    "refusing to replace docs: it holds a repository (theme/.git), which the build would delete"
                ),
                "{}",
                o.stderr
            );
        }
    }
    assert_eq!(p.read("docs/notes/todo.md"), "precious\n");
    assert!(p.exists("docs/theme/.git/HEAD") && p.exists("docs/theme/style.css"));
    // Inside lmp's own output too: a checkout added by hand under a page folder.
    p.ok(&["build"]);
    p.write(
        "public/vendor/lib/.git",
        "gitdir: ../../../.git/worktrees/lib\n",
    );
    let o = p.fails(&["build", "--force"]);
    assert!(
        o.stderr.contains("it holds a repository (vendor/lib/.git)"),
        "{}",
        o.stderr
    );
    assert!(p.exists("public/vendor/lib/.git"));
    // Without a repository, --force says where the old contents stay.
    p.write("other/notes.txt", "x\n");
    let o = p.run(&["build", "--out", "other", "--force"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr
            .contains(".other.lmp-spare until the next build into it"),
        "{}",
        o.stderr
    );
}

#[test]
fn the_recipe_for_a_checkout_called_public_builds_elsewhere() {
    // QA Q73: with `public/` a gh-pages worktree, the help said `rsync … public/ public/`.
    let p = Project::fixture("basic");
    p.write("public/.git", "gitdir: ../.git/worktrees/public\n");
    p.write("public/CNAME", "lmp.example.org\n");
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains(
            "lmp build --out lmp-public && rsync -a --delete --exclude .git lmp-public/ public/"
        ),
        "{}",
        o.stderr
    );
    assert_eq!(p.read("public/CNAME"), "lmp.example.org\n");
}

#[test]
fn an_output_path_ending_in_a_dot_is_the_folder_and_later_builds_go_on() {
    // QA Q77: `--out public/.` failed to swap, deleted the manifest, and every later build was
    // refused ("it has lmp's marker but no record of what lmp wrote there").
    let p = Project::fixture("basic");
    p.ok(&["build", "--out", "public/"]);
    change_every_page(&p, "Second");
    p.ok(&["build", "--out", "public/."]);
    assert!(p.read("public/index.html").contains("Second"));
    assert!(p.exists(".public.lmp-manifest"));
    change_every_page(&p, "Third");
    p.ok(&["build", "--out", "./public//"]);
    p.ok(&["build", "--out", "public"]);
    assert!(p.read("public/index.html").contains("Third"));
    assert!(
        leftovers(p.dir.path()).is_empty(),
        "{:?}",
        leftovers(p.dir.path())
    );
    // QA Q47: git ignores the spare (a whole copy of the previous site); the output has no
    // such file.
    assert!(
        p.read(".public.lmp-spare/.gitignore")
            .lines()
            .any(|l| l == "*")
    );
    assert!(!p.exists("public/.gitignore"));
}

#[test]
fn an_output_inside_another_output_is_refused_up_front() {
    // QA Q82: `--out public/lmp` after `--out public` wrote into the first output, whose next
    // build was then refused with the wrong help.
    let p = Project::fixture("basic");
    p.ok(&["build", "--out", "public"]);
    let o = p.fails(&["build", "--out", "public/lmp"]);
    assert!(
        o.stderr.contains("it is inside") && o.stderr.contains("an output of lmp"),
        "{}",
        o.stderr
    );
    assert!(!p.exists("public/lmp") && !p.exists("public/.lmp.lmp-manifest"));
    p.ok(&["build", "--out", "public"]);
}

/// Mount a tmpfs on `dir` (a Docker volume's stand-in); false where that is not allowed.
fn mount_tmpfs(dir: &Path) -> bool {
    std::fs::create_dir_all(dir).unwrap();
    std::process::Command::new("mount")
        .args(["-t", "tmpfs", "tmpfs"])
        .arg(dir)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn umount(dir: &Path) {
    let _ = std::process::Command::new("umount").arg(dir).status();
}

#[test]
fn a_mount_point_output_builds_and_force_never_deletes_what_lmp_did_not_write() {
    // QA Q76: a mount point could never be built. QA Q95: `--force` on one replaced its foreign
    // files although no spare keeps them.
    let p = Project::fixture("basic");
    let out = p.path("public");
    if !mount_tmpfs(&out) {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    }
    let r = std::panic::catch_unwind(|| {
        p.ok(&["build"]);
        change_every_page(&p, "Second");
        p.ok(&["build"]);
        assert!(p.read("public/index.html").contains("Second"));
        assert!(!p.exists("public/.lmp-staging") && !p.exists("public/.lmp-old"));
        p.write("public/notes/KEEP.txt", "precious\n");
        let o = p.fails(&["build", "--force"]);
        assert!(o.stderr.contains("it is a mount point"), "{}", o.stderr);
        assert_eq!(p.read("public/notes/KEEP.txt"), "precious\n");
    });
    umount(&out);
    if let Err(e) = r {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn a_mount_point_under_a_read_only_folder_keeps_its_lock_and_manifest_inside() {
    // QA Q96: `docker run --read-only -v vol:/site/public`: the lock file beside the output
    // could not be created, so every build failed.
    let p = Project::fixture("basic");
    let ro = p.path("ro");
    if !mount_tmpfs(&ro) {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    }
    let out = p.path("ro/public");
    let r = std::panic::catch_unwind(|| {
        assert!(mount_tmpfs(&out));
        let remounted = std::process::Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&ro)
            .status()
            .unwrap();
        assert!(remounted.success());
        assert!(
            std::fs::write(p.path("ro/x"), "x").is_err(),
            "ro/ is not read-only"
        );
        p.ok(&["build", "--out", "ro/public"]);
        change_every_page(&p, "Second");
        p.ok(&["build", "--out", "ro/public"]);
        assert!(p.read("ro/public/index.html").contains("Second"));
        // The manifest is inside (the second build hard-linked what did not change from it),
        // the lock is gone, and lmp's files are not taken for the author's.
        assert!(p.exists("ro/public/.lmp-manifest"));
        assert!(!p.exists("ro/public/.lmp-lock") && !p.exists("ro/public/.lmp-staging"));
        // A file lmp did not write is still refused.
        p.write("ro/public/notes.txt", "mine\n");
        let o = p.fails(&["build", "--out", "ro/public"]);
        assert!(
            o.stderr.contains("lmp did not write notes.txt"),
            "{}",
            o.stderr
        );
        assert_eq!(p.read("ro/public/notes.txt"), "mine\n");
    });
    umount(&out);
    umount(&ro);
    if let Err(e) = r {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn an_image_cache_inside_the_output_is_refused() {
    // QA Q79: `LMP_CACHE_DIR=public/cache` was deleted with the old output by every build
    // (every image encoded again, 27 s on the sample site) without a word.
    let p = Project::fixture("basic");
    let inside = p.path("public/cache");
    let o = p.run_env(&["build"], &[("LMP_CACHE_DIR", inside.to_str().unwrap())]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("the image cache") && o.stderr.contains("is inside it"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("LMP_CACHE_DIR"), "{}", o.stderr);
    assert!(!p.exists("public/index.html"));
    let beside = p.path("cache");
    p.ok_env(&["build"], &[("LMP_CACHE_DIR", beside.to_str().unwrap())]);
}
