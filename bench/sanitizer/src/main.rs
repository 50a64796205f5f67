//! The sanitiser decision (issue 14): run time of ours (`src/markdown/sanitize.rs`, compiled
//! from lmp's own source) against `ammonia` 4 on a raw-HTML-heavy corpus, and what each lets
//! through on a hostile list. `cargo run --release -- [BODIES]` (default 10,000).
#![allow(dead_code, unreachable_pub)]

#[path = "../../../src/escape.rs"]
mod escape;
#[path = "../../../src/markdown/sanitize.rs"]
mod ours;

use std::time::Instant;

/// A raw-HTML-heavy body (about 3 kB): tables, details, spans, links, images, lists, a figure,
/// and some author mistakes (an unclosed span, a stray end tag).
fn body(n: usize) -> String {
    let mut s = String::new();
    for k in 0..4 {
        s.push_str(&format!(
            "<div class=\"box\" id=\"b{n}-{k}\">\n<p>Team <strong>{n}</strong> met on <time datetime=\"2024-01-0{d}\">Jan {d}</time>; see <a href=\"/guides/run-a-ubt-huddle/#step-{k}\" title=\"Guide {k}\">the guide</a> and <abbr title=\"unit-based team\">UBT</abbr> notes.</p>\n<table>\n<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Before</th><th scope=\"col\">After</th></tr></thead>\n<tbody><tr><td>Wait time</td><td>{a}%</td><td>{b}%</td></tr><tr><td colspan=\"2\">Total</td><td>{c}</td></tr></tbody>\n</table>\n<details><summary>More about team {n}</summary>\n<ul><li>Huddle <em>daily</em></li><li>Track <span class=\"x\">results</span></li><li><a href=\"https://www.lmpartnership.org/tools/{n}\">Tool</a></li></ul>\n</details>\n<figure><img src=\"/images/huddle.jpg\" alt=\"A huddle\" width=\"800\" height=\"533\"><figcaption>Photo {k}</figcaption></figure>\n<p>Unclosed <span>span and stray</b> end, &amp; an entity &#233;.</p>\n</div>\n",
            d = k + 1,
            a = 40 + k,
            b = 60 + k,
            c = n * 3 + k
        ));
    }
    s
}

fn ours(html: &str) -> String {
    let mut s = ours::Sanitizer::default();
    let mut out = String::with_capacity(html.len());
    let mut removed = Vec::new();
    s.clean(html, 0, &mut out, &mut removed);
    s.finish(&mut out, &mut removed);
    out
}

fn amm(html: &str) -> String {
    ammonia::clean(html)
}

fn time(docs: &[String], f: fn(&str) -> String) -> f64 {
    let t = Instant::now();
    let mut bytes = 0;
    for d in docs {
        bytes += f(d).len();
    }
    std::hint::black_box(bytes);
    t.elapsed().as_secs_f64()
}

/// What a browser could run or load from a script URL, in the tags of `out` (lower-cased): tag
/// names and attribute names outside quoted values, and URL attribute values.
fn dangerous(out: &str) -> Vec<&'static str> {
    let lower = out.to_ascii_lowercase();
    let tags: Vec<String> = lower
        .match_indices('<')
        .map(|(i, _)| &lower[i..lower[i..].find('>').map_or(lower.len(), |e| i + e + 1)])
        .map(|t| {
            // Keep quoted values only of attributes that hold a URL a browser follows.
            let mut kept = String::new();
            let mut quote = false;
            let mut url_attr = false;
            for (k, c) in t.char_indices() {
                if c == '"' {
                    if !quote {
                        let before = t[..k].trim_end_matches('=');
                        url_attr = ["href", "src", "srcset", "action", "formaction"]
                            .iter()
                            .any(|a| before.ends_with(a));
                    }
                    quote = !quote;
                    kept.push(c);
                } else if !quote || url_attr {
                    kept.push(c);
                }
            }
            kept
        })
        .collect();
    let mut found = Vec::new();
    for d in [
        "<script", "<iframe", "<object", "<embed", "<svg", "<math", "<style", "<base", "<form",
        "<meta", "<link", " on", "javascript:", "vbscript:", "data:", "style=", "<video",
        "<input", "<button", "<frame", "srcdoc", "formaction",
    ] {
        if tags.iter().any(|t| t.contains(d)) {
            found.push(d);
        }
    }
    found
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let docs: Vec<String> = (0..n).map(body).collect();
    let total: usize = docs.iter().map(String::len).sum();
    println!("corpus: {n} bodies, {:.1} MB of raw HTML", total as f64 / 1e6);
    // Alternated, so that both see the same load on a shared machine.
    let (mut o, mut a) = (f64::MAX, f64::MAX);
    for _ in 0..5 {
        o = o.min(time(&docs, ours));
        a = a.min(time(&docs, amm));
    }
    let out = |f: fn(&str) -> String| docs.iter().map(|d| f(d).len()).sum::<usize>();
    println!("ours:    best of 5 {:.0} ms ({} bytes out)", o * 1000.0, out(ours));
    println!("ammonia: best of 5 {:.0} ms ({} bytes out)", a * 1000.0, out(amm));
    println!("ammonia / ours: {:.1}x", a / o);

    let hostile = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1) alt=\"\">",
        "<img src=x alt=\"\" ONERROR=\"alert(1)\">",
        "<img src=x alt=\"\"/onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\" \tjavascript:alert(1)\">x</a>",
        "<a href=\"java&#115;cript:alert(1)\">x</a>",
        "<a href=\"java&#0000115cript:alert(1)\">x</a>",
        "<a href=\"javascript&colon;alert(1)\">x</a>",
        "<a href=\"java&Tab;script:alert(1)\">x</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<svg onload=alert(1)>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<style>body{background:url(javascript:alert(1))}</style>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<base href=\"https://evil.example/\">",
        "<form action=\"https://evil.example/\"><input name=p><button>Go</button></form>",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
        "<link rel=stylesheet href=\"https://evil.example/x.css\">",
        "<object data=\"x.swf\"></object>",
        "<embed src=\"x.swf\">",
        "<!-- <script>alert(1)</script> -->",
        "<!--><script>alert(1)</script> -->",
        "<![CDATA[<script>alert(1)</script>]]>",
        "<scr<script>ipt>alert(1)</script>",
        "<<script>alert(1)//<</script>",
        "<a href=\"/x\" <img src=x onerror=alert(1)>",
        "<a href=/x\"onclick=alert(1)//>x</a>",
        "<a title='x\" onclick=\"alert(1)'>x</a>",
        "<scr\0ipt>alert(1)</scr\0ipt>",
        "<a href=\"java\0script:alert(1)\">x</a>",
        "<a href=\"\u{feff}javascript:alert(1)\">x</a>",
        "<div class=\"player player-facade\" data-player=\"javascript:parent.alert(1)\">x</div>",
        "<div class=\"player-facade\" data-player=\"https://evil.example/phish.html\">x</div>",
        "<video src=x onerror=alert(1)></video>",
        "<details open ontoggle=alert(1)>",
        "<a href=\"/ok\"><a href=\"javascript:alert(1)\">x</a></a>",
        "<img srcset=\"javascript:alert(1) 1x\" alt=\"\">",
        "<blockquote cite=\"javascript:alert(1)\">q</blockquote>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<textarea><script>alert(1)</script></textarea>",
        "<xmp><script>alert(1)</script></xmp>",
        "<template><script>alert(1)</script></template>",
        "<frameset onload=alert(1)>",
        "<button formaction=\"javascript:alert(1)\">x</button>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<a href=\"/x\" target=\"_blank\">x</a>",
    ];
    let (mut o_bad, mut a_bad) = (0, 0);
    println!("\nhostile list ({} vectors): what survives in tags", hostile.len());
    for h in hostile {
        let (ro, ra) = (ours(h), amm(h));
        let (bo, ba) = (dangerous(&ro), dangerous(&ra));
        if !bo.is_empty() {
            o_bad += 1;
        }
        if !ba.is_empty() {
            a_bad += 1;
        }
        if !bo.is_empty() || !ba.is_empty() || ro != ra {
            println!("  {h:?}\n    ours:    {ro:?} {bo:?}\n    ammonia: {ra:?} {ba:?}");
        }
    }
    println!("vectors with something dangerous left: ours {o_bad}, ammonia {a_bad}");
    // Author mistakes: does the output nest?
    for m in [
        "See <a href=\"/guides/\">the guides for more.",
        "<div class=\"box\">A box never closed.",
        "</div></td></tr></table>Stray ends.",
        "<details>No summary.</details>",
        "x &#0; y &#xD800; z",
    ] {
        println!("  mistake {m:?}\n    ours:    {:?}\n    ammonia: {:?}", ours(m), amm(m));
    }
}
