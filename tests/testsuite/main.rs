//! The integration tests: one binary, with a harness that copies a fixture site into a temporary
//! project folder, runs the real `lmp` binary there, and checks files, exit codes and stderr.
//! `incremental` calls the library instead: incremental rebuilds against fresh full builds.

mod all_errors;
mod authoring;
mod build;
mod diagnostics;
mod external;
mod files;
mod harness;
mod hostile;
mod hostile_author;
mod hostile_author2;
mod hostile_errors;
mod hostile_i18n;
mod hostile_names;
mod hostile_serve;
mod html_valid;
mod i18n_pages;
mod incremental;
mod linkcheck;
mod links;
mod media;
mod new;
mod output;
mod rootcause;
mod rtl;
mod search_es;
mod search_relevance;
mod serve;
mod spanish;
mod theme_words;
mod translations;
mod translations_links;
mod video;
