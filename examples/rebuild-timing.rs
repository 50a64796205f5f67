//! Times incremental rebuilds in process (no server): `cargo run --release --example
//! rebuild-timing -- <site> [rounds]`. Builds once, then per round appends a sentence to a story
//! (body edit) and changes a story's title, timing `rebuild_pages` (what precedes the reload
//! signal in `lmp serve`) and the search index after it, with the process's CPU time per edit
//! (user + system, every thread: steadier than wall time on a shared machine). Restores the
//! files at the end.

use std::path::PathBuf;
use std::time::Instant;

use lmp::incremental::Incremental;
use lmp::site::Options;

// The allocator of the `lmp` binary (src/main.rs), so that the figures are `lmp serve`'s.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let site = PathBuf::from(args.get(1).map(String::as_str).unwrap_or("site"));
    let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    // `body` or `title` to time one kind of edit only.
    let only = args.get(3).cloned();
    let opts = Options::new(&site);
    let mut inc = Incremental::new(opts.clone());
    let t = Instant::now();
    inc.rebuild(&opts, &[]).expect("the site builds");
    println!("first build: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let mut stories: Vec<PathBuf> = std::fs::read_dir(site.join("stories"))
        .expect("a stories folder")
        .map(|e| e.unwrap().path())
        .collect();
    stories.sort();
    // `STORIES=a,b` edits these stories (file names without .md) in turn.
    if let Ok(names) = std::env::var("STORIES") {
        let chosen: Vec<PathBuf> = names
            .split(',')
            .map(|n| site.join("stories").join(format!("{n}.md")))
            .collect();
        stories = chosen
            .iter()
            .cycle()
            .take(2 * rounds + 2)
            .cloned()
            .collect();
    }
    let originals: Vec<(PathBuf, String)> = stories
        .iter()
        .take(2 * rounds + 2)
        .map(|p| (p.clone(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let mut body = Vec::new();
    let mut title = Vec::new();
    let mut search = Vec::new();
    let (mut body_cpu, mut title_cpu) = (Vec::new(), Vec::new());
    for r in 0..rounds {
        for kind in ["body", "title"] {
            if only.as_deref().is_some_and(|o| o != kind) {
                continue;
            }
            let (path, text) = &originals[2 * r + usize::from(kind == "title")];
            let edited = if kind == "body" {
                format!("{text}\nOne more sentence, round {r}.\n")
            } else {
                let mut out = String::new();
                for (k, line) in text.lines().enumerate() {
                    if k > 0 && line.starts_with("title:") {
                        out.push_str(&format!("title: \"Edited title {r}\"\n"));
                    } else {
                        out.push_str(line);
                        out.push('\n');
                    }
                }
                out
            };
            std::fs::write(path, edited).unwrap();
            // CPU time (every thread of the process): steadier than wall time on a shared machine.
            let cpu0 = lmp::site::cpu_time();
            let t = Instant::now();
            let built = inc
                .rebuild_pages(&opts, std::slice::from_ref(path))
                .expect("rebuild");
            let ms = t.elapsed().as_secs_f64() * 1e3;
            let cpu = match (cpu0, lmp::site::cpu_time()) {
                (Some(a), Some(b)) => (b - a).as_secs_f64() * 1e3,
                _ => f64::NAN,
            };
            let stages: Vec<String> = built
                .timings
                .iter()
                .map(|(s, d)| format!("{s} {:.1}", d.as_secs_f64() * 1e3))
                .collect();
            println!(
                "{kind}: {ms:.1} ms, CPU {cpu:.1} ms ({})",
                stages.join(", ")
            );
            if kind == "body" {
                body.push(ms);
                body_cpu.push(cpu);
            } else {
                title.push(ms);
                title_cpu.push(cpu);
            }
            if std::env::var_os("NO_SEARCH").is_none() {
                let t = Instant::now();
                inc.search();
                search.push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
    }
    for (path, text) in &originals {
        std::fs::write(path, text).unwrap();
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    };
    println!(
        "median: body edit {:.1} ms, title edit {:.1} ms, search index after {:.1} ms",
        median(&mut body),
        median(&mut title),
        median(&mut search)
    );
    println!(
        "median CPU (user + system, all threads): body edit {:.1} ms, title edit {:.1} ms",
        median(&mut body_cpu),
        median(&mut title_cpu)
    );
}
