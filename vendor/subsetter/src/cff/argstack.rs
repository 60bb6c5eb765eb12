use crate::cff::number::Number;
use crate::Error::CFFError;
use crate::Result;

const MAX_OPERANDS_LEN: usize = 48;

// Taken from ttf-parser.
/// The charstring argument stack.
///
/// gongwen patch (vendor/README.md): a fixed array with a length, as the type 2 charstring
/// format bounds it (48 operands), instead of a `Vec` that `pop_all` swapped for a new empty
/// one: that was an allocation and a free for every operator of every glyph.
pub struct ArgumentsStack {
    data: [Number; MAX_OPERANDS_LEN],
    len: usize,
}

impl ArgumentsStack {
    pub fn new() -> Self {
        Self { data: [Number::zero(); MAX_OPERANDS_LEN], len: 0 }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    #[inline]
    pub fn push(&mut self, n: Number) -> Result<()> {
        if self.len == MAX_OPERANDS_LEN {
            Err(CFFError)
        } else {
            self.data[self.len] = n;
            self.len += 1;
            Ok(())
        }
    }

    #[inline]
    pub fn pop(&mut self) -> Option<Number> {
        self.len = self.len.checked_sub(1)?;
        Some(self.data[self.len])
    }

    /// Empties the stack; returns how many operands it held.
    #[inline]
    pub fn pop_all(&mut self) -> usize {
        std::mem::take(&mut self.len)
    }
}
