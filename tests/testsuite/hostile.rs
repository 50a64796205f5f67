//! Hostile input (issue 11, part 2): aliases that are not clean site paths, file names and lines
//! that try to forge diagnostics, and a corrupt search index given to `lmp search`. Each case must
//! end in a clear error (exit 1, file and problem named), never a panic (exit 101).

use crate::harness::{Output, Project, no_panic};

const STORY_HEAD: &str =
    "---\ntitle: A story\ndate: 2020-01-01\nsummary: A summary.\ntopics: [ubt-basics]\n";

#[test]
fn aliases_are_validated_like_url_paths() {
    for (alias, why) in [
        ("//evil.example/x/", "starts with `//`"),
        ("/%2e%2e/x/", "`.` or `..` segment"),
        ("/a/%2E/b/", "`.` or `..` segment"),
        ("/a/../b/", "`.` or `..` segment"),
        ("/a//b/", "empty segment"),
        ("/a/%2f/b/", "encoded slash"),
        ("/a/%zz/", "invalid percent escape"),
        ("/a?b=1", "must not contain"),
        ("old/x/", "must start with `/`"),
    ] {
        let p = Project::fixture("basic");
        p.write(
            "site/stories/bad.md",
            &format!("{STORY_HEAD}aliases: [\"{alias}\"]\n---\nText.\n"),
        );
        let o = p.run(&["check"]);
        no_panic(&o);
        assert_eq!(o.code, 1, "{alias} was accepted:\n{}", o.stderr);
        assert!(
            o.stderr.contains("site/stories/bad.md:6:") && o.stderr.contains(why),
            "{alias}:\n{}",
            o.stderr
        );
        assert!(
            o.stderr.contains("help: write old addresses"),
            "{}",
            o.stderr
        );
    }
}

/// QA s11: an output folder lmp may not write in (locked with `chattr +i`, which stops root
/// too) said only "could not swap the new output into public: Operation not permitted (os error
/// 1)": now a help in plain words, and the previous output is left as it was. Where the file
/// system or the user cannot lock a folder, there is nothing to check.
#[test]
fn a_locked_output_folder_is_said_in_plain_words_and_kept() {
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    let before = p.read("public/index.html");
    let out = p.path("public");
    let locked = std::process::Command::new("chattr")
        .arg("+i")
        .arg(&out)
        .status()
        .is_ok_and(|s| s.success());
    if !locked {
        eprintln!("chattr +i is not available here: nothing to check");
        return;
    }
    let o = p.run(&["build"]);
    let _ = std::process::Command::new("chattr")
        .arg("-i")
        .arg(&out)
        .status();
    no_panic(&o);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("help: you may not write there")
            && o.stderr.contains("lmp build --out FOLDER"),
        "{}",
        o.stderr
    );
    assert_eq!(p.read("public/index.html"), before);
}

#[test]
fn aliases_are_normalised() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/good.md",
        &format!("{STORY_HEAD}aliases: [\"/old%20name/story\", \"/caf%C3%A9/\"]\n---\nText.\n"),
    );
    p.ok(&["build", "--quiet"]);
    // Decoded: the folders a web server maps those addresses to.
    assert!(p.exists("public/old name/story/index.html"));
    assert!(p.exists("public/café/index.html"));
    assert!(!p.exists("public/old%20name"));
}

#[test]
fn a_file_name_with_a_line_break_cannot_forge_a_line() {
    let p = Project::fixture("basic");
    let name = "site/stories/x\n::error file=forged.md,line=1::forged\n.md";
    p.write(name, &format!("{STORY_HEAD}tittle: x\n---\nText.\n"));
    for format in ["human", "json", "github"] {
        let o = p.run(&["check", "--format", format]);
        no_panic(&o);
        assert_eq!(o.code, 1, "{}", o.stderr);
        let all = format!("{}{}", o.stdout, o.stderr);
        for line in all.lines() {
            assert!(
                !line.starts_with("::error file=forged.md"),
                "{format}: a forged line:\n{all}"
            );
        }
        assert!(all.contains("stories/x\\n"), "{format}:\n{all}");
    }
}

#[test]
fn a_huge_source_line_is_cut_in_diagnostics() {
    let p = Project::fixture("basic");
    let long = "a".repeat(1 << 20);
    p.write(
        "site/stories/bad.md",
        &format!("{STORY_HEAD}tittle: {long}\n---\nText.\n"),
    );
    let o = p.run(&["check"]);
    no_panic(&o);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("unknown field `tittle`"),
        "{}",
        &o.stderr[..2000.min(o.stderr.len())]
    );
    assert!(
        o.stderr.len() < 4000,
        "{} bytes of diagnostics",
        o.stderr.len()
    );
    assert!(o.stderr.contains("6 | tittle: aaa"), "{}", o.stderr);
    assert!(o.stderr.contains("aaa…\n"), "{}", o.stderr);
}

// --- A corrupt search index ---

/// A built fixture site.
fn built() -> Project {
    let p = Project::fixture("basic");
    p.ok(&["build", "--quiet"]);
    p
}

fn manifest(p: &Project) -> serde_json::Value {
    serde_json::from_str(&p.read("public/search/index/manifest.json")).unwrap()
}

fn set_manifest(p: &Project, m: &serde_json::Value) {
    p.write("public/search/index/manifest.json", &m.to_string());
}

/// `lmp search story`: must fail (exit 1) naming `file` and containing `what`.
fn search_fails(p: &Project, file: &str, what: &str) {
    let o = p.run(&["search", "story", "--topic", "ubt-basics"]);
    no_panic(&o);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(o.stderr.contains(file), "{file}:\n{}", o.stderr);
    assert!(o.stderr.contains(what), "{what}:\n{}", o.stderr);
    assert!(!o.stderr.contains("no search index"), "{}", o.stderr);
}

#[test]
fn search_works_on_a_good_index() {
    let p = built();
    let o = p.run(&["search", "story", "--topic", "ubt-basics"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("first story"), "{}", o.stdout);
    let p = Project::fixture("basic");
    let o = p.run(&["search", "story"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("no search index"), "{}", o.stderr);
}

/// A change to a manifest.
type Change = Box<dyn Fn(&mut serde_json::Value)>;

#[test]
fn search_refuses_a_corrupt_manifest() {
    let mf = "search/index/manifest.json";
    let cases: Vec<(&str, Change)> = vec![
        (
            "`docShardSize` is 0",
            Box::new(|m| m["docShardSize"] = 0.into()),
        ),
        (
            "`impacts` is empty",
            Box::new(|m| m["impacts"] = serde_json::json!([])),
        ),
        (
            "covers documents 5..1",
            Box::new(|m| {
                m["collections"][0]["start"] = 5.into();
                m["collections"][0]["end"] = 1.into();
            }),
        ),
        (
            "outside 0..",
            Box::new(|m| m["collections"][0]["end"] = 100_000.into()),
        ),
        (
            "`dir` is `../../..`",
            Box::new(|m| m["dir"] = "../../..".into()),
        ),
        ("`dir` is `/etc`", Box::new(|m| m["dir"] = "/etc".into())),
        (
            "more than lmp indexes",
            Box::new(|m| m["docs"] = u32::MAX.into()),
        ),
        (
            "missing field `impacts`",
            Box::new(|m| {
                m.as_object_mut().unwrap().remove("impacts");
            }),
        ),
    ];
    for (what, change) in cases {
        let p = built();
        let mut m = manifest(&p);
        change(&mut m);
        set_manifest(&p, &m);
        search_fails(&p, mf, what);
    }
    // Not JSON at all: corrupt, not "no search index".
    let p = built();
    p.write("public/search/index/manifest.json", "{\"format\": \"lmp-se");
    search_fails(&p, mf, "the search index is corrupt");
}

#[test]
fn search_refuses_corrupt_postings_and_facets() {
    // Every posting list of every term shard cut to one continuation symbol.
    let p = built();
    let dir = manifest(&p)["dir"].as_str().unwrap().to_string();
    let shards = manifest(&p)["termShards"].as_array().unwrap().len();
    for i in 0..shards {
        let t = format!("public/search/index/{dir}/t{i}.json");
        let mut shard: serde_json::Value = serde_json::from_str(&p.read(&t)).unwrap();
        for t in shard["terms"].as_array_mut().unwrap() {
            t[2] = "z".into();
        }
        p.write(&t, &shard.to_string());
    }
    let o = p.run(&["search", "story"]);
    no_panic(&o);
    assert_eq!(o.code, 1, "{}", o.stdout);
    assert!(
        o.stderr.contains(".json") && o.stderr.contains("cut off"),
        "{}",
        o.stderr
    );
    // Documents beyond the count, in a facet list.
    let p = built();
    let m = manifest(&p);
    let file = m["facets"]["topic"]["file"].as_str().unwrap().to_string();
    let path = format!("public/search/index/{dir}/{file}");
    let mut f: serde_json::Value = serde_json::from_str(&p.read(&path)).unwrap();
    for (_, v) in f["values"].as_object_mut().unwrap() {
        *v = "zzzz0".into();
    }
    p.write(&path, &f.to_string());
    search_fails(&p, &file, "beyond the");
    // Fewer documents than the postings name.
    let p = built();
    let mut m = manifest(&p);
    m["docs"] = 1.into();
    m["collections"] = serde_json::json!([]);
    set_manifest(&p, &m);
    let o = p.run(&["search", "story"]);
    no_panic(&o);
    assert_eq!(o.code, 1, "{}", o.stdout);
    assert!(o.stderr.contains("beyond the 1"), "{}", o.stderr);
}

// --- Property tests: the whole pipeline (what `lmp check` runs), in process ---

mod pipeline {
    use lmp::site::Options;
    use proptest::prelude::*;

    /// Build the basic fixture with `rel` replaced by `bytes`: any outcome but a panic is fine,
    /// and a failure must come with at least one error. The fixture's images come from the
    /// image cache the tests share (issue 12, CI time: each case encoded them again, unoptimised,
    /// 6.7 s a case, 243 s of the testsuite's time for 48 cases).
    fn build_with(rel: &str, bytes: &[u8]) {
        let dir = tempfile::tempdir().unwrap();
        let site_dir = dir.path().join("site");
        crate::harness::copy_dir(&crate::harness::fixtures().join("basic"), &site_dir);
        crate::harness::share_image_cache(&site_dir);
        let path = site_dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        if let Err(failed) = lmp::build(&Options::new(&site_dir)) {
            assert!(
                failed.diagnostics.iter().any(|d| d.is_error()),
                "a failed build without an error"
            );
        }
    }

    /// The image cache every test shares, as a YAML string.
    fn shared_cache() -> String {
        serde_json::to_string(&crate::harness::image_cache().to_string_lossy()).unwrap()
    }

    const FIELDS: &str =
        "(title|date|summary|topics|regions|aliases|slug|draft|weight|tittle|series|video|results)";

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_as_a_story(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            build_with("stories/random.md", &bytes);
        }

        #[test]
        fn random_bytes_as_the_config(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            build_with("config.yaml", &bytes);
        }

        #[test]
        fn valid_looking_stories(
            fields in proptest::collection::vec((FIELDS, "[\\[\\]{}a-z0-9:/%. -]{0,24}"), 0..8),
            body in "([#>*`\\[\\]()!a-z0-9 -]{0,30}\n){0,6}",
        ) {
            let mut s = String::from("---\n");
            for (k, v) in fields {
                s.push_str(&format!("{k}: {v}\n"));
            }
            s.push_str("---\n");
            s.push_str(&body);
            build_with("stories/random.md", s.as_bytes());
        }

        #[test]
        fn valid_looking_configs(
            base in "(https?://)?[a-zé]{0,8}(\\.[a-z]{2,3})?(/[a-zé%0-9 ]{0,6}){0,3}/?",
            extra in "([a-z_]{1,10}: [a-z0-9 ]{0,10}\n){0,3}",
        ) {
            let cfg = std::fs::read_to_string(crate::harness::fixtures().join("basic/config.yaml")).unwrap();
            let cfg = cfg.replace("base_url: https://example.org/", &format!("base_url: \"{base}\"\ncache_dir: {}\n{extra}", shared_cache()));
            build_with("config.yaml", cfg.as_bytes());
        }
    }
}

#[test]
fn search_output_escapes_control_characters_from_the_index() {
    let p = built();
    let dir = manifest(&p)["dir"].as_str().unwrap().to_string();
    let d0 = format!("public/search/index/{dir}/d0.json");
    let mut shard: serde_json::Value = serde_json::from_str(&p.read(&d0)).unwrap();
    for d in shard["docs"].as_array_mut().unwrap() {
        d["title"] = "evil\u{1b}[2J\n::error::forged".into();
    }
    p.write(&d0, &shard.to_string());
    let o = p.run(&["search", "story"]);
    no_panic(&o);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!o.stdout.contains('\u{1b}'), "{}", o.stdout);
    assert!(
        o.stdout.contains("evil\\u{1b}[2J\\n::error::forged"),
        "{}",
        o.stdout
    );
    assert!(
        !o.stdout.lines().any(|l| l.starts_with("::error")),
        "{}",
        o.stdout
    );
}

/// `chattr +i` (or `-i`) on `path`: whether it worked (it needs root and a file system that
/// has the flag).
fn chattr(flag: &str, path: &std::path::Path) -> bool {
    std::process::Command::new("chattr")
        .arg(flag)
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// QA s12: `lmp new` in a folder it may not write in said "could not create X: could not create
/// X: Operation not permitted" and "build into a folder on another disk with `lmp build --out`"
/// (a build's way out, not a new document's). Now the file is named once and the help says what
/// to do about the site's folder; nothing is left behind.
#[test]
fn lmp_new_in_a_locked_folder_says_what_to_do_with_the_site() {
    let p = Project::fixture("basic");
    let folder = p.path("site/stories");
    if !chattr("+i", &folder) {
        eprintln!("chattr +i is not available here: nothing to check");
        return;
    }
    let o = p.run(&["new", "story", "Locked out"]);
    chattr("-i", &folder);
    no_panic(&o);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(
        o.stderr.matches("could not create").count(),
        1,
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("help: you may not write in the site's folder")
            && !o.stderr.contains("lmp build --out"),
        "{}",
        o.stderr
    );
    assert!(!p.exists("site/stories/locked-out.md"));
}

/// QA s12: a project folder lmp may not write in (a site on a read-only disk, built with
/// `--out` elsewhere) encoded every picture again at each build and warned so each time: the
/// images are now cached in the user's cache folder, and the second build reuses them.
#[test]
fn a_site_on_a_disk_lmp_may_not_write_caches_its_images_elsewhere() {
    let p = Project::fixture("basic");
    let photo = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("site/static/images/huddle.jpg"),
    )
    .unwrap();
    p.write_bytes("site/static/images/lead.jpg", &photo);
    p.write(
        "site/stories/pictured.md",
        &format!(
            "{STORY_HEAD}image: /images/lead.jpg\nimage_alt: A team at a huddle\n---\nText.\n"
        ),
    );
    let out = tempfile::tempdir().unwrap();
    let user_cache = tempfile::tempdir().unwrap();
    let root = p.path("");
    if !chattr("+i", &root) {
        eprintln!("chattr +i is not available here: nothing to check");
        return;
    }
    let build = |name: &str| {
        let mut c = p.command(&["build", "--out", out.path().join(name).to_str().unwrap()]);
        c.env_remove("LMP_CACHE_DIR")
            .env("XDG_CACHE_HOME", user_cache.path());
        Output::of(c.output().unwrap())
    };
    let first = build("one");
    let second = build("two");
    chattr("-i", &root);
    for o in [&first, &second] {
        no_panic(o);
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(
            !o.stderr.contains("cannot write the image cache"),
            "{}",
            o.stderr
        );
    }
    assert!(!p.exists(".lmp-cache"));
    let cached: Vec<_> = walk(&user_cache.path().join("lmp"));
    assert!(
        cached.iter().any(|f| f.contains("/images/")),
        "nothing cached in the user's cache: {cached:?}"
    );
    // The same pages from the cache.
    assert_eq!(
        std::fs::read(out.path().join("one/stories/pictured/index.html")).unwrap(),
        std::fs::read(out.path().join("two/stories/pictured/index.html")).unwrap()
    );
}

/// Every file under `dir`, as paths.
fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = e.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.to_string_lossy().into_owned());
        }
    }
    out
}

/// QA s12: `--site site/config.yaml` said "site/config.yaml/config.yaml: error: no config.yaml
/// in the site folder"; a file given as the site folder is now said to be one, with the folder
/// to pass. `lmp new CON` made `con.md`, a name no file can have on Windows.
#[test]
fn a_file_as_the_site_folder_and_windows_device_names_are_handled() {
    let p = Project::fixture("basic");
    let o = p.fails(&["check", "--site", "site/config.yaml"]);
    no_panic(&o);
    assert!(
        o.stderr
            .contains("site/config.yaml: error: this is a file, not a site folder")
            && o.stderr
                .contains("help: pass the folder it is in: `--site site`"),
        "{}",
        o.stderr
    );
    assert!(
        !o.stderr.contains("config.yaml/config.yaml"),
        "{}",
        o.stderr
    );
    for (title, file) in [
        ("CON", "con-story.md"),
        ("Lpt1", "lpt1-story.md"),
        ("Console", "console.md"),
    ] {
        let o = p.ok(&["new", "story", title]);
        assert!(
            o.stdout.trim().ends_with(&format!("site/stories/{file}")),
            "{title}: {}",
            o.stdout
        );
    }
}

/// QA s12: a build onto a full disk gave one error per file of the build ("could not write
/// …: No space left on device", 604 for the sample site) and no word on what to do. Now one
/// error, first, with how many files were not written and the help for a full disk; the output
/// that was there is left as it was. Needs a small tmpfs (root): skipped where it cannot mount.
#[test]
fn a_full_disk_is_one_error_that_says_what_to_do() {
    let p = Project::fixture("basic");
    let disk = tempfile::tempdir().unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(disk.path())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("cannot mount a tmpfs here: nothing to check");
        return;
    }
    let out = disk.path().join("public");
    let o = p.run(&["build", "--out", out.to_str().unwrap()]);
    let _ = std::process::Command::new("umount")
        .arg(disk.path())
        .status();
    no_panic(&o);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let errors = o.errors();
    assert_eq!(errors.len(), 1, "{}", o.stderr);
    assert!(
        errors[0].contains("No space left on device")
            && errors[0].contains("other files of the build were not written"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("help: the disk is full"), "{}", o.stderr);
}

/// Every file under `dir` with its bytes' hash, sorted (hidden files too).
#[cfg(unix)]
fn tree(dir: &std::path::Path) -> Vec<(String, u64)> {
    use std::hash::{Hash as _, Hasher as _};
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::fs::read(e.path()).unwrap().hash(&mut h);
            let rel = e.path().strip_prefix(dir).unwrap();
            out.push((rel.to_string_lossy().into_owned(), h.finish()));
        }
    }
    out
}

/// Ctrl-C while `lmp build` writes (QA s12: the staging folder, a whole output's size, stayed
/// on disk until the next build): the writing stops, the staging folder goes back to being the
/// spare it was made from or is removed when the build made it, the output is byte for byte as
/// before, the lock is released, and the next build works.
#[cfg(unix)]
#[test]
fn ctrl_c_during_a_build_leaves_the_disk_as_it_was() {
    let p = Project::fixture("basic");
    // Enough pages that the build is still running 100 ms after it starts, even optimised (it is
    // interrupted there; the full builds below run without them).
    let many = |p: &Project, on: bool| {
        for i in 0..4000 {
            let rel = format!("site/stories/s{i}.md");
            if on {
                p.write(
                    &rel,
                    &format!(
                        "---\ntitle: Story {i}\ndate: 2020-01-01\nsummary: Team {i} met.\ntopics: [ubt-basics]\n---\nThe team met on Tuesday.\n"
                    ),
                );
            } else {
                std::fs::remove_file(p.path(&rel)).unwrap();
            }
        }
    };
    let interrupted = |p: &Project| {
        let child = p
            .command(&["build"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while !p.exists(".public.lmp-staging") {
            assert!(started.elapsed().as_secs() < 60, "no staging folder");
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        let kill = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        Output::of(child.wait_with_output().unwrap())
    };
    many(&p, true);
    // The first build: nothing before it, nothing after it.
    let o = interrupted(&p);
    assert_eq!(o.code, 130, "{}", o.stderr);
    assert!(
        o.stderr.contains(
            "Interrupted: nothing was written to public; it is as it was before this build."
        ),
        "{}",
        o.stderr
    );
    for left in [
        "public",
        ".public.lmp-staging",
        ".public.lmp-spare",
        ".public.lmp-lock",
    ] {
        assert!(!p.exists(left), "{left} after Ctrl-C");
    }
    // Two builds: an output and its spare; Ctrl-C in the third.
    many(&p, false);
    p.ok(&["build"]);
    p.write(
        "site/stories/zero.md",
        "---\ntitle: Story zero\ndate: 2020-01-01\nsummary: Changed.\ntopics: [ubt-basics]\n---\nChanged.\n",
    );
    p.ok(&["build"]);
    assert!(p.exists(".public.lmp-spare"));
    let before = tree(&p.path("public"));
    let manifest = p.read(".public.lmp-manifest");
    p.write(
        "site/stories/one.md",
        "---\ntitle: Story one\ndate: 2020-01-01\nsummary: Changed.\ntopics: [ubt-basics]\n---\nChanged.\n",
    );
    many(&p, true);
    let o = interrupted(&p);
    many(&p, false);
    assert_eq!(o.code, 130, "{}", o.stderr);
    assert!(!p.exists(".public.lmp-staging"), "{}", o.stderr);
    assert!(!p.exists(".public.lmp-lock"), "{}", o.stderr);
    assert!(p.exists(".public.lmp-spare/.gitignore"), "{}", o.stderr);
    assert_eq!(tree(&p.path("public")), before, "the output changed");
    assert_eq!(p.read(".public.lmp-manifest"), manifest);
    // The next build works, and writes the change.
    p.ok(&["build"]);
    assert!(
        p.read("public/stories/one/index.html")
            .contains("Story one")
    );
    assert!(!p.exists(".public.lmp-staging"));
}

/// Hostile tester s17: raw `<img>` whose only address was removed (a `data:` or `javascript:`
/// URL) or never given was published as `<img alt="d">`, which is not valid HTML (an image
/// needs `src` or `srcset`, vnu: "Element img is missing one or more of the following
/// attributes") and shows a broken picture. The sanitiser removes such an image, and says so.
#[test]
fn a_raw_image_left_without_an_address_is_removed() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/bad.md",
        &format!(
            "{STORY_HEAD}---\nText.\n\n<img src=\"data:image/svg+xml,<svg onload=alert(1)>\" alt=\"d\">\n<img alt=\"e\" src=\"\">\n<img alt=\"f\">\n"
        ),
    );
    let o = p.run(&["build"]);
    no_panic(&o);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let page = p.read("public/stories/bad/index.html");
    for alt in ["d", "e", "f"] {
        assert!(!page.contains(&format!("alt=\"{alt}\"")), "{alt}: {page}");
    }
    assert!(!page.contains("data:image"), "{page}");
    for line in [9, 10, 11] {
        assert!(
            o.stderr.contains(&format!("site/stories/bad.md:{line}:1: warning: raw HTML: removed the <img> left without an address (no `src` it may keep)")),
            "{line}: {}",
            o.stderr
        );
    }
}

/// Hostile tester s17: raw HTML attribute values that browsers read but the HTML standard does
/// not allow were published as written, each an error of the validator (vnu): `reversed="no"`,
/// `hidden="maybe"`, `id="1 2"`, `id=""`, `datetime="yesterday"`, `datetime="2020-13-45"`,
/// `cite="not a url"`. A yes/no attribute is written alone (as browsers read any value); the
/// others are removed with a warning at their line. Valid values are kept as they are.
#[test]
fn raw_html_attribute_values_the_standard_forbids_are_repaired() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/bad.md",
        &format!(
            "{STORY_HEAD}---\nText.\n\n<ol reversed=\"no\"><li>a</li></ol>\n<p hidden=\"maybe\" id=\"1 2\">x</p>\n<p id=\"\">y</p>\n<time datetime=\"yesterday\">ayer</time> <ins datetime=\"2020-13-45\">i</ins>\n<blockquote cite=\"not a url\">b</blockquote>\n\n<time datetime=\"2020-02-29\">a</time> <time datetime=\"2021-06-30T08:15:00-07:00\">b</time> <time datetime=\"PT4H18M\">c</time> <del datetime=\"2020-01-02T03:04Z\">d</del> <time datetime=\"14:54\">e</time> <time datetime=\"2011-11\">f</time>\n\n<blockquote cite=\"https://example.org/a\">q</blockquote>\n"
        ),
    );
    let o = p.run(&["build"]);
    no_panic(&o);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let page = p.read("public/stories/bad/index.html");
    assert!(page.contains("<ol reversed>"), "{page}");
    assert!(page.contains("<p hidden>x</p>"), "{page}");
    assert!(page.contains("<p>y</p>"), "{page}");
    // Without its `datetime`, a `<time>` around a word that is no date is itself invalid: its
    // tags go too (html_valid::a_time_whose_text_is_no_date_loses_its_tags_in_both_languages).
    assert!(page.contains("\nayer <ins>i</ins>"), "{page}");
    assert!(!page.contains("<time>ayer"), "{page}");
    assert!(page.contains("<ins>i</ins>"), "{page}");
    assert!(page.contains("<blockquote>"), "{page}");
    for kept in [
        "datetime=\"2020-02-29\"",
        "datetime=\"2021-06-30T08:15:00-07:00\"",
        "datetime=\"PT4H18M\"",
        "datetime=\"2020-01-02T03:04Z\"",
        "datetime=\"14:54\"",
        "datetime=\"2011-11\"",
        "cite=\"https://example.org/a\"",
    ] {
        assert!(page.contains(kept), "{kept}: {page}");
    }
    for (line, what) in [
        (10, "`id=\"1 2\"` on <p>"),
        (11, "`id=\"\"` on <p>"),
        (12, "`datetime=\"yesterday\"` on <time>"),
        (12, "`datetime=\"2020-13-45\"` on <ins>"),
        (13, "`cite=\"not a url\"` on <blockquote>"),
    ] {
        assert!(
            o.stderr.contains(&format!("site/stories/bad.md:{line}:")) && o.stderr.contains(what),
            "{what}: {}",
            o.stderr
        );
    }
}

/// Hostile tester s17: a "billion laughs" front matter (anchors and aliases that repeat each
/// other nine times at each of nine levels) was refused, but with the parser's words
/// ("repetition limit exceeded", no column) and a help about indentation and quotes.
#[test]
fn a_yaml_alias_bomb_is_refused_in_plain_words() {
    let p = Project::fixture("basic");
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(", ")
        ));
    }
    p.write(
        "site/stories/bomb.md",
        &format!("---\n{bomb}title: A story\ndate: 2020-01-01\nsummary: A summary.\n---\nText.\n"),
    );
    let o = p.run(&["check"]);
    no_panic(&o);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("site/stories/bomb.md:3:8: error: invalid YAML in front matter: its aliases (`*a`) repeat values too many times to be read"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("help: write each value out in full: front matter needs no anchors (`&a`) and aliases (`*a`)"),
        "{}",
        o.stderr
    );
}

/// Hostile tester s17: `lmp search` with a word of 100,000 letters said "every word … is a
/// common word that search leaves out" (it is too long: words of more than 40 bytes are not
/// indexed) and wrote the query out twice, 200 kB. It says the word is too long, and what the
/// limit is, and shows the query shortened; a long word beside a real one is named as left out.
#[test]
fn search_says_a_word_is_too_long_and_the_limit() {
    let p = Project::built_sample_site();
    let long = "a".repeat(100_000);
    let o = p.ok(&["search", &long]);
    no_panic(&o);
    assert!(
        !o.stdout.contains("common word"),
        "{}",
        &o.stdout[..300.min(o.stdout.len())]
    );
    assert!(
        o.stdout.contains("is too long to look for: search leaves out words of more than 40 bytes (40 letters, fewer with accents)"),
        "{}",
        &o.stdout[..600.min(o.stdout.len())]
    );
    assert!(o.stdout.len() < 1_000, "{} bytes", o.stdout.len());
    let o = p.ok(&["search", &format!("huddle {long}")]);
    assert!(
        o.stdout.contains("(left out: a word of 100000 letters, too long to look for: search leaves out words of more than 40 bytes"),
        "{}",
        &o.stdout[..600.min(o.stdout.len())]
    );
    assert!(
        o.stdout.contains("/guides/run-a-ubt-huddle/"),
        "huddle still found"
    );
    // A common word alone is still called one.
    let o = p.ok(&["search", "the"]);
    assert!(
        o.stdout.contains("is a common word that search leaves out"),
        "{}",
        o.stdout
    );
}
