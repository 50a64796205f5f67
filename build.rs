//! Embeds the default theme (`themes/lmp/`) into the binary, so an installed `lmp` can build any
//! site folder with no theme beside it.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // The package's folder as cargo runs this script (not as it was when the script was
    // compiled: a target/ moved to another checkout keeps the compiled script; QA s7 Q98).
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("themes/lmp");
    println!("cargo:rerun-if-changed=themes/lmp");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    // A theme read while a checkout rewrites it (or a missing folder) must not compile into a
    // binary without templates: every build would then fail with "Template not found".
    assert!(
        files.iter().any(|f| f == "templates/base.html"),
        "themes/lmp/templates/base.html not found under {}: is the checkout complete?",
        root.display()
    );
    let mut out = String::from(
        "/// The default theme's files: (path relative to the theme folder, bytes).\npub(crate) static FILES: &[(&str, &[u8])] = &[\n",
    );
    // Paths from the package's folder as the library is compiled (`CARGO_MANIFEST_DIR`), not
    // absolute ones: a `target/` copied from another checkout (CI, an idle worktree) would
    // otherwise keep embedding that checkout's theme.
    for rel in &files {
        println!("cargo:rerun-if-changed={}", root.join(rel).display());
        writeln!(
            out,
            "    ({rel:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {:?}))),",
            format!("/themes/lmp/{rel}")
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_theme.rs");
    std::fs::write(dest, out).unwrap();
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            collect(root, &p, out);
        } else {
            out.push(
                p.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}
