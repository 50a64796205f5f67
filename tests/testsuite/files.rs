//! Files the build cannot use are reported with their own path: symlinks (followed inside the
//! site, refused when they leave it), pipes and other special files, unreadable files and folders.
//! The build goes on collecting the rest. Template include cycles are reported at the include.

use std::os::unix::fs::symlink;

use crate::harness::{Output, Project};

#[test]
fn a_symlink_inside_the_site_is_followed() {
    let p = Project::fixture("basic");
    // A file link and a folder link, both to places inside the site.
    p.write(
        "site/.shared/huddle-notes.md",
        "---\ntitle: Huddle notes\n---\nShared notes.\n",
    );
    symlink(
        "../.shared/huddle-notes.md",
        p.path("site/pages/huddle-notes.md"),
    )
    .unwrap();
    symlink("../static/files", p.path("site/static/more")).unwrap_or(());
    let o = p.ok(&["build"]);
    assert!(
        p.read("public/huddle-notes/index.html")
            .contains("Shared notes."),
        "{}",
        o.stderr
    );
    assert!(p.exists("public/more/huddle-checklist.txt"));
    assert!(!o.stderr.contains("warning"), "{}", o.stderr);
}

#[test]
fn a_symlink_that_leaves_the_site_is_refused_with_a_warning() {
    let p = Project::fixture("basic");
    p.write(
        "outside/story.md",
        "---\ntitle: Outside\ndate: 2020-01-01\nsummary: s\n---\nFrom outside.\n",
    );
    p.write("secret.txt", "password");
    symlink("../../outside/story.md", p.path("site/stories/outside.md")).unwrap();
    symlink(
        "../../../secret.txt",
        p.path("site/static/files/secret.txt"),
    )
    .unwrap();
    symlink("../../outside", p.path("site/stories/elsewhere")).unwrap();
    let o = p.ok(&["build"]);
    for link in [
        "site/stories/outside.md",
        "site/static/files/secret.txt",
        "site/stories/elsewhere",
    ] {
        assert!(
            o.stderr.contains(&format!("{link}: warning: symlink to ")),
            "{link}: {}",
            o.stderr
        );
    }
    assert!(o.stderr.contains("; not followed"), "{}", o.stderr);
    assert!(
        o.stderr.contains("lmp follows only links that stay inside"),
        "{}",
        o.stderr
    );
    assert!(!p.exists("public/stories/outside/index.html"));
    assert!(!p.exists("public/files/secret.txt"));
    assert!(o.stderr.contains("3 warnings"), "{}", o.stderr);
}

#[test]
fn broken_and_looping_symlinks_are_warnings_with_their_path() {
    let p = Project::fixture("basic");
    symlink("gone.md", p.path("site/stories/dangling.md")).unwrap();
    symlink("..", p.path("site/stories/up")).unwrap();
    symlink("self.md", p.path("site/stories/self.md")).unwrap();
    let o = p.ok(&["build"]);
    assert!(
        o.stderr.contains(
            "site/stories/dangling.md: warning: broken symlink: gone.md does not exist; skipped"
        ),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains(
            "site/stories/up: warning: symlink to .. points to a folder that contains it"
        ),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("site/stories/self.md: warning: symlink to self.md loops"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_pipe_is_skipped_with_a_warning_not_a_hang() {
    let p = Project::fixture("basic");
    let fifo = p.path("site/stories/pipe.md");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let o = p.ok(&["build"]);
    assert!(
        o.stderr.contains(
            "site/stories/pipe.md: warning: not a regular file (a pipe, socket or device); skipped"
        ),
        "{}",
        o.stderr
    );
}

/// Run `lmp` so that file permissions apply: as root (which ignores them), as the user `nobody`.
fn run_without_privileges(p: &Project, args: &[&str]) -> Option<Output> {
    use std::os::unix::fs::PermissionsExt as _;
    use std::os::unix::process::CommandExt as _;
    let mut cmd = p.command(args);
    if unsafe { libc::geteuid() } == 0 {
        // The project folder must be readable by that user.
        std::fs::set_permissions(p.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        cmd.uid(65534).gid(65534);
    }
    match cmd.output() {
        Ok(o) => Some(Output::of(o)),
        Err(e) => {
            eprintln!("skipped: cannot run lmp as an unprivileged user here: {e}");
            None
        }
    }
}

#[test]
fn unreadable_files_and_folders_are_each_reported_and_the_rest_is_checked() {
    use std::os::unix::fs::PermissionsExt as _;
    let p = Project::fixture("basic");
    p.write(
        "site/stories/locked/hidden.md",
        "---\ntitle: Locked\ndate: 2020-01-01\nsummary: s\n---\n",
    );
    p.write(
        "site/guides/secret.md",
        "---\ntitle: Secret\nsummary: s\n---\n",
    );
    p.write("site/static/files/private.pdf", "%PDF");
    p.write(
        "site/stories/zz-broken.md",
        "---\ntitle: [unclosed\ndate: 2020-01-01\n---\n",
    );
    let none = std::fs::Permissions::from_mode(0o000);
    std::fs::set_permissions(p.path("site/guides/secret.md"), none.clone()).unwrap();
    std::fs::set_permissions(p.path("site/static/files/private.pdf"), none.clone()).unwrap();
    std::fs::set_permissions(p.path("site/stories/locked"), none).unwrap();
    let Some(o) = run_without_privileges(&p, &["check"]) else {
        return;
    };
    std::fs::set_permissions(
        p.path("site/stories/locked"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    assert_eq!(o.code, 1, "{}", o.stderr);
    for expected in [
        "site/stories/locked: error: could not list this folder: Permission denied",
        "site/guides/secret.md: error: could not read this file: Permission denied",
        "site/static/files/private.pdf: error: could not read this file: Permission denied",
        // The rest of the site was still checked.
        "site/stories/zz-broken.md:2:8: error: invalid YAML",
    ] {
        assert!(
            o.stderr.contains(expected),
            "missing `{expected}`:\n{}",
            o.stderr
        );
    }
    assert!(!o.stderr.contains("site: error"), "{}", o.stderr);
}

#[test]
fn a_template_include_cycle_is_reported_at_the_include() {
    let p = Project::fixture("basic");
    p.write(
        "site/templates/partials/breadcrumb.html",
        "<nav>\n  {% include \"partials/breadcrumb.html\" %}\n</nav>\n",
    );
    let o = p.fails(&["check"]);
    assert!(
        o.stderr.contains(
            "site/templates/partials/breadcrumb.html:2:14: error: template error: `partials/breadcrumb.html` includes itself"
        ),
        "{}",
        o.stderr
    );
    // Through another template: reported where the cycle closes, with the chain.
    p.write(
        "site/templates/partials/breadcrumb.html",
        "<nav>{% include 'partials/crumbs.html' %}</nav>\n",
    );
    p.write(
        "site/templates/partials/crumbs.html",
        "<ol>\n\n    {% include \"partials/breadcrumb.html\" %}</ol>\n",
    );
    let o = p.fails(&["check"]);
    assert!(
        o.stderr.contains(
            "site/templates/partials/crumbs.html:3:16: error: template error: include cycle: partials/breadcrumb.html → partials/crumbs.html → partials/breadcrumb.html"
        ),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("<theme>"), "{}", o.stderr);
}

#[test]
fn serve_rebuilds_a_symlinked_document_when_its_target_changes() {
    // The watcher reports the target's path; the incremental build must re-read the link too
    // and stay byte-identical to a full build.
    let p = Project::fixture("basic");
    p.write(
        "site/.shared/notes.md",
        "---\ntitle: Notes\n---\nFirst version.\n",
    );
    symlink("../.shared/notes.md", p.path("site/pages/notes.md")).unwrap();
    let site = p.path("site");
    let opts = lmp::site::Options::new(&site);
    let mut inc = lmp::incremental::Incremental::new(opts.clone());
    let first = inc.rebuild(&opts, &[]).unwrap();
    let page = |b: &lmp::site::Built| {
        String::from_utf8_lossy(&b.read("notes/index.html").unwrap().unwrap()).into_owned()
    };
    assert!(page(&first).contains("First version."));
    p.write(
        "site/.shared/notes.md",
        "---\ntitle: Notes\n---\nSecond version.\n",
    );
    let again = inc
        .rebuild(&opts, &[site.join(".shared/notes.md")])
        .unwrap();
    let full = lmp::build(&opts).unwrap();
    assert!(page(&full).contains("Second version."));
    assert!(
        page(&again).contains("Second version."),
        "the incremental build kept the old text"
    );
    assert_eq!(again.files.len(), full.files.len());
    let differ = crate::harness::output_differences(&again, &full);
    assert!(differ.is_empty(), "{differ:?} differ from a full build");
}

#[test]
fn the_hidden_files_a_host_reads_are_published_and_clutter_is_not() {
    // QA Q45: `.well-known/` (security.txt, app links, ACME), `.nojekyll` and `.htaccess` under
    // static/ were dropped; QA Q43: `Thumbs.db`, `desktop.ini` and Office lock files published.
    let p = Project::fixture("basic");
    p.write(
        "site/static/.well-known/security.txt",
        "Contact: mailto:security@example.org\n",
    );
    p.write("site/static/.nojekyll", "");
    p.write("site/static/.htaccess", "ErrorDocument 404 /404.html\n");
    for junk in [
        ".DS_Store",
        ".git/config",
        "files/.notes.txt.swp",
        "files/Thumbs.db",
        "files/desktop.ini",
        "files/~$report.docx",
        "files/report.txt~",
    ] {
        p.write(&format!("site/static/{junk}"), "junk\n");
    }
    let o = p.ok(&["build"]);
    assert_eq!(
        p.read("public/.well-known/security.txt"),
        "Contact: mailto:security@example.org\n"
    );
    assert!(p.exists("public/.nojekyll") && p.exists("public/.htaccess"));
    for junk in [
        ".DS_Store",
        ".git",
        "files/.notes.txt.swp",
        "files/Thumbs.db",
        "files/desktop.ini",
        "files/~$report.docx",
        "files/report.txt~",
    ] {
        assert!(!p.exists(&format!("public/{junk}")), "{junk} published");
    }
    assert!(!o.stderr.contains("warning"), "{}", o.stderr);
}

#[test]
fn a_static_file_at_a_generated_address_is_an_error_but_robots_txt_replaces_lmps() {
    // QA Q65: a site's own 404.html, sitemap.xml or list page under static/ was dropped without
    // a word, and its robots.txt (a staging copy's `Disallow: /`) replaced by lmp's.
    let p = Project::fixture("basic");
    p.write("site/static/robots.txt", "User-agent: *\nDisallow: /\n");
    let o = p.ok(&["build"]);
    assert_eq!(p.read("public/robots.txt"), "User-agent: *\nDisallow: /\n");
    assert!(!o.stderr.contains("warning"), "{}", o.stderr);
    p.write("site/static/404.html", "<h1>static 404</h1>\n");
    p.write("site/static/sitemap.xml", "<urlset/>\n");
    let before = p.read("public/404.html");
    let o = p.fails(&["build"]);
    let errors = o.errors();
    assert_eq!(errors.len(), 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("site/static/404.html: error: this static file has the address /404.html, which lmp generates"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("copy the theme's template into site/templates/"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains(
            "site/static/sitemap.xml: error: this static file has the address /sitemap.xml"
        ),
        "{}",
        o.stderr
    );
    // The previous output is untouched.
    assert_eq!(p.read("public/404.html"), before);
}

#[test]
fn a_static_file_whose_name_no_link_can_reach_is_a_warning_and_not_published() {
    // QA Q64: `bad\xff.pdf` was published renamed as `bad\u{FFFD}.pdf`, `new<LF>line.pdf` as it
    // is, without a word.
    use std::os::unix::ffi::OsStrExt as _;
    let p = Project::fixture("basic");
    let dir = p.path("site/static/files");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(std::ffi::OsStr::from_bytes(b"bad\xff.pdf")), "x").unwrap();
    std::fs::write(dir.join("new\nline.pdf"), "x").unwrap();
    std::fs::write(dir.join("fine-name.pdf"), "x").unwrap();
    let o = p.ok(&["build"]);
    let warned = o
        .stderr
        .lines()
        .filter(|l| l.contains("warning: not published: the file's name"))
        .count();
    assert_eq!(warned, 2, "{}", o.stderr);
    assert!(o.stderr.contains("is not valid UTF-8"), "{}", o.stderr);
    assert!(
        o.stderr.contains("holds a control character"),
        "{}",
        o.stderr
    );
    let published: Vec<String> = std::fs::read_dir(p.path("public/files"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        published.contains(&"fine-name.pdf".to_string()),
        "{published:?}"
    );
    assert!(
        !published
            .iter()
            .any(|n| n.starts_with("bad") || n.starts_with("new")),
        "{published:?}"
    );
}

/// Hostile tester s17: a static folder at the address of a generated file
/// (`static/sitemap.xml/a.txt`), a static file at the address of a folder of pages (`static/es`)
/// or of the theme's files (`static/css`) passed `lmp check`, then failed the build with "could
/// not create ./.public.lmp-staging/sitemap.xml: File exists (os error 17)", naming no file of
/// the site. Each is now an error at the site's file, in `check` as in `build`, all at once.
#[test]
fn a_static_file_or_folder_in_the_way_of_the_outputs_folders_is_an_error_at_it() {
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    let before = p.read("public/index.html");
    p.write("site/static/sitemap.xml/a.txt", "x\n");
    p.write("site/static/stories", "x\n");
    p.write("site/static/css", "x\n");
    p.write("site/static/about", "x\n");
    for cmd in ["check", "build"] {
        let o = p.fails(&[cmd]);
        assert!(
            o.stderr.contains("site/static/sitemap.xml/a.txt: error: this static file is in the folder /sitemap.xml/, but /sitemap.xml is a file lmp generates"),
            "{}",
            o.stderr
        );
        assert!(
            o.stderr.contains("site/static/stories: error: this static file has the address /stories, which is a folder of the pages lmp generates (/stories/"),
            "{}",
            o.stderr
        );
        assert!(
            o.stderr.contains("site/static/css: error: this static file has the address /css, which is a folder of other static files (the theme's static/css/"),
            "{}",
            o.stderr
        );
        assert!(
            o.stderr.contains("site/static/about: error: this static file has the address /about, which is a folder of the pages lmp generates (/about/index.html)"),
            "{}",
            o.stderr
        );
        assert!(!o.stderr.contains("os error"), "{}", o.stderr);
        assert_eq!(o.errors().len(), 4, "{}", o.stderr);
    }
    assert_eq!(p.read("public/index.html"), before);
}
