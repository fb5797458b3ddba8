fn main() {
    let path = std::env::args().nth(1).expect("path");
    let times: usize = std::env::args().nth(2).map_or(1, |n| n.parse().expect("n"));
    let text = std::fs::read_to_string(path).expect("read").repeat(times);
    let doc = marginalia::model::DocText::new(text);
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let n = marginalia::suggest::quote_spans(&doc).len();
        println!(
            "{n} found in {} bytes: {:?}",
            doc.as_str().len(),
            t.elapsed()
        );
    }
}
