//! gongwen patch (vendor/README.md): a zlib stream of one deflate block that codes every byte as
//! a literal, with a Huffman code made for the stream (RFC 1950, RFC 1951 3.2.7): no search for
//! repeated strings.
//!
//! Why: a batch document's PDF spends most of its time deflating its embedded font programs
//! (subset CFF, a few hundred KB of charstrings per document), and a CFF program gains little
//! from repeated strings: on a three-page report the fonts take 84.9 % of their size coded
//! this way, 82.5 % with libdeflate's level 1 and 81.0 % with zlib's 6, while this is a count
//! over (a sample of) the bytes and one coding pass, several times faster than either. Every inflater
//! reads it: it is an ordinary dynamic block, with two one-bit distance codes (none used) as
//! zlib itself writes when a block has no matches.
//!
//! Public (hidden) for gongwen's tests (tests/pdf_cache.rs): a vendored crate's own tests do
//! not run in gongwen's workspace.

/// The longest literal code, bits. Deflate allows 15; at 12, four codes and the (at most 7)
/// bits still pending fit one 64-bit accumulator, so [`Bits::literals`] stores once per four
/// bytes. Only bytes rarer than one in 4,096 could want longer codes: the streams grow by
/// under 0.1 %.
const MAX_BITS: u8 = 12;

/// The zlib stream of `data`.
pub fn zlib(data: &[u8]) -> Vec<u8> {
    let mut freq = [0u32; 257];
    if data.len() >= SAMPLE_FROM {
        // A quarter of the bytes, in runs of 64, and every byte value once: a code made from
        // them is within a fraction of a percent of the exact one, for a quarter of the count.
        count(data.chunks(256).map(|b| &b[..b.len().min(64)]), &mut freq);
        for f in &mut freq[..256] {
            *f += 1;
        }
    } else {
        count([data], &mut freq);
    }
    // End of block; and at least two literal codes, as a Huffman code has (RFC 1951 3.2.2).
    freq[256] = 1;
    if freq[..256].iter().filter(|&&f| f > 0).count() < 2 {
        freq[0] += 1;
        freq[1] += 1;
    }
    let lens = lengths(&freq, MAX_BITS);
    let codes = codes(&lens);

    let mut w = Bits::with_capacity(data.len() + 512);
    // CMF: deflate, 32 KB window; FLG: fastest level, and FCHECK makes the pair a multiple of 31.
    w.bytes(&[0x78, 0x01]);
    w.put(1, 1); // the last block
    w.put(2, 2); // dynamic Huffman codes
    header(&mut w, &lens);
    let mut table = [0u32; 257];
    for (t, (&c, &l)) in table.iter_mut().zip(codes.iter().zip(&lens)) {
        *t = c | u32::from(l) << 16;
    }
    w.literals(data, &table);
    w.put(table[256] & 0xffff, table[256] >> 16);
    let mut out = w.finish();
    out.extend_from_slice(&zlib_rs::adler32::adler32(1, data).to_be_bytes());
    out
}

/// Streams from this long get their code from a sample of their bytes.
const SAMPLE_FROM: usize = 16 * 1024;

/// Add the byte frequencies of `parts` to `freq`, in four interleaved tables (independent
/// increments pipeline better).
fn count<'a>(parts: impl IntoIterator<Item = &'a [u8]>, freq: &mut [u32; 257]) {
    let mut t = [[0u32; 256]; 4];
    for data in parts {
        let mut chunks = data.chunks_exact(4);
        for c in &mut chunks {
            t[0][c[0] as usize] += 1;
            t[1][c[1] as usize] += 1;
            t[2][c[2] as usize] += 1;
            t[3][c[3] as usize] += 1;
        }
        for &b in chunks.remainder() {
            t[0][b as usize] += 1;
        }
    }
    for (i, f) in freq.iter_mut().take(256).enumerate() {
        *f += t[0][i] + t[1][i] + t[2][i] + t[3][i];
    }
}

/// The dynamic block's header: the code lengths of the 257 literal/length symbols and of two
/// distance symbols, themselves Huffman coded (runs of zeros as symbols 17 and 18).
fn header(w: &mut Bits, lens: &[u8]) {
    let mut all: Vec<u8> = lens.to_vec();
    all.extend_from_slice(&[1, 1]);
    // (symbol, extra bits value, extra bits count)
    let mut syms: Vec<(u8, u32, u32)> = Vec::with_capacity(all.len());
    let mut i = 0;
    while i < all.len() {
        let l = all[i];
        let run = all[i..].iter().take_while(|&&x| x == l).count();
        if l == 0 && run >= 11 {
            let n = run.min(138);
            syms.push((18, (n - 11) as u32, 7));
            i += n;
        } else if l == 0 && run >= 3 {
            syms.push((17, (run - 3) as u32, 3));
            i += run;
        } else {
            syms.push((l, 0, 0));
            i += 1;
        }
    }
    let mut freq = [0u32; 19];
    for &(s, _, _) in &syms {
        freq[s as usize] += 1;
    }
    if freq.iter().filter(|&&f| f > 0).count() < 2 {
        // Two codes at least: give an unused length symbol one.
        let unused = freq.iter().position(|&f| f == 0).unwrap_or(0);
        freq[unused] = 1;
    }
    let cl_lens = lengths(&freq, 7);
    let cl_codes = codes(&cl_lens);
    // The order the code length code's lengths are sent in (RFC 1951 3.2.7).
    const ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
    let hclen = ORDER.iter().rposition(|&s| cl_lens[s] > 0).map_or(4, |p| (p + 1).max(4));
    w.put(0, 5); // HLIT: 257 literal/length codes
    w.put(1, 5); // HDIST: 2 distance codes
    w.put((hclen - 4) as u32, 4);
    for &s in &ORDER[..hclen] {
        w.put(u32::from(cl_lens[s]), 3);
    }
    for (s, extra, n) in syms {
        w.put(cl_codes[s as usize], u32::from(cl_lens[s as usize]));
        w.put(extra, n);
    }
}

/// Huffman code lengths for `freq` (0 for an unused symbol), none longer than `limit` (a
/// deflate code needs 2 to 15 codes, so `2^limit` ≥ the symbols used). The tree is built from
/// the symbols sorted by frequency (two queues, no heap); leaves deeper than `limit` are
/// lifted to it and the code made whole again as zlib does (`gen_bitlen`): a shorter leaf is
/// moved one level down beside a lifted one until the lengths fit (Kraft sum 1); the lengths
/// then go to the symbols, the longest to the rarest.
fn lengths(freq: &[u32], limit: u8) -> Vec<u8> {
    let mut lens = vec![0u8; freq.len()];
    let mut syms: Vec<(u32, usize)> =
        freq.iter().enumerate().filter(|(_, f)| **f > 0).map(|(s, &f)| (f, s)).collect();
    syms.sort_unstable();
    let n = syms.len();
    if n <= 1 {
        if let Some(&(_, s)) = syms.first() {
            lens[s] = 1;
        }
        return lens;
    }
    // Nodes: the leaves in frequency order, then the inner nodes in the order made, which is
    // also their weight order, so the two lightest are among the heads of the two runs.
    let mut weight: Vec<u64> = syms.iter().map(|&(f, _)| u64::from(f)).collect();
    let mut parent = vec![0usize; 2 * n - 1];
    let (mut leaf, mut inner) = (0, n);
    for k in n..2 * n - 1 {
        let mut pair = [0usize; 2];
        for p in &mut pair {
            *p = if leaf < n && (inner == k || weight[leaf] <= weight[inner]) {
                leaf += 1;
                leaf - 1
            } else {
                inner += 1;
                inner - 1
            };
        }
        weight.push(weight[pair[0]] + weight[pair[1]]);
        parent[pair[0]] = k;
        parent[pair[1]] = k;
    }
    // Depths from the root (the last node) down: a parent always comes after its children.
    let mut depth = vec![0usize; 2 * n - 1];
    for node in (0..2 * n - 2).rev() {
        depth[node] = depth[parent[node]] + 1;
    }
    let limit = usize::from(limit);
    let mut count = vec![0u32; limit + 1];
    for &d in &depth[..n] {
        count[d.min(limit)] += 1;
    }
    // The Kraft sum in units of 2^-limit: each step below takes one unit off.
    let kraft = |count: &[u32]| -> u64 {
        (1..=limit).map(|l| u64::from(count[l]) << (limit - l)).sum()
    };
    let mut excess = kraft(&count).saturating_sub(1 << limit);
    while excess > 0 {
        let Some(bits) = (1..limit).rev().find(|&b| count[b] > 0) else {
            break;
        };
        count[bits] -= 1;
        count[bits + 1] += 2;
        count[limit] -= 1;
        excess -= 1;
    }
    debug_assert_eq!(kraft(&count), 1 << limit);
    let mut rarest_first = syms.iter();
    for l in (1..=limit).rev() {
        for &(_, s) in rarest_first.by_ref().take(count[l] as usize) {
            lens[s] = l as u8;
        }
    }
    lens
}

/// The canonical codes of `lens` (RFC 1951 3.2.2), bit-reversed: deflate sends a Huffman code
/// from its most significant bit, into a stream packed from each byte's least significant.
fn codes(lens: &[u8]) -> Vec<u32> {
    let max = lens.iter().copied().max().unwrap_or(0) as usize;
    let mut bl_count = vec![0u32; max + 1];
    for &l in lens.iter().filter(|&&l| l > 0) {
        bl_count[l as usize] += 1;
    }
    let mut next = vec![0u32; max + 2];
    let mut code = 0u32;
    for bits in 1..=max {
        code = (code + bl_count[bits - 1]) << 1;
        next[bits] = code;
    }
    lens.iter()
        .map(|&l| {
            if l == 0 {
                return 0;
            }
            let c = next[l as usize];
            next[l as usize] += 1;
            c.reverse_bits() >> (32 - u32::from(l))
        })
        .collect()
}

/// A bit stream packed from each byte's least significant bit (RFC 1951 3.1.1).
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn with_capacity(n: usize) -> Self {
        Bits { out: Vec::with_capacity(n), acc: 0, n: 0 }
    }

    /// Whole bytes, at a byte boundary.
    fn bytes(&mut self, b: &[u8]) {
        debug_assert_eq!(self.n, 0);
        self.out.extend_from_slice(b);
    }

    /// The `len` low bits of `v` (`len` ≤ 32).
    #[inline]
    fn put(&mut self, v: u32, len: u32) {
        self.acc |= u64::from(v) << self.n;
        self.n += len;
        if self.n >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.n -= 32;
        }
    }

    /// Each byte of `data` by its code in `table` (code | length << 16, lengths at most
    /// [`MAX_BITS`]). Four codes are gathered, then the accumulator's whole bytes stored eight
    /// at a time, without a branch: fewer than 8 bits are pending before, so at most
    /// 7 + 4 × 12 = 55 after.
    fn literals(&mut self, data: &[u8], table: &[u32; 257]) {
        // Align to a byte first: the loop below keeps fewer than 8 pending bits.
        let (mut acc, mut n) = (self.acc, self.n);
        while n >= 8 {
            self.out.push(acc as u8);
            acc >>= 8;
            n -= 8;
        }
        let mut pos = self.out.len();
        // Worst case 12 bits a byte, and 8 bytes of room for the last store.
        self.out.resize(pos + data.len() * 3 / 2 + 16, 0);
        let buf = &mut self.out[..];
        let code = |acc: &mut u64, n: &mut u32, t: u32| {
            *acc |= u64::from(t & 0xffff) << *n;
            *n += t >> 16;
        };
        let mut fours = data.chunks_exact(4);
        for c in &mut fours {
            code(&mut acc, &mut n, table[c[0] as usize]);
            code(&mut acc, &mut n, table[c[1] as usize]);
            code(&mut acc, &mut n, table[c[2] as usize]);
            code(&mut acc, &mut n, table[c[3] as usize]);
            buf[pos..pos + 8].copy_from_slice(&acc.to_le_bytes());
            let whole = n & !7;
            pos += (whole >> 3) as usize;
            acc >>= whole;
            n -= whole;
        }
        for &b in fours.remainder() {
            code(&mut acc, &mut n, table[b as usize]);
        }
        self.out.truncate(pos);
        self.acc = acc;
        self.n = n;
        while self.n >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.n -= 32;
        }
    }

    /// The bytes, the last one padded with zero bits.
    fn finish(mut self) -> Vec<u8> {
        while self.n > 0 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n = self.n.saturating_sub(8);
        }
        self.out
    }
}
