//! `palisade hmac`: HMACs of files, one `<hex>  <name>` line each (the `sha256sum` format),
//! and `--check` of such lists (`check.rs`, MACs compared in constant time).

use std::fs;
use std::io::{self, BufWriter, Write};

use anyhow::{Context, bail};
use palisade::digest::HmacKey;

use crate::Outcome;
use crate::args::HmacArgs;
use crate::check::{self, MacChecker, Options};
use crate::diag::file_error;
use crate::pool;
use crate::progress::Progress;
use crate::sums::{Spec, inputs, write_gnu_line};

/// Runs `palisade hmac`.
pub(crate) fn run(args: &HmacArgs) -> anyhow::Result<Outcome> {
    let key = match (&args.key, &args.key_file) {
        (Some(hex), None) => decode_hex(hex).context("invalid --key")?,
        (None, Some(path)) => {
            fs::read(path).with_context(|| format!("cannot read --key-file {}", path.display()))?
        }
        // clap's `key_source` group requires exactly one of the two.
        _ => bail!("give exactly one of --key and --key-file"),
    };
    let key = HmacKey::new(&key, args.algorithm)?;
    let mut out = BufWriter::new(io::stdout().lock());
    if args.checking.check {
        let options = Options::new(&args.checking, pool::default_workers());
        let spec = Spec::new(args.algorithm, None)?;
        let checker = MacChecker(key);
        let progress = Progress::new(false, None);
        let all_ok = check::check_lists(
            &mut out,
            &checker,
            &spec,
            &inputs(&args.files),
            options,
            &progress,
        )?;
        out.flush()?;
        return Ok(if all_ok { Outcome::Yes } else { Outcome::No });
    }
    let mut all_ok = true;
    for file in inputs(&args.files) {
        let mut mac = key.start();
        let fed = if file == "-" {
            io::copy(&mut io::stdin().lock(), &mut mac)
        } else {
            fs::File::open(&file).and_then(|mut f| io::copy(&mut f, &mut mac))
        };
        match fed {
            Ok(_) => write_gnu_line(&mut out, &mac.hexdigest(), &file)?,
            Err(err) => {
                out.flush()?;
                file_error(&file, &err);
                all_ok = false;
            }
        }
    }
    out.flush()?;
    Ok(if all_ok { Outcome::Yes } else { Outcome::No })
}

/// Decodes hex (either case, even length) with base16ct, which takes the same time whatever
/// the key's digits are; only a key it refuses is scanned again, to say what is wrong and where.
fn decode_hex(hex: &str) -> anyhow::Result<Vec<u8>> {
    base16ct::mixed::decode_vec(hex).or_else(|_| {
        if let Some((at, c)) = hex.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
            bail!(
                "{c:?} at offset {at} is not a hex digit (give the key in hex, or use --key-file)"
            );
        }
        bail!("{} hex digits: an even number is needed", hex.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_keys_decode() {
        assert_eq!(decode_hex("").unwrap(), b"");
        assert_eq!(decode_hex("6b6579").unwrap(), b"key");
        assert_eq!(decode_hex("FFff").unwrap(), [0xff, 0xff]);
        assert!(decode_hex("abc").is_err());
        assert!(decode_hex("zz").is_err());
        assert!(decode_hex("+1").is_err());
        let err = decode_hex("key").unwrap_err().to_string();
        assert!(
            err.starts_with("'k' at offset 0 is not a hex digit"),
            "{err}"
        );
    }

    #[test]
    fn bad_keys_say_what_and_where() {
        let cases = [
            (
                "6b6g79",
                "'g' at offset 3 is not a hex digit (give the key in hex, or use --key-file)",
            ),
            // The first bad character is named even when the length is odd too.
            (
                "6b 657",
                "' ' at offset 2 is not a hex digit (give the key in hex, or use --key-file)",
            ),
            (
                "0x6b",
                "'x' at offset 1 is not a hex digit (give the key in hex, or use --key-file)",
            ),
            // Offsets are in bytes, as a terminal shows them for ASCII keys.
            (
                "ab\u{e9}",
                "'\u{e9}' at offset 2 is not a hex digit (give the key in hex, or use --key-file)",
            ),
            ("abc", "3 hex digits: an even number is needed"),
            (
                "+1",
                "'+' at offset 0 is not a hex digit (give the key in hex, or use --key-file)",
            ),
        ];
        for (key, expected) in cases {
            assert_eq!(
                decode_hex(key).unwrap_err().to_string(),
                expected,
                "{key:?}"
            );
        }
    }
}
