//! TeX's maths fonts without a Unicode map. pdfLaTeX embeds Computer Modern's symbol,
//! maths italic and extension fonts (CMSY, CMMI, CMEX) with their own encodings (OMS, OML,
//! OMX) and often no `ToUnicode` map; the parser then gives the codes as if they were
//! ASCII: `2` for ∈, `;` for ∅ or a comma, control characters for Greek. The page's glyphs
//! name their font, so each character of the page's text whose glyph is in one of these
//! fonts is spelled as the encoding means it.

/// The TeX maths encodings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TexFont {
    /// CMSY and its bold: OMS.
    Symbols,
    /// CMMI and its bold: OML.
    MathItalic,
    /// CMEX: OMX.
    Extension,
}

/// The TeX maths encoding of a font by its name (`ABCDEF+CMSY10` → symbols), if it has
/// one.
pub fn tex_font(name: &str) -> Option<TexFont> {
    let base = name.rsplit('+').next().unwrap_or(name);
    let family = base.trim_end_matches(|c: char| c.is_ascii_digit());
    match family {
        "CMSY" | "CMBSY" => Some(TexFont::Symbols),
        "CMMI" | "CMMIB" => Some(TexFont::MathItalic),
        "CMEX" => Some(TexFont::Extension),
        _ => None,
    }
}

/// What code `c` of font `font` means, where it is not `c` itself (`Some("")` for the
/// pieces of a drawn brace, which are no text).
pub fn spell(font: TexFont, c: char) -> Option<&'static str> {
    let code = u32::from(c);
    if code >= 0x80 {
        return None;
    }
    let code = usize::try_from(code).ok()?;
    let table: &[&str] = match font {
        TexFont::Symbols => &OMS,
        TexFont::MathItalic => &OML,
        TexFont::Extension => &OMX,
    };
    let meant = *table.get(code)?;
    (!meant.is_empty() || font == TexFont::Extension && (0x7a..=0x7d).contains(&code))
        .then_some(meant)
        .filter(|m| *m != c.to_string())
}

/// OMS (CMSY): `=` where the code means its ASCII character or has no text.
const OMS: [&str; 128] = [
    "−", "·", "×", "∗", "÷", "⋄", "±", "∓", "⊕", "⊖", "⊗", "⊘", "⊙", "◯", "∘", "•", //
    "≍", "≡", "⊆", "⊇", "≤", "≥", "⪯", "⪰", "∼", "≈", "⊂", "⊃", "≪", "≫", "≺", "≻", //
    "←", "→", "↑", "↓", "↔", "↗", "↘", "≃", "⇐", "⇒", "⇑", "⇓", "⇔", "↖", "↙", "∝", //
    "′", "∞", "∈", "∋", "△", "▽", "", "↦", "∀", "∃", "¬", "∅", "ℜ", "ℑ", "⊤", "⊥", //
    "ℵ", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", //
    "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "∪", "∩", "⊎", "∧", "∨", //
    "⊢", "⊣", "⌊", "⌋", "⌈", "⌉", "{", "}", "⟨", "⟩", "|", "‖", "↕", "⇕", "∖", "≀", //
    "√", "⨿", "∇", "∫", "⊔", "⊓", "⊑", "⊒", "§", "†", "‡", "¶", "♣", "♦", "♥", "♠", //
];

/// OML (CMMI): Greek, punctuation of maths, letters as they are.
const OML: [&str; 128] = [
    "Γ", "Δ", "Θ", "Λ", "Ξ", "Π", "Σ", "Υ", "Φ", "Ψ", "Ω", "α", "β", "γ", "δ", "ϵ", //
    "ζ", "η", "θ", "ι", "κ", "λ", "μ", "ν", "ξ", "π", "ρ", "σ", "τ", "υ", "ϕ", "χ", //
    "ψ", "ω", "ε", "ϑ", "ϖ", "ϱ", "ς", "φ", "↼", "↽", "⇀", "⇁", "", "", "▹", "◃", //
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ".", ",", "<", "/", ">", "⋆", //
    "∂", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", //
    "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "♭", "♮", "♯", "⌣", "⌢", //
    "ℓ", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", //
    "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "ı", "ȷ", "℘", "", "", //
];

/// OMX (CMEX): big delimiters and operators; the pieces of extensible ones have no text
/// (a brace's pieces, 0x7A–0x7D, are dropped).
const OMX: [&str; 128] = [
    "(", ")", "[", "]", "⌊", "⌋", "⌈", "⌉", "{", "}", "⟨", "⟩", "|", "‖", "/", "\\", //
    "(", ")", "(", ")", "[", "]", "⌊", "⌋", "⌈", "⌉", "{", "}", "⟨", "⟩", "/", "\\", //
    "(", ")", "[", "]", "⌊", "⌋", "⌈", "⌉", "{", "}", "⟨", "⟩", "/", "\\", "/", "\\", //
    "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", //
    "", "", "", "", "", "", "", "", "∮", "∮", "⨀", "⨀", "⨁", "⨁", "⨂", "⨂", //
    "∑", "∏", "∫", "⋃", "⋂", "⨄", "⋀", "⋁", "∑", "∏", "∫", "⋃", "⋂", "⨄", "⋀", "⋁", //
    "∐", "∐", "", "", "", "", "", "", "[", "]", "⌊", "⌋", "⌈", "⌉", "{", "}", //
    "√", "√", "√", "√", "√", "", "", "", "", "", "", "", "", "", "", "", //
];

/// How far ahead a character of the text is looked for among the page's glyphs.
const WINDOW: usize = 400;

/// `text` (a page's, as extracted) with the characters drawn in TeX maths fonts spelled as
/// their fonts mean them; `glyphs` are the page's glyphs in drawing order with their
/// font's encoding, white space left out. A character is matched to the next glyph of the
/// same character within a window; the rest is left as it is.
pub fn respell(text: &str, glyphs: &[(char, Option<TexFont>)]) -> String {
    if glyphs.iter().all(|(_, font)| font.is_none()) {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut next = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            out.push(c);
            continue;
        }
        let end = glyphs.len().min(next + WINDOW);
        // The characters around it must match the glyphs around it: a letter matched to
        // another place's glyph would be misspelled.
        let around = |k: usize| {
            chars[i + 1..]
                .iter()
                .filter(|c| !c.is_whitespace())
                .take(2)
                .zip(&glyphs[k + 1..])
                .all(|(c, (g, _))| c == g)
        };
        match (next..end).find(|&k| glyphs[k].0 == c && (k - next <= 2 || around(k))) {
            Some(k) => {
                // Inside a word, a letter is a letter (maths symbols stand apart).
                let in_word = c.is_alphabetic()
                    && i > 0
                    && chars[i - 1].is_alphabetic()
                    && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
                let in_step = (k == next || around(k)) && !in_word;
                next = k + 1;
                match glyphs[k]
                    .1
                    .and_then(|font| spell(font, c))
                    .filter(|_| in_step)
                {
                    Some(meant) => out.push_str(meant),
                    None => out.push(c),
                }
            }
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_by_name() {
        assert_eq!(tex_font("BIKXFS+CMSY10"), Some(TexFont::Symbols));
        assert_eq!(tex_font("CMMI8"), Some(TexFont::MathItalic));
        assert_eq!(tex_font("YMYJLL+CMEX10"), Some(TexFont::Extension));
        assert_eq!(tex_font("ABCDEF+CMR10"), None);
        assert_eq!(tex_font("Helvetica"), None);
    }

    #[test]
    fn codes_as_their_encodings_mean_them() {
        assert_eq!(spell(TexFont::Symbols, '2'), Some("∈"));
        assert_eq!(spell(TexFont::Symbols, ';'), Some("∅"));
        assert_eq!(spell(TexFont::Symbols, ')'), Some("⇒"));
        assert_eq!(spell(TexFont::Symbols, 'f'), Some("{"));
        assert_eq!(spell(TexFont::Symbols, 'A'), None, "calligraphic A is an A");
        assert_eq!(spell(TexFont::MathItalic, ';'), Some(","));
        assert_eq!(spell(TexFont::MathItalic, '\u{b}'), Some("α"));
        assert_eq!(spell(TexFont::MathItalic, 'x'), None);
        assert_eq!(spell(TexFont::Extension, 'S'), Some("⋃"));
        assert_eq!(spell(TexFont::Extension, 'z'), Some(""), "a brace's piece");
        assert_eq!(spell(TexFont::Symbols, '∈'), None, "already Unicode");
    }

    #[test]
    fn only_the_glyphs_in_maths_fonts_change() {
        // "x 2 X; 2 items": the first 2 and the ; are CMSY/CMMI glyphs, the second 2 is
        // text.
        let sy = Some(TexFont::Symbols);
        let mi = Some(TexFont::MathItalic);
        let glyphs: Vec<(char, Option<TexFont>)> = vec![
            ('x', mi),
            ('2', sy),
            ('X', mi),
            (';', mi),
            ('2', None),
            ('i', None),
            ('t', None),
            ('e', None),
            ('m', None),
            ('s', None),
        ];
        assert_eq!(respell("x 2 X; 2 items", &glyphs), "x ∈ X, 2 items");
        assert_eq!(respell("plain", &[('p', None)]), "plain");
    }
}
