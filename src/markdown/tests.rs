//! Tests of the markdown renderer: snapshots of rendered fragments and unit tests of the derived data.

use super::*;

fn no_docs(_: &str) -> Option<String> {
    None
}

fn html(body: &str) -> String {
    render(body, &no_docs).html
}

#[test]
fn smoke() {
    let r = render(
        "# Hi\n\nSome *text* [a](b.md#x).\n\n```yaml\na: 1\n```\n",
        &|p| Some(format!("/{p}/")),
    );
    println!("{r:#?}");
}
