//! HTML main-text extraction on real pages: titles and text match Mozilla Readability's
//! expected output (a few words from its first and last block).

use std::path::Path;

use marginalia::ingest::read_article;
use marginalia::model::SourceFormat;

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn corpus_pages_give_readabilitys_title_and_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/readability");
    let expectations: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expectations.json")).expect("expectations"),
    )
    .expect("json");
    assert!(expectations.len() >= 20);
    let mut failures = Vec::new();
    for page in &expectations {
        let name = page["page"].as_str().expect("page");
        let article = read_article(&dir.join(name).join("source.html"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(article.format, SourceFormat::Html);
        let text = normalize(&article.text);
        let title = article.metadata.title.as_deref().unwrap_or_default();
        if title != page["title"].as_str().expect("title") {
            failures.push(format!("{name}: title {title:?} != {:?}", page["title"]));
        }
        for key in ["first", "last"] {
            let expected = normalize(page[key].as_str().expect("words"));
            if !text.contains(&expected) {
                failures.push(format!("{name}: text lacks the {key} words {expected:?}"));
            }
        }
        assert!(!article.text.contains('\r'));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn html_metadata_is_kept() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/readability");
    let article = read_article(&dir.join("herald-sun-1/source.html")).expect("article");
    let meta = &article.metadata;
    assert!(
        meta.byline.as_deref().is_some_and(|b| !b.is_empty()),
        "{meta:?}"
    );
    assert_eq!(article.encoding, "UTF-8");
    assert_eq!(article.sha256.len(), 64);
}

/// Issue 18 (titles 130/130): a page saved again as UTF-8 that still declares `gb2312` is
/// read as UTF-8, and the analyst is told.
#[test]
fn a_utf8_page_with_a_stale_charset_keeps_its_title() {
    let page =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/encoding/qq-declares-gb2312.html");
    let article = read_article(&page).expect("article");
    assert_eq!(
        article.metadata.title.as_deref(),
        Some("DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶_科技_腾讯网")
    );
    assert_eq!(article.encoding, "UTF-8");
    assert!(article.note.is_some_and(|n| n.contains("GBK")));
    assert!(
        article
            .text
            .contains("在2014年收购的人工智能公司DeepMind开发出一款能够用自己的记忆学习新知识")
    );
}
