fn main() {
    let path = std::env::args().nth(1).expect("path");
    let text = std::fs::read_to_string(path).expect("read");
    let doc = marginalia::model::DocText::new(text);
    for q in marginalia::suggest::quote_spans(&doc) {
        println!(
            "{:?}\t{:?}\t{}",
            q.directness,
            q.speaker.map(|s| s.text().to_owned()),
            doc.slice(q.span)
                .unwrap_or_default()
                .chars()
                .take(60)
                .collect::<String>()
        );
    }
}
