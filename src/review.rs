//! Page reviews: `reviewed:` dates and `lmp check --stale AGE`, which warns about every document
//! whose last review is older than AGE (`12m`, `6m`, `1y`).

use crate::config::Config;
use crate::content::{self, collections::Collection};
use crate::diagnostics::Diagnostic;
use crate::site::Options;
use crate::util::Date;

/// How long a review stays current: a number of months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Age {
    pub months: u32,
}

/// Parse `12m`, `6m`, `18mo`, `1y`, `2y` (months or years).
pub(crate) fn parse_age(s: &str) -> Result<Age, String> {
    let t = s.trim().to_ascii_lowercase();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let unit = t[digits.len()..].trim();
    let bad =
        || format!("`{s}` is not an age: write a number of months or years, such as 6m, 12m or 1y");
    let n: u32 = digits.parse().map_err(|_| bad())?;
    let months = match unit {
        "m" | "mo" | "month" | "months" => n,
        "y" | "yr" | "year" | "years" => n.checked_mul(12).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    if months == 0 || months > 1200 {
        return Err(format!(
            "`{s}`: the age must be between 1 month and 100 years"
        ));
    }
    Ok(Age { months })
}

/// The date `age` before `today` (the last day of the month when the day does not exist).
pub(crate) fn cutoff(today: Date, age: Age) -> Date {
    let total = today.year * 12 + i32::from(today.month) - 1 - age.months as i32;
    let year = total.div_euclid(12);
    let month = (total.rem_euclid(12) + 1) as u8;
    let mut day = today.day;
    while day > 28 && Date::parse(&format!("{year:04}-{month:02}-{day:02}")).is_err() {
        day -= 1;
    }
    Date { year, month, day }
}

/// What `--stale` found: a warning per document reviewed before the cutoff, and the documents
/// without a `reviewed:` date at all.
pub(crate) struct Stale {
    pub warnings: Vec<Diagnostic>,
    pub never_reviewed: usize,
    /// How many of [`Stale::never_reviewed`] are translations (`x.es.md`), which the summary
    /// line's count of documents leaves out (QA s15: "77 without a `reviewed:` date" after
    /// "Checked 64 documents").
    pub never_reviewed_translations: usize,
}

/// Every published document (drafts and the home page left out) whose `reviewed:` date is older
/// than `age` on `opts.today`.
pub(crate) fn stale(opts: &Options, cfg: &Config, age: Age) -> Result<Stale, Vec<Diagnostic>> {
    let site_dir = &opts.site_dir;
    let (docs, _) = content::load(site_dir, site_dir, &cfg.schemas)
        .map_err(|e| vec![Diagnostic::error(site_dir, 0, 0, format!("{e:#}"))])?;
    let limit = cutoff(opts.today, age);
    let mut out = Stale {
        warnings: Vec::new(),
        never_reviewed: 0,
        never_reviewed_translations: 0,
    };
    let original = cfg.default_language().code.clone();
    for d in docs {
        if d.common.draft || d.collection == Collection::Home {
            continue;
        }
        match d.common.reviewed {
            None => {
                out.never_reviewed += 1;
                out.never_reviewed_translations += usize::from(d.lang != original);
            }
            Some(r) if r < limit => {
                let (line, _, vcol) = d.positions.get("reviewed").copied().unwrap_or((1, 0, 0));
                out.warnings.push(
                    Diagnostic::warning(
                        &d.path,
                        line,
                        vcol,
                        format!(
                            "last reviewed {} ({} months ago or more; the limit is {})",
                            r.display(),
                            age.months,
                            limit.display()
                        ),
                    )
                    .with_help(
                        "check the page is still right, then set `reviewed:` to today's date",
                    )
                    .with_source(&d.whole_text()),
                );
            }
            Some(_) => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(parse_age("12m"), Ok(Age { months: 12 }));
        assert_eq!(parse_age("6m"), Ok(Age { months: 6 }));
        assert_eq!(parse_age("1y"), Ok(Age { months: 12 }));
        assert_eq!(parse_age("2 years"), Ok(Age { months: 24 }));
        for bad in ["12", "m", "12d", "-1y", "0m", "1.5y", ""] {
            let e = parse_age(bad).unwrap_err();
            assert!(
                e.contains("6m, 12m or 1y") || e.contains("between"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn cutoffs() {
        let d = |s| Date::parse(s).unwrap();
        assert_eq!(cutoff(d("2026-11-28"), Age { months: 12 }), d("2025-11-28"));
        assert_eq!(cutoff(d("2026-03-31"), Age { months: 1 }), d("2026-02-28"));
        assert_eq!(cutoff(d("2026-01-15"), Age { months: 6 }), d("2025-07-15"));
    }
}
