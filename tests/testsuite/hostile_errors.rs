//! Session 24's errors pass: each bad input gets one message at its file, line and column that
//! says what is wrong and how to fix it, root causes first, never a panic.

use crate::harness::{Project, block, no_panic};

/// A YAML merge key (`<<: *base`) in a site's strings file was "invalid YAML": the YAML is
/// valid, lmp does not read merge keys. Said as for front matter, at the `<<`, with the strings
/// to write out.
#[test]
fn a_merge_key_in_a_strings_file_is_valid_yaml_that_lmp_does_not_read() {
    let p = Project::bilingual();
    p.write(
        "site/i18n/es.yaml",
        "common: &common\n  on_this_page: En esta página\n  related: Relacionado\n<<: *common\n",
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    assert!(!o.stderr.contains("invalid YAML"), "{}", o.stderr);
    let b = block(
        &o,
        "site/i18n/es.yaml:4:1: error: `<<` is a YAML merge key (`<<: *common`): the YAML is valid, but lmp does not read merge keys, so the strings it would copy here",
    );
    assert!(
        b.contains("help: write each string out in full on its own line (`on_this_page: En esta página`, `related: Relacionado`) and delete the `<<:` line"),
        "{b}"
    );
    // `lmp strings --missing` says the same.
    let o = p.run(&["strings", "es", "--missing", "site/i18n/es.yaml"]);
    no_panic(&o);
    assert!(
        o.stderr
            .contains("site/i18n/es.yaml:4:1: `<<` is a YAML merge key")
            && !o.stderr.contains("invalid YAML"),
        "{}",
        o.stderr
    );
}

/// A region page whose front matter is broken made config.yaml's Spanish name of the region
/// (`terms: regions: hawaii: Hawái`) a second root cause, "names a region that has no page":
/// it is a consequence of the region's error, listed after it and naming it.
#[test]
fn a_broken_region_page_is_the_one_root_cause_of_its_translated_name() {
    let p = Project::bilingual();
    let config = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &config.replace(
            "    description: Un sitio pequeño.\n",
            "    description: Un sitio pequeño.\n    terms:\n      regions:\n        hawaii: Hawái\n        colorado: Colorado\n",
        ),
    );
    p.ok(&["check"]);
    let hawaii = p.read("site/regions/hawaii.md");
    p.write(
        "site/regions/hawaii.md",
        &hawaii.replace("members: 258000", "members: [258000"),
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    let errs = o.errors();
    assert!(
        errs[0].starts_with("site/regions/hawaii.md:3:10: error: invalid YAML in front matter"),
        "{}",
        o.stderr
    );
    assert!(
        !o.stderr.contains("names a region that has no page"),
        "{}",
        o.stderr
    );
    block(
        &o,
        "site/config.yaml:26:9: error: `terms: regions: hawaii` of language `es` names region `hawaii`, which is not built: site/regions/hawaii.md has errors",
    );
    let json = p.run(&["check", "--format", "json"]);
    let line = json
        .stdout
        .lines()
        .find(|l| l.contains("terms: regions: hawaii"))
        .unwrap_or_else(|| panic!("{}", json.stdout));
    assert!(line.contains("\"caused\":true"), "{line}");
    // A slug that no page has is still its own error.
    p.write("site/regions/hawaii.md", &hawaii);
    p.write(
        "site/config.yaml",
        &p.read("site/config.yaml")
            .replace("colorado: Colorado", "colorad: Colorado"),
    );
    let o = p.fails(&["check"]);
    assert!(
        o.stderr.contains("error: `terms: regions: colorad` of language `es` names a region that has no page in regions/")
            && o.stderr.contains("did you mean `colorado`?"),
        "{}",
        o.stderr
    );
}

/// A `{figure}` whose `src` is an address of the site itself (it starts with config.yaml's
/// `base_url`) was "on another site" (a warning) and a "missing file" (an error) at once: it is
/// the site's own file, one error when it is missing, at the value. Another site's picture is
/// one warning, at the value too.
#[test]
fn a_figure_at_the_sites_own_address_is_one_message_at_its_value() {
    let p = Project::fixture("basic");
    let story = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &format!(
            "{story}\n```{{figure}}\nsrc: https://EXAMPLE.org/images/photo.jpg\nalt: A team at its huddle board\n```\n"
        ),
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    assert!(!o.stderr.contains("is on another site"), "{}", o.stderr);
    assert!(!o.stderr.contains("missing file"), "{}", o.stderr);
    assert_eq!(o.errors().len(), 1, "{}", o.stderr);
    let b = block(
        &o,
        "site/stories/first-story.md:22:6: error: the picture https://EXAMPLE.org/images/photo.jpg is on this site (its address starts with the base_url of config.yaml), but there is no file static/images/photo.jpg",
    );
    assert!(
        b.contains("help: put the picture at static/images/photo.jpg in the site folder and write its site path (`src: /images/photo.jpg`)"),
        "{b}"
    );
    // Another site's picture: shown as it is there, one warning at the value.
    p.write(
        "site/stories/first-story.md",
        &format!(
            "{story}\n```{{figure}}\nsrc: https://www.kp.org/images/photo.jpg\nalt: A team at its huddle board\n```\n"
        ),
    );
    let o = p.ok(&["check"]);
    assert!(
        o.stderr.contains("site/stories/first-story.md:22:6: warning: the picture https://www.kp.org/images/photo.jpg is on another site"),
        "{}",
        o.stderr
    );
    // A local picture that does not exist: at the value too.
    p.write(
        "site/stories/first-story.md",
        &format!(
            "{story}\n```{{figure}}\nsrc:   /images/nothere.jpg\nalt: A team at its huddle board\n```\n"
        ),
    );
    let o = p.fails(&["check"]);
    block(
        &o,
        "site/stories/first-story.md:22:8: error: the file /images/nothere.jpg does not exist",
    );
}

/// `lmp build` read config.yaml twice (for its output rules, then for the build) and `lmp check`
/// up to four times (the build, `--stale`, `--translations`, `--external`'s cache folder): once
/// now, so that every part of a command sees the same file and its errors are said once.
#[test]
fn config_yaml_is_read_once_per_command() {
    let p = Project::bilingual();
    let reads = |o: &crate::harness::Output| {
        o.stderr
            .lines()
            .filter(|l| l.starts_with("read site/config.yaml ("))
            .count()
    };
    let o = p.ok(&["-vv", "build"]);
    assert_eq!(reads(&o), 1, "{}", o.stderr);
    let home = p.read("public/index.html");
    let o = p.ok(&["-vv", "check", "--stale", "12m", "--translations"]);
    assert_eq!(reads(&o), 1, "{}", o.stderr);
    // A broken config.yaml: its error once, and the output folder left alone.
    p.append("site/config.yaml", "description_es: [2\n");
    for cmd in ["build", "check"] {
        let o = p.fails(&["-vv", cmd]);
        assert_eq!(reads(&o), 1, "{cmd}: {}", o.stderr);
        assert_eq!(
            o.errors()
                .iter()
                .filter(|e| e.starts_with("site/config.yaml:"))
                .count(),
            1,
            "{cmd}: {}",
            o.stderr
        );
    }
    assert_eq!(p.read("public/index.html"), home);
}

/// A YAML error in one document's front matter hides that document's other front-matter
/// errors (they cannot be read), not the other documents' errors: one run gives them all. A
/// config.yaml error stops the run before the documents are read, and says so, so that an
/// editor who fixes it expects their errors next.
#[test]
fn a_yaml_error_hides_only_its_own_documents_errors() {
    let p = Project::fixture("basic");
    let first = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &first.replace(
            "summary: A story about a team.",
            "summary: [A story about a team.\nsumary: x",
        ),
    );
    let second = p.read("site/stories/second-story.md");
    p.write(
        "site/stories/second-story.md",
        &second.replacen("summary:", "sumary:", 1),
    );
    let guide = p.read("site/guides/huddle.md");
    p.write(
        "site/guides/huddle.md",
        &format!("{guide}\nSee [the practice](../practices/huddle-bord.md).\n"),
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    let errs = o.errors();
    let has = |head: &str| {
        assert!(
            errs.iter().any(|e| e.starts_with(head)),
            "no `{head}` in:\n{}",
            o.stderr
        )
    };
    has("site/stories/first-story.md:4:10: error: invalid YAML in front matter");
    has("site/stories/second-story.md:4:1: error: unknown field `sumary` in stories");
    has("site/guides/huddle.md:");
    // The broken document's own later line is not reported: it could not be read.
    assert!(
        !errs
            .iter()
            .any(|e| e.starts_with("site/stories/first-story.md:5:")),
        "{}",
        o.stderr
    );
    assert!(
        !o.stderr.contains("The documents were not read"),
        "{}",
        o.stderr
    );
    // config.yaml first: the documents wait for it, and the run says so.
    let config = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &config.replace("paginate: 2", "paginate: many"),
    );
    for cmd in ["build", "check"] {
        let o = p.fails(&[cmd]);
        no_panic(&o);
        assert!(
            o.errors()
                .iter()
                .all(|e| e.starts_with("site/config.yaml:")),
            "{}",
            o.stderr
        );
        assert!(
            o.stderr.contains("The documents were not read: config.yaml says how to read them. Fix it, then run lmp again to check them"),
            "{cmd}: {}",
            o.stderr
        );
    }
}

/// Hostile pass: a country's code for its language (`sp` for Spanish) was "the theme has no
/// words in language `sp`": the code is what is wrong, said at it with the code meant. The
/// errors of config.yaml come in file order.
#[test]
fn a_country_code_for_a_language_is_said_with_the_language_code() {
    let p = Project::fixture("basic");
    p.append(
        "site/config.yaml",
        "languages:\n  en: {name: English}\n  zh-CN: {name: 中文}\n  sp: {name: Español}\n",
    );
    for cmd in ["build", "check"] {
        let o = p.fails(&[cmd]);
        no_panic(&o);
        assert_eq!(
            o.errors(),
            [
                "site/config.yaml:20:3: error: `zh-CN` in `languages` is not a lower-case language tag",
                "site/config.yaml:21:3: error: `sp` in `languages` is not a language code: Spanish is `es`",
            ],
            "{cmd}: {}",
            o.stderr
        );
        assert!(
            o.stderr
                .contains("help: write `es:` (and `es` in file names such as `page.es.md`)"),
            "{}",
            o.stderr
        );
        assert!(!o.stderr.contains("no words in language"), "{}", o.stderr);
    }
}

/// Hostile pass: a folder named config.yaml was "no config.yaml in the site folder".
#[test]
fn a_config_yaml_folder_is_said_to_be_a_folder() {
    let p = Project::fixture("basic");
    p.remove("site/config.yaml");
    std::fs::create_dir(p.path("site/config.yaml")).unwrap();
    let o = p.fails(&["build"]);
    no_panic(&o);
    assert!(
        o.stderr
            .contains("site/config.yaml: error: config.yaml is a folder, not a file"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("no config.yaml"), "{}", o.stderr);
}

/// Hostile pass: a component never closed was that error and also "takes no text after its
/// arguments" for the rest of the page read as its text: one error, the root cause.
#[test]
fn a_component_never_closed_is_one_error() {
    let p = Project::fixture("basic");
    p.append(
        "site/stories/first-story.md",
        "\n```{figure}\nsrc: /files/huddle-checklist.txt\nalt: A checklist\n\nMore text after it.\n",
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    assert_eq!(
        o.errors(),
        [
            "site/stories/first-story.md:21:1: error: the component `{figure}` opened here is never closed, so everything after it, to the end of the page, would be inside it"
        ],
        "{}",
        o.stderr
    );
}

/// Hostile pass: a date typed as its digits (`20160128`) was "not an ISO date: write it as
/// YYYY-MM-DD, e.g. 2021-06-30": the date it is, written as it should be.
#[test]
fn a_date_without_dashes_is_given_back_with_them() {
    let p = Project::fixture("basic");
    let story = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &story.replace("date: 2016-01-28", "date: 20160128"),
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    assert_eq!(
        o.errors(),
        [
            "site/stories/first-story.md:3:7: error: `date`: `20160128` is not written as YYYY-MM-DD: write `2016-01-28`"
        ],
        "{}",
        o.stderr
    );
    // Eight digits that are no date stay the general error.
    p.write(
        "site/stories/first-story.md",
        &story.replace("date: 2016-01-28", "date: 20161328"),
    );
    let o = p.fails(&["check"]);
    assert!(
        o.stderr
            .contains("`20161328` is not an ISO date: write it as YYYY-MM-DD"),
        "{}",
        o.stderr
    );
}

/// Hostile pass: a misspelt tag in a site's template (`{% endfi %}`) was "template error:
/// Unknown tag", naming no tag: the word, at its line and column, and the tag it most likely is.
#[test]
fn a_misspelt_template_tag_is_named_with_the_tag_meant() {
    let p = Project::fixture("basic");
    p.write(
        "site/templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ doc.title }}</h1>\n{% if doc.summary %}<p>{{ doc.summary }}</p>{% endfi %}\n{% endblock %}\n",
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    let b = block(&o, "site/templates/page.html:4:");
    assert!(
        b.contains("error: template error: `endfi` is not a template tag")
            && b.contains("help: did you mean `endif`?"),
        "{b}"
    );
}

/// Hostile pass on the site's strings files: a byte order mark was "an invisible byte order
/// mark is used to indent this line" (it is no indentation); a file of a language the site
/// does not declare (`sp.yaml`) was not used without a word; an empty string was told to
/// "quote it".
#[test]
fn strings_files_mistakes_are_said_as_what_they_are() {
    let p = Project::bilingual();
    p.write(
        "site/i18n/es.yaml",
        "\u{feff}on_this_page: En esta página\n  related: Relacionado\n",
    );
    let o = p.fails(&["check"]);
    no_panic(&o);
    assert_eq!(
        o.errors(),
        [
            "site/i18n/es.yaml:2:3: error: invalid YAML: `related` is indented, so it is read as part of `on_this_page`"
        ],
        "{}",
        o.stderr
    );
    p.write(
        "site/i18n/es.yaml",
        "\u{feff}on_this_page: En esta página\nrelated:\n",
    );
    let o = p.fails(&["check"]);
    let b = block(
        &o,
        "site/i18n/es.yaml:2:9: error: the string `related` must be text, found nothing",
    );
    assert!(
        b.contains("help: write the text after `related:` on the same line, or delete the line to keep the theme's"),
        "{b}"
    );
    p.remove("site/i18n/es.yaml");
    p.write("site/i18n/sp.yaml", "on_this_page: En esta página\n");
    p.write("site/i18n/fr.yaml", "on_this_page: Sur cette page\n");
    let o = p.ok(&["check"]);
    let b = block(
        &o,
        "site/i18n/sp.yaml: warning: `sp` (from the file name) is not a language of this site: this file is not used",
    );
    assert!(
        b.contains("help: did you mean `es`? rename the file to es.yaml"),
        "{b}"
    );
    let b = block(
        &o,
        "site/i18n/fr.yaml: warning: `fr` (from the file name) is not a language of this site",
    );
    assert!(
        b.contains("add `fr: {name: …}` under `languages:` in config.yaml"),
        "{b}"
    );
}

/// Hostile pass: a config.yaml that is binary data, or saved as UTF-16, was "not valid UTF-8
/// (byte 0x…)" at some column of its first line: said as what it is.
#[test]
fn a_binary_or_utf16_config_is_said_as_what_it_is() {
    let p = Project::fixture("basic");
    let config = p.read("site/config.yaml");
    let mut binary = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0];
    binary.extend_from_slice(&[0xaf; 40]);
    p.write_bytes("site/config.yaml", &binary);
    let o = p.fails(&["build"]);
    no_panic(&o);
    assert_eq!(
        o.errors(),
        ["site/config.yaml: error: the file is binary data, not text"],
        "{}",
        o.stderr
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in config.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    p.write_bytes("site/config.yaml", &utf16);
    let o = p.fails(&["check"]);
    assert_eq!(
        o.errors(),
        [
            "site/config.yaml: error: the file is saved as UTF-16 (\"Unicode\" in Notepad), not UTF-8"
        ],
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("save it again choosing the encoding UTF-8"),
        "{}",
        o.stderr
    );
}
