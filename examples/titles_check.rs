fn main() {
    let dir = std::path::Path::new("../shared/corpus/readability");
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    pages.sort();
    let (mut ok, mut total) = (0, 0);
    for p in pages {
        let meta = p.join("expected-metadata.json");
        let Ok(m) = std::fs::read_to_string(&meta) else {
            continue;
        };
        let v: serde_json::Value = serde_json::from_str(&m).unwrap();
        let expected = v["title"].as_str().unwrap_or_default().to_owned();
        total += 1;
        match marginalia::ingest::read_article(&p.join("source.html")) {
            Ok(a) => {
                let t = a.metadata.title.unwrap_or_default();
                if t == expected {
                    ok += 1
                } else {
                    println!("{}: {:?} != {:?}", p.display(), t, expected)
                }
            }
            Err(e) => println!("{}: error {e}", p.display()),
        }
    }
    println!("{ok}/{total}");
}
