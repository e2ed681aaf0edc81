//! Diagnostics in coreutils' words: `palisade: NAME: REASON`, the name quoted as gnulib's
//! `quotef` does.

use std::ffi::OsStr;
use std::io::{self, Write};

/// Reports an unreadable file on stderr as coreutils does: `palisade: NAME: REASON`, the
/// name quoted for the shell when it needs it.
pub(crate) fn file_error(file: &OsStr, err: &io::Error) {
    let _ = writeln!(
        io::stderr().lock(),
        "palisade: {}: {}",
        shell_quote(&file.to_string_lossy()),
        io_reason(err)
    );
}

/// Quotes a name the way coreutils' diagnostics do (gnulib `quotef`: the shell-escape
/// quoting style, with `:` quoted too): bare when it is safe, in double quotes when its
/// only special character is `'`, otherwise in single quotes with control characters as
/// `'$'\n''`.
pub(crate) fn shell_quote(name: &str) -> String {
    let control = |c: char| c.is_ascii_control();
    let special = |(i, c): (usize, char)| {
        matches!(
            c,
            ' ' | '!'
                | '"'
                | '$'
                | '&'
                | '('
                | ')'
                | '*'
                | ';'
                | '<'
                | '='
                | '>'
                | '['
                | '^'
                | '`'
                | '|'
                | '\\'
                | '?'
                | ':'
                | '\''
        ) || (i == 0 && matches!(c, '#' | '~'))
            || control(c)
    };
    if !name.is_empty() && !name.char_indices().any(special) {
        return name.to_owned();
    }
    let apostrophe_only = name
        .char_indices()
        .filter(|&ic| special(ic))
        .all(|(_, c)| c == '\'');
    if apostrophe_only {
        return format!("\"{name}\"");
    }
    let mut out = String::from("'");
    for c in name.chars() {
        match c {
            '\'' => out.push_str("'\\''"),
            '\n' => out.push_str("'$'\\n''"),
            '\r' => out.push_str("'$'\\r''"),
            '\t' => out.push_str("'$'\\t''"),
            c if control(c) => out.push_str(&format!("'$'\\{:03o}''", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// An I/O error's message without Rust's " (os error N)" suffix, like `strerror`.
fn io_reason(err: &io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(at) if err.raw_os_error().is_some() => text[..at].to_owned(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUOTED: &[(&str, &str)] = &[
        // Checked against sha256sum 9.1's "No such file or directory" messages.
        ("plain.txt", "plain.txt"),
        ("sp ace", "'sp ace'"),
        ("it's", "\"it's\""),
        ("a$b", "'a$b'"),
        ("x~", "x~"),
        ("~a", "'~a'"),
        ("#h", "'#h'"),
        ("a#", "a#"),
        ("new\nl", "'new'$'\\n''l'"),
        ("\u{e9}", "\u{e9}"),
        ("a:b", "'a:b'"),
        ("a=b", "'a=b'"),
        ("a,b", "a,b"),
        ("a{b", "a{b"),
        ("a]b", "a]b"),
    ];

    #[test]
    fn diagnostics_quote_names_like_coreutils() {
        for &(name, quoted) in QUOTED {
            assert_eq!(shell_quote(name), quoted, "{name:?}");
        }
    }
}
