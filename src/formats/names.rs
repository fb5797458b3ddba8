//! File names derived from document names: safe on every platform and never a path.

/// The longest stem, in bytes: file systems allow 255 bytes in a name, not 255 characters
/// (100 emoji are 400 bytes), and room is left for what is added to a stem (`-12`, `.ann`,
/// `.txt.tmp-PID`, `.bak`).
pub const MAX_STEM_BYTES: usize = 120;

/// `name` made safe as a file name: no separators, no `..`, no control characters or NUL,
/// no characters Windows forbids, not a reserved Windows device name, not empty, at most
/// [`MAX_STEM_BYTES`] bytes (cut between characters). Keeps letters of every script.
pub fn safe_file_stem(name: &str) -> String {
    safe_name(name, MAX_STEM_BYTES)
}

/// True if `name` (a stem with what was added to it) is a safe file name.
pub fn is_safe_file_name(name: &str) -> bool {
    name.len() <= 255 && safe_name(name, 255) == name
}

fn safe_name(name: &str, max_bytes: usize) -> String {
    let mut cleaned = String::with_capacity(name.len().min(max_bytes));
    for c in name.chars().map(|c| match c {
        '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
        c if c.is_control() => '_',
        c => c,
    }) {
        if cleaned.len() + c.len_utf8() > max_bytes {
            break;
        }
        cleaned.push(c);
    }
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let mut out = if trimmed.is_empty() {
        "document".to_owned()
    } else {
        trimmed.to_owned()
    };
    let stem = out
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        out.insert(0, '_');
    }
    out
}

/// Unique safe stems for a list of names, in order (`a`, `a-2`, `a-3`, …).
pub fn unique_stems<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut used: Vec<String> = Vec::new();
    for name in names {
        let base = safe_file_stem(name);
        let mut candidate = base.clone();
        let mut n = 2;
        while used.iter().any(|u| u.eq_ignore_ascii_case(&candidate)) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        used.push(candidate);
    }
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_stay_inside_the_folder() {
        assert_eq!(safe_file_stem("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_file_stem("/abs/path"), "_abs_path");
        assert_eq!(safe_file_stem("a\0b"), "a_b");
        assert_eq!(safe_file_stem(".."), "document");
        assert_eq!(safe_file_stem("CON"), "_CON");
        assert_eq!(safe_file_stem("com1.txt"), "_com1.txt");
        assert_eq!(safe_file_stem("C:\\x"), "C__x");
        assert_eq!(safe_file_stem("金正恩 “report”"), "金正恩 “report”");
    }

    #[test]
    fn long_names_are_cut_by_bytes_between_characters() {
        let emoji = "😀".repeat(100);
        let stem = safe_file_stem(&emoji);
        assert_eq!(stem, "😀".repeat(30), "120 bytes: 30 emoji");
        let cjk = "金".repeat(150);
        assert_eq!(safe_file_stem(&cjk).len(), 120);
        // Made unique, with an extension, still far below 255 bytes and still safe.
        let stems = unique_stems([cjk.as_str(), cjk.as_str(), cjk.as_str()]);
        assert_eq!(stems[2], format!("{}-3", "金".repeat(40)));
        assert!(is_safe_file_name(&format!("{}.ann", stems[2])));
    }

    #[test]
    fn stems_are_unique_ignoring_case() {
        assert_eq!(unique_stems(["a", "A", "a", "b"]), ["a", "A-2", "a-3", "b"]);
    }
}
