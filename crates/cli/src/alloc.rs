//! The global allocator: mimalloc, entered through its plain functions when the alignment
//! asked for is one every mimalloc block already has.
//!
//! The `mimalloc` crate's allocator calls `mi_malloc_aligned` (and `mi_realloc_aligned`) for
//! every allocation, whatever its alignment; that entry checks the alignment, looks for a free
//! block and tests the block's address before it allocates, which cost the actors stage 27 M
//! instructions for its 1.01 M allocations per 1,000 documents (callgrind), besides the 7 M of
//! the allocation itself. Almost every allocation asks for an alignment of 8 or less, and
//! every mimalloc block is a whole number of 8-byte words in a word-aligned page, so
//! `mi_malloc` serves those directly. Larger alignments keep the aligned entry points.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment of every mimalloc block: its bins are whole machine words.
const WORD: usize = std::mem::size_of::<usize>();

pub struct Mimalloc;

// SAFETY: each function hands mimalloc a layout it serves with at least the alignment asked
// for (the plain functions only when that alignment is at most a word, which every block has;
// the aligned ones otherwise), and every block, however allocated, is freed by `mi_free`,
// which takes blocks from all of mimalloc's entry points.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD {
            mi::mi_malloc(layout.size()) as *mut u8
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD {
            mi::mi_zalloc(layout.size()) as *mut u8
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi::mi_free(ptr as *mut c_void);
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= WORD {
            mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8
        } else {
            mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_have_the_alignment_asked_for_and_keep_their_bytes_through_realloc() {
        let a = Mimalloc;
        for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1usize, 3, 8, 24, 40, 100, 1000, 70_000] {
                let layout = Layout::from_size_align(size, align).expect("valid layout");
                // SAFETY: the layout has a non-zero size; the block is written within its size,
                // reallocated with the layout it was allocated with, and freed once.
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "alloc size {size} align {align}");
                    std::ptr::write_bytes(p, 0xA5, size);
                    let q = a.realloc(p, layout, size * 3);
                    assert_eq!(q as usize % align, 0, "realloc size {size} align {align}");
                    assert!(std::slice::from_raw_parts(q, size).iter().all(|&b| b == 0xA5));
                    a.dealloc(q, Layout::from_size_align(size * 3, align).expect("valid layout"));
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0, "alloc_zeroed size {size} align {align}");
                    assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
