//! Safe, bounds-checked reading of the vDSO's ELF structures from a byte slice.
//!
//! Only what a dynamic symbol look-up needs: the program headers, the dynamic section, the
//! symbol and string tables, the hash table (for the symbol count) and the version tables.
//! Layouts are those of `<elf.h>` for 64-bit, native-endian objects.
//!
//! Safe code only: the unsafe look-up in `vdso.rs` hands it bytes it copied or mapped.
#![forbid(unsafe_code)]

/// Where the loadable image ends, from the ELF header and program headers in `first_page`.
pub(super) fn image_len(first_page: &[u8]) -> Option<usize> {
    let header = Header::parse(first_page)?;
    let mut end = 0usize;
    for phdr in header.program_headers(first_page)? {
        if phdr.kind == PT_LOAD {
            end = end.max(phdr.offset.checked_add(phdr.file_size)?);
        }
    }
    (end > 0).then_some(end)
}

/// The offset in `image` of the defined global function `name` with version `version`.
pub(super) fn find_symbol(image: &[u8], name: &[u8], version: &[u8]) -> Option<usize> {
    let header = Header::parse(image)?;
    let phdrs: Vec<ProgramHeader> = header.program_headers(image)?.collect();
    // Virtual addresses in the dynamic section become image offsets through the first
    // `PT_LOAD` segment (the vDSO has exactly one).
    let load = phdrs.iter().find(|p| p.kind == PT_LOAD)?;
    let bias = load.vaddr.checked_sub(u64::try_from(load.offset).ok()?)?;
    let to_offset = |vaddr: u64| -> Option<usize> {
        usize::try_from(vaddr.checked_sub(bias)?)
            .ok()
            .filter(|&o| o < image.len())
    };
    let dynamic = phdrs.iter().find(|p| p.kind == PT_DYNAMIC)?;
    let dynamic = image.get(dynamic.offset..dynamic.offset.checked_add(dynamic.file_size)?)?;

    let mut tables = Tables::default();
    for entry in dynamic.chunks_exact(16) {
        let tag = u64_at(entry, 0)?;
        let value = u64_at(entry, 8)?;
        match tag {
            DT_NULL => break,
            DT_HASH => tables.hash = Some(to_offset(value)?),
            DT_GNU_HASH => tables.gnu_hash = Some(to_offset(value)?),
            DT_STRTAB => tables.strtab = Some(to_offset(value)?),
            DT_SYMTAB => tables.symtab = Some(to_offset(value)?),
            DT_VERSYM => tables.versym = Some(to_offset(value)?),
            DT_VERDEF => tables.verdef = Some(to_offset(value)?),
            _ => {}
        }
    }
    let strtab = image.get(tables.strtab?..)?;
    let symtab = image.get(tables.symtab?..)?;
    let count = match (tables.hash, tables.gnu_hash) {
        // `nchain` of a SysV hash table is the number of symbols.
        (Some(hash), _) => usize::try_from(u32_at(image, hash.checked_add(4)?)?).ok()?,
        (None, Some(gnu_hash)) => gnu_hash_symbol_count(image.get(gnu_hash..)?)?,
        (None, None) => return None,
    };

    for index in 0..count {
        let sym = symtab
            .get(index.checked_mul(SYM_SIZE)?..)?
            .get(..SYM_SIZE)?;
        let name_offset = usize::try_from(u32_at(sym, 0)?).ok()?;
        let info = sym[4];
        let section = u16_at(sym, 6)?;
        let value = u64_at(sym, 8)?;
        let binding = info >> 4;
        if info & 0xf != STT_FUNC
            || !(binding == STB_GLOBAL || binding == STB_WEAK)
            || section == SHN_UNDEF
            || c_str(strtab, name_offset)? != name
        {
            continue;
        }
        if let (Some(versym), Some(verdef)) = (tables.versym, tables.verdef) {
            let ver = u16_at(image, versym.checked_add(index.checked_mul(2)?)?)? & 0x7fff;
            if version_name(image, verdef, ver, strtab)? != version {
                continue;
            }
        }
        return to_offset(value);
    }
    None
}

#[derive(Default)]
struct Tables {
    hash: Option<usize>,
    gnu_hash: Option<usize>,
    strtab: Option<usize>,
    symtab: Option<usize>,
    versym: Option<usize>,
    verdef: Option<usize>,
}

/// `Elf64_Ehdr`: the fields we use.
struct Header {
    phoff: usize,
    phentsize: usize,
    phnum: usize,
}

impl Header {
    fn parse(image: &[u8]) -> Option<Self> {
        let ident = image.get(..16)?;
        let native = if cfg!(target_endian = "little") {
            ELFDATA2LSB
        } else {
            ELFDATA2MSB
        };
        if ident[..4] != *b"\x7fELF" || ident[4] != ELFCLASS64 || ident[5] != native {
            return None;
        }
        let header = Self {
            phoff: usize::try_from(u64_at(image, 32)?).ok()?,
            phentsize: usize::from(u16_at(image, 54)?),
            phnum: usize::from(u16_at(image, 56)?),
        };
        (header.phentsize >= PHDR_SIZE).then_some(header)
    }

    fn program_headers<'a>(
        &self,
        image: &'a [u8],
    ) -> Option<impl Iterator<Item = ProgramHeader> + 'a> {
        let len = self.phentsize.checked_mul(self.phnum)?;
        let table = image.get(self.phoff..self.phoff.checked_add(len)?)?;
        Some(
            table
                .chunks_exact(self.phentsize)
                .filter_map(ProgramHeader::parse),
        )
    }
}

/// `Elf64_Phdr`: the fields we use.
struct ProgramHeader {
    kind: u32,
    offset: usize,
    vaddr: u64,
    file_size: usize,
}

impl ProgramHeader {
    fn parse(bytes: &[u8]) -> Option<Self> {
        Some(Self {
            kind: u32_at(bytes, 0)?,
            offset: usize::try_from(u64_at(bytes, 8)?).ok()?,
            vaddr: u64_at(bytes, 16)?,
            file_size: usize::try_from(u64_at(bytes, 32)?).ok()?,
        })
    }
}

/// The number of dynamic symbols, from a `DT_GNU_HASH` table: one past the highest symbol
/// index reachable from any bucket (as `parse_vdso.c` in the kernel computes it).
fn gnu_hash_symbol_count(table: &[u8]) -> Option<usize> {
    let buckets = usize::try_from(u32_at(table, 0)?).ok()?;
    let symoffset = usize::try_from(u32_at(table, 4)?).ok()?;
    let bloom_words = usize::try_from(u32_at(table, 8)?).ok()?;
    let buckets_at = 16usize.checked_add(bloom_words.checked_mul(8)?)?;
    let chains_at = buckets_at.checked_add(buckets.checked_mul(4)?)?;
    let mut last = 0usize;
    for b in 0..buckets {
        last = last.max(usize::try_from(u32_at(table, buckets_at + b * 4)?).ok()?);
    }
    if last < symoffset {
        return Some(symoffset);
    }
    // Follow the chain of the highest bucket to its end (low bit set).
    loop {
        let entry = u32_at(
            table,
            chains_at.checked_add((last - symoffset).checked_mul(4)?)?,
        )?;
        if entry & 1 == 1 {
            return last.checked_add(1);
        }
        last = last.checked_add(1)?;
    }
}

/// The name of version index `ver` in the `Elf64_Verdef` list at `verdef`.
fn version_name<'a>(image: &[u8], verdef: usize, ver: u16, strtab: &'a [u8]) -> Option<&'a [u8]> {
    let mut at = verdef;
    // A well-formed list is short; the bound stops a looping `vd_next`.
    for _ in 0..256 {
        let flags = u16_at(image, at.checked_add(2)?)?;
        let index = u16_at(image, at.checked_add(4)?)?;
        let aux = usize::try_from(u32_at(image, at.checked_add(12)?)?).ok()?;
        let next = usize::try_from(u32_at(image, at.checked_add(16)?)?).ok()?;
        if flags & VER_FLG_BASE == 0 && index & 0x7fff == ver {
            let name = usize::try_from(u32_at(image, at.checked_add(aux)?)?).ok()?;
            return c_str(strtab, name);
        }
        if next == 0 {
            return None;
        }
        at = at.checked_add(next)?;
    }
    None
}

/// The NUL-terminated string at `offset` in `strtab`, without the NUL.
fn c_str(strtab: &[u8], offset: usize) -> Option<&[u8]> {
    let rest = strtab.get(offset..)?;
    let end = rest.iter().position(|&b| b == 0)?;
    Some(&rest[..end])
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_ne_bytes(
        bytes.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

const ELFCLASS64: u8 = 2;
const ELFDATA2LSB: u8 = 1;
const ELFDATA2MSB: u8 = 2;
const PHDR_SIZE: usize = 56;
const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const DT_NULL: u64 = 0;
const DT_HASH: u64 = 4;
const DT_STRTAB: u64 = 5;
const DT_SYMTAB: u64 = 6;
const DT_GNU_HASH: u64 = 0x6fff_fef5;
const DT_VERSYM: u64 = 0x6fff_fff0;
const DT_VERDEF: u64 = 0x6fff_fffc;
const SYM_SIZE: usize = 24;
const STT_FUNC: u8 = 2;
const STB_GLOBAL: u8 = 1;
const STB_WEAK: u8 = 2;
const SHN_UNDEF: u16 = 0;
const VER_FLG_BASE: u16 = 1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_is_not_an_elf_image() {
        for image in [&b""[..], b"\x7fELF", &[0u8; 64], &[0xffu8; 4096]] {
            assert_eq!(image_len(image), None);
            assert_eq!(find_symbol(image, b"f", b"V"), None);
        }
    }

    #[test]
    fn survives_every_truncation_and_corruption_of_the_real_vdso() {
        // The real vDSO, copied, then cut short and corrupted byte by byte: the parser
        // must answer `None` or some in-bounds offset, and never panic.
        let Some(image) = super::super::copy_of_vdso() else {
            eprintln!("skipped: this machine has no vDSO");
            return;
        };
        let found = find_symbol(&image, super::super::SYMBOL, super::super::VERSION);
        for len in (0..image.len()).step_by(7) {
            if let Some(offset) = find_symbol(&image[..len], b"x", b"y") {
                assert!(offset < len);
            }
        }
        for at in (0..image.len().min(8192)).step_by(3) {
            let mut corrupt = image.clone();
            corrupt[at] ^= 0xa5;
            if let Some(offset) = find_symbol(&corrupt, super::super::SYMBOL, super::super::VERSION)
            {
                assert!(offset < corrupt.len());
            }
        }
        // And the uncorrupted copy gives the answer the live look-up gave.
        if let Some(vdso) = super::super::vdso() {
            let live = vdso.function as usize;
            let base = super::super::auxval(libc::AT_SYSINFO_EHDR);
            assert_eq!(found.map(|o| base + o), Some(live));
        }
    }
}
