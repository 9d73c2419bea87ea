/*
 * veralloc heap: blocks of any size in constant time, all metadata out of band
 * (docs/heap_design.md).
 *
 * The state. The buffer is cut into granules of VERA_HEAP_GRANULE bytes. Each granule has one
 * word in the granule map, tag * VERA_HEAP_TAG_UNIT + payload:
 *   - the first granule of a block (its head) is tagged LIVE or FREE, with the block's size in
 *     granules as payload;
 *   - a block of s granules at h keeps a back-link to h in its last granule's word
 *     (map[h + s - 1], tag LINK), so that free finds its left neighbour's head in one read;
 *   - a free block keeps its list links in map[h + 1] (next) and map[h + 2] (previous), tag LINK;
 *   - every other word is OTHER or a stale LINK: only block heads carry LIVE or FREE, which is
 *     what lets free classify any pointer from one word.
 * Every block has at least 4 granules, so these four slots are distinct. Free blocks are in 30
 * bins by floor(log2(size)), each a doubly linked list, with a bitmap of the non-empty bins.
 *
 * alloc rounds the request up to 2^c granules (c = ceil(log2(granules)), at least 4 granules),
 * takes the first block of the lowest non-empty bin k >= c (every block there has at least
 * 2^k >= 2^c granules: it fits), and puts the rest of the block, if it has 4 granules or more, back
 * as a free block. free merges the block with its right neighbour (the head after its end) and its
 * left neighbour (through the back-link before its start) when they are free, and puts the result
 * in its bin. No loop anywhere but init's clearing of the map and check's walk over the 30 bins:
 * the bit searches are five straight-line steps each.
 *
 * Corrupted metadata. The map lives in the application's memory. Every index read from it (a
 * size, a link, a back-link) and every bin head is checked before anything is written through
 * it: a block head must be in the heap, tagged FREE, with a size of 4 granules or more that ends
 * inside the heap. A check that fails ends the call with VERA_ERROR_CORRUPTED (alloc: NULL). The
 * proofs show that, whatever the map holds, the heap writes only its struct and map and hands
 * out only memory inside the buffer (the contracts need only vera_heap_sane). What they do not
 * show yet is the structure (docs/proofs.md, "The heap").
 *
 * Arithmetic on tags and sizes is done with constant divisions and remainders, which the compiler
 * turns into shifts and masks, and the bit searches use constant steps; 2^k for a variable k is a
 * lookup in a table (heap_power_of).
 *
 * Freestanding C99: no libc, no dynamic allocation.
 */
#include "veralloc/heap.h"

#include "veralloc/lock.h"
#include "vera_internal.h"

#include <stdint.h>

/* Bit VERA_HEAP_BINS of the bitmap and those above it have no bin: a heap's bitmap is below it. */
#define VERA_HEAP_FIRST_BIT_WITHOUT_BIN 0x40000000u
VERA_STATIC_ASSERT(heap_bins_fill_the_bitmap, VERA_HEAP_BINS == 30u);

/* The bytes of the smallest block. */
#define VERA_HEAP_MIN_BLOCK_BYTES ((size_t)VERA_HEAP_MIN_BLOCK_GRANULES * VERA_HEAP_GRANULE)

/* The distance below converts uintptr_t to size_t (see src/pool.c). */
VERA_STATIC_ASSERT(heap_address_fits_size_t, UINTPTR_MAX <= SIZE_MAX);
/* A granule is a whole number of map words' alignment, and the sizes of 4-granule blocks. */
VERA_STATIC_ASSERT(heap_granule_is_alignment, VERA_HEAP_GRANULE == VERA_ALIGNMENT);
/* The largest payload is an index below VERA_HEAP_MAX_GRANULES or NIL. */
VERA_STATIC_ASSERT(heap_nil_is_largest_payload, VERA_HEAP_NIL == VERA_HEAP_TAG_UNIT - 1u);

/*
 * The distance in bytes from `base` up to `pointer`, computed on addresses: below `size` exactly
 * when `pointer` points into the `size` bytes at `base`.
 *
 * TRUSTED (docs/proofs.md, trusted base, "address comparison across objects"): the same
 * assumption, and the same body, as pool_offset_in_blocks in src/pool.c, which explains it; WP
 * skips this body (modules.bzl: the heap's proof `skip`). Unit tests and the heap fuzzer give it
 * pointers into the buffer, before and after it, into the map and into other objects.
 */
/*@
  assigns \nothing;
  ensures inside: vera_heap_in_buffer((char *)base, size, (char *)pointer) ==>
      \result < size && (char *)pointer == base + \result;
  ensures outside: !vera_heap_in_buffer((char *)base, size, (char *)pointer) ==> \result >= size;
*/
static size_t heap_offset_in_buffer(const char *base, size_t size, const void *pointer)
{
    (void)size; /* only the contract reads it */
    return (size_t)((uintptr_t)pointer - (uintptr_t)base);
}

/* The tag, the payload, and a word made of both. */
/*@
  assigns \nothing;
  ensures \result == vera_heap_tag(word) && \result <= VERA_HEAP_TAG_LINK;
*/
static inline uint32_t heap_tag(vera_heap_word_t word)
{
    return word / VERA_HEAP_TAG_UNIT;
}

/*@
  assigns \nothing;
  ensures \result == vera_heap_payload(word) && \result <= VERA_HEAP_NIL;
*/
static inline uint32_t heap_payload(vera_heap_word_t word)
{
    return word % VERA_HEAP_TAG_UNIT;
}

/*@
  requires tag <= VERA_HEAP_TAG_LINK && payload <= VERA_HEAP_NIL;
  assigns \nothing;
  ensures vera_heap_tag(\result) == tag && vera_heap_payload(\result) == payload;
*/
static inline vera_heap_word_t heap_word(uint32_t tag, uint32_t payload)
{
    return (tag * VERA_HEAP_TAG_UNIT) + payload;
}

/*
 * floor(log2(value)) for value != 0: five straight-line steps (16, 8, 4, 2, 1 bits), each keeping
 * 2^bits * rest <= value < 2^bits * (rest + 1). The size class of a block, and (from value - 1) the rounding of a
 * request up to a power of two.
 */
/*@
  requires value != 0;
  assigns \nothing;
  ensures 0 <= \result < 32;
  ensures vera_heap_power(\result) <= value < 2 * vera_heap_power(\result);
*/
static uint32_t heap_highest_bit(uint32_t value)
{
    uint32_t bits = 0u;
    uint32_t rest = value;

    if (rest >= 65536u) {
        bits += 16u;
        rest /= 65536u;
    }
    /*@ assert 1 <= rest < 65536 && (bits == 0 || bits == 16) &&
               vera_heap_power(bits) * rest <= value < vera_heap_power(bits) * (rest + 1); */
    if (rest >= 256u) {
        bits += 8u;
        rest /= 256u;
    }
    /*@ assert 1 <= rest < 256 && bits % 8 == 0 && bits <= 24 &&
               vera_heap_power(bits) * rest <= value < vera_heap_power(bits) * (rest + 1); */
    if (rest >= 16u) {
        bits += 4u;
        rest /= 16u;
    }
    /*@ assert 1 <= rest < 16 && bits % 4 == 0 && bits <= 28 &&
               vera_heap_power(bits) * rest <= value < vera_heap_power(bits) * (rest + 1); */
    if (rest >= 4u) {
        bits += 2u;
        rest /= 4u;
    }
    /*@ assert 1 <= rest < 4 && bits % 2 == 0 && bits <= 30 &&
               vera_heap_power(bits) * rest <= value < vera_heap_power(bits) * (rest + 1); */
    if (rest >= 2u) {
        bits += 1u;
    }
    return bits;
}

/*
 * The index of the lowest set bit of value != 0: five straight-line steps, each keeping
 * value == rest * 2^bits with rest's low bits not all zero.
 */
/*@
  requires value != 0;
  assigns \nothing;
  ensures 0 <= \result < 32;
  ensures value % vera_heap_power(\result) == 0 && (value / vera_heap_power(\result)) % 2 == 1;
*/
static uint32_t heap_lowest_bit(uint32_t value)
{
    uint32_t bits = 0u;
    uint32_t rest = value;

    if ((rest % 65536u) == 0u) {
        bits += 16u;
        rest /= 65536u;
    }
    /*@ assert rest % 65536 != 0 && (bits == 0 || bits == 16) && value == rest * vera_heap_power(bits); */
    if ((rest % 256u) == 0u) {
        bits += 8u;
        rest /= 256u;
    }
    /*@ assert rest % 256 != 0 && bits % 8 == 0 && bits <= 24 && value == rest * vera_heap_power(bits); */
    if ((rest % 16u) == 0u) {
        bits += 4u;
        rest /= 16u;
    }
    /*@ assert rest % 16 != 0 && bits % 4 == 0 && bits <= 28 && value == rest * vera_heap_power(bits); */
    if ((rest % 4u) == 0u) {
        bits += 2u;
        rest /= 4u;
    }
    /*@ assert rest % 4 != 0 && bits % 2 == 0 && bits <= 30 && value == rest * vera_heap_power(bits); */
    /*@ ghost uint32_t odd = rest; */
    if ((rest % 2u) == 0u) {
        bits += 1u; /* rest / 2 is odd: rest % 4 != 0 */
        /*@ ghost odd = rest / 2u; */
    }
    /*@ assert bits <= 31 && value == odd * vera_heap_power(bits); */
    /*@ assert odd % 2 == 1; */
    return bits;
}

/*
 * Lemma function (ghost code, never compiled): the block at granule `head` of an aligned buffer
 * is aligned (vera_address_arithmetic, the trusted axiom every module's alignment proof uses).
 */
/*@ ghost
  /@ requires vera_address_aligned(base, VERA_HEAP_GRANULE);
     assigns \nothing;
     ensures vera_address_aligned(base + head * VERA_HEAP_GRANULE, VERA_HEAP_GRANULE); @/
  static void heap_lemma_block_aligned(char *base, size_t head)
  {
      /@ assert vera_is_power_of_two(VERA_HEAP_GRANULE) && VERA_HEAP_GRANULE <= UINTPTR_MAX; @/
      /@ assert ((uintptr_t)base + head * VERA_HEAP_GRANULE) % VERA_HEAP_GRANULE == 0; @/
  }
*/

/*@
  requires exponent < 32;
  assigns \nothing;
  ensures \result == vera_heap_power(exponent);
*/
static inline uint32_t heap_power_of(uint32_t exponent)
{
    /* A table, not a shift by a variable: the proofs relate it to vera_heap_power, which the
     * provers handle where they cannot handle 1u << exponent. */
    static const uint32_t power[32] = {
        1u, 2u, 4u, 8u, 16u, 32u, 64u, 128u, 256u, 512u, 1024u, 2048u, 4096u, 8192u, 16384u,
        32768u, 65536u, 131072u, 262144u, 524288u, 1048576u, 2097152u, 4194304u, 8388608u,
        16777216u, 33554432u, 67108864u, 134217728u, 268435456u, 536870912u, 1073741824u,
        2147483648u};

    return power[exponent % 32u]; /* the remainder is exponent itself; it shows the bound to static analysers */
}

/*
 * `granule` heads a free block in a state the heap can use: inside the heap, tagged FREE, of at
 * least 4 granules, ending inside the heap. Checked before the heap writes through any index
 * it read from the map or a bin.
 */
/*@
  requires vera_heap_sane(heap);
  assigns \nothing;
  ensures \result == \true ==>
      granule < heap->granules && VERA_HEAP_TAG_OF(heap, granule) == VERA_HEAP_TAG_FREE &&
      VERA_HEAP_MIN_BLOCK_GRANULES <= VERA_HEAP_SIZE_OF(heap, granule) &&
      granule + VERA_HEAP_SIZE_OF(heap, granule) <= heap->granules;
*/
static bool heap_is_free_head(const vera_heap_t *heap, uint32_t granule)
{
    uint32_t size;

    if ((granule >= heap->granules) || (heap_tag(heap->map[granule]) != VERA_HEAP_TAG_FREE)) {
        return false;
    }
    size = heap_payload(heap->map[granule]);
    return (size >= VERA_HEAP_MIN_BLOCK_GRANULES) && (size <= (heap->granules - granule));
}

/* A link read from the map: NIL, or a usable free block's head. */
/*@
  requires vera_heap_sane(heap);
  assigns \nothing;
  ensures \result == \true && link != VERA_HEAP_NIL ==>
      link < heap->granules && link + VERA_HEAP_MIN_BLOCK_GRANULES <= heap->granules;
*/
static bool heap_link_usable(const vera_heap_t *heap, uint32_t link)
{
    return (link == VERA_HEAP_NIL) || heap_is_free_head(heap, link);
}

/*
 * Takes the free block at `granule` (checked by the caller with heap_is_free_head) out of its bin.
 * Returns false, having written nothing, if its links or its bin are not usable.
 */
/*@
  requires vera_heap_sane(heap);
  requires granule < heap->granules && VERA_HEAP_MIN_BLOCK_GRANULES <= VERA_HEAP_SIZE_OF(heap, granule) &&
           granule + VERA_HEAP_SIZE_OF(heap, granule) <= heap->granules;
  assigns heap->map[0 .. heap->granules - 1], heap->bin_head[0 .. VERA_HEAP_BINS - 1],
          heap->nonempty, heap->free_blocks;
  ensures vera_heap_sane(heap);
  ensures \result == \false ==>
      \forall integer i; 0 <= i < heap->granules ==> heap->map[i] == \old(heap->map[i]);
*/
static bool heap_unlink(vera_heap_t *heap, uint32_t granule)
{
    uint32_t next = heap_payload(heap->map[granule + 1u]);
    uint32_t previous = heap_payload(heap->map[granule + 2u]);
    uint32_t bin = heap_highest_bit(heap_payload(heap->map[granule]));

    if (!heap_link_usable(heap, next) || !heap_link_usable(heap, previous) ||
        (heap->free_blocks == 0u)) {
        return false;
    }
    if (previous == VERA_HEAP_NIL) {
        if (heap->bin_head[bin] != granule) {
            return false; /* first of its list, yet not its bin's head */
        }
        heap->bin_head[bin] = next;
        if (next == VERA_HEAP_NIL) {
            heap->nonempty &= ~heap_power_of(bin);
        }
    } else {
        heap->map[previous + 1u] = heap_word(VERA_HEAP_TAG_LINK, next);
    }
    if (next != VERA_HEAP_NIL) {
        heap->map[next + 2u] = heap_word(VERA_HEAP_TAG_LINK, previous);
    }
    heap->free_blocks--;
    return true;
}

/*
 * Makes [granule, granule + size) a free block at the front of its bin. Returns false, having
 * written nothing, if the bin's head is not usable.
 */
/*@
  requires vera_heap_sane(heap);
  requires VERA_HEAP_MIN_BLOCK_GRANULES <= size && granule + size <= heap->granules;
  assigns heap->map[0 .. heap->granules - 1], heap->bin_head[0 .. VERA_HEAP_BINS - 1],
          heap->nonempty, heap->free_blocks;
  ensures vera_heap_sane(heap);
  ensures \result == \true ==> vera_heap_tag(heap->map[granule]) == VERA_HEAP_TAG_FREE;
  ensures \result == \false ==>
      \forall integer i; 0 <= i < heap->granules ==> heap->map[i] == \old(heap->map[i]);
*/
static bool heap_push(vera_heap_t *heap, uint32_t granule, uint32_t size)
{
    uint32_t bin = heap_highest_bit(size);
    uint32_t first;

    if (heap->free_blocks >= heap->granules) {
        return false;
    }
    first = heap->bin_head[bin];
    if (!heap_link_usable(heap, first)) {
        return false;
    }
    if (first != VERA_HEAP_NIL) {
        heap->map[first + 2u] = heap_word(VERA_HEAP_TAG_LINK, granule);
    }
    heap->map[granule + 1u] = heap_word(VERA_HEAP_TAG_LINK, first);
    heap->map[granule + 2u] = heap_word(VERA_HEAP_TAG_LINK, VERA_HEAP_NIL);
    heap->map[(granule + size) - 1u] = heap_word(VERA_HEAP_TAG_LINK, granule);
    heap->map[granule] = heap_word(VERA_HEAP_TAG_FREE, size);
    heap->bin_head[bin] = granule;
    heap->nonempty |= heap_power_of(bin);
    heap->free_blocks++;
    return true;
}

/*@
  requires \valid(heap);
  assigns heap->failed_requests, heap->last_error;
  ensures heap->failed_requests == vera_saturating_increment(\old(heap->failed_requests));
  ensures heap->last_error == why;
*/
static void heap_count_failure(vera_heap_t *heap, vera_status_t why)
{
    heap->failed_requests = vera_saturating_increment_size(heap->failed_requests);
    heap->last_error = why;
}

vera_status_t vera_heap_init(vera_heap_t *heap, void *buffer, size_t size, vera_heap_word_t *map,
                             size_t map_entries)
{
    size_t granules;
    size_t index;
    uint32_t bin;
    vera_lock_state_t lock;

    if ((heap == NULL) || (buffer == NULL) || (map == NULL)) {
        return VERA_ERROR_NULL_POINTER;
    }
    granules = size / VERA_HEAP_GRANULE;
    if ((granules < VERA_HEAP_MIN_BLOCK_GRANULES) || (granules > VERA_HEAP_MAX_GRANULES) ||
        (map_entries < granules)) {
        return VERA_ERROR_INVALID_SIZE;
    }
    if ((((uintptr_t)buffer % VERA_HEAP_GRANULE) != 0u) ||
        (((uintptr_t)map % sizeof(vera_heap_word_t)) != 0u)) {
        return VERA_ERROR_MISALIGNED;
    }
    if (vera_ranges_overlap((uintptr_t)heap, sizeof(vera_heap_t), (uintptr_t)buffer,
                            granules * VERA_HEAP_GRANULE) ||
        vera_ranges_overlap((uintptr_t)heap, sizeof(vera_heap_t), (uintptr_t)map,
                            granules * sizeof(vera_heap_word_t)) ||
        vera_ranges_overlap((uintptr_t)map, granules * sizeof(vera_heap_word_t), (uintptr_t)buffer,
                            granules * VERA_HEAP_GRANULE)) {
        return VERA_ERROR_OVERLAP;
    }
    lock = vera_lock_acquire();
    if (heap->live_blocks > 0u) {
        /* Starting afresh would hand the live blocks out a second time. */
        return vera_lock_release_status(lock, VERA_ERROR_IN_USE);
    }
    /* Every word OTHER, so that no stale word of an earlier use can pass for a block head. */
    /*@
      loop invariant 0 <= index <= granules;
      loop invariant \forall integer granule; 0 <= granule < index ==> map[granule] == 0;
      loop assigns index, map[0 .. granules - 1];
      loop variant granules - index;
    */
    for (index = 0u; index < granules; index++) {
        map[index] = heap_word(VERA_HEAP_TAG_OTHER, 0u);
    }
    /*@
      loop invariant 0 <= bin <= VERA_HEAP_BINS;
      loop invariant \forall integer k; 0 <= k < bin ==> heap->bin_head[k] == VERA_HEAP_NIL;
      loop assigns bin, heap->bin_head[0 .. VERA_HEAP_BINS - 1];
      loop variant VERA_HEAP_BINS - bin;
    */
    for (bin = 0u; bin < VERA_HEAP_BINS; bin++) {
        heap->bin_head[bin] = VERA_HEAP_NIL;
    }
    heap->base = (char *)buffer;
    heap->map = map;
    heap->granules = granules;
    heap->capacity = granules * VERA_HEAP_GRANULE;
    heap->nonempty = 0u;
    heap->allocated = 0u;
    heap->peak_allocated = 0u;
    heap->largest_request = 0u;
    heap->failed_requests = 0u;
    heap->live_blocks = 0u;
    heap->free_blocks = 0u;
    heap->last_error = VERA_OK;
    /* The whole buffer is one free block (an empty bin cannot refuse it). */
    bin = heap_highest_bit((uint32_t)granules);
    map[1] = heap_word(VERA_HEAP_TAG_LINK, VERA_HEAP_NIL);
    map[2] = heap_word(VERA_HEAP_TAG_LINK, VERA_HEAP_NIL);
    map[granules - 1u] = heap_word(VERA_HEAP_TAG_LINK, 0u);
    map[0] = heap_word(VERA_HEAP_TAG_FREE, (uint32_t)granules);
    heap->bin_head[bin] = 0u;
    heap->nonempty = heap_power_of(bin);
    heap->free_blocks = 1u;
    vera_lock_release(lock);
    return VERA_OK;
}

/*
 * The free block an allocation of block_granules granules (a power of two) takes: the first block
 * of the lowest non-empty bin that guarantees a fit, checked to be a free block that large.
 * Returns its head, or VERA_HEAP_NIL with the reason in *why. Reads only.
 */
/*@
  requires vera_heap_sane(heap) && 0 < block_granules <= heap->granules;
  requires \valid(why) && \separated(why, heap, heap->map + (0 .. heap->granules - 1));
  assigns *why;
  ensures \result == VERA_HEAP_NIL ==> *why != VERA_OK;
  ensures \result != VERA_HEAP_NIL ==>
      \result < heap->granules && VERA_HEAP_TAG_OF(heap, \result) == VERA_HEAP_TAG_FREE &&
      block_granules <= VERA_HEAP_SIZE_OF(heap, \result) &&
      \result + VERA_HEAP_SIZE_OF(heap, \result) <= heap->granules;
*/
static uint32_t heap_find(const vera_heap_t *heap, uint32_t block_granules, vera_status_t *why)
{
    uint32_t candidates;
    uint32_t bin;
    uint32_t head;

    /* The bins that guarantee a fit: those of block_granules and above (the mask clears the bins
     * below it, block_granules being a power of two). */
    candidates = heap->nonempty & ~(block_granules - 1u);
    if (candidates == 0u) {
        *why = VERA_ERROR_NO_MEMORY;
        return VERA_HEAP_NIL;
    }
    bin = heap_lowest_bit(candidates);
    *why = VERA_ERROR_CORRUPTED;
    if (bin >= VERA_HEAP_BINS) {
        return VERA_HEAP_NIL; /* a bitmap bit without a bin */
    }
    head = heap->bin_head[bin];
    if (!heap_is_free_head(heap, head) || (heap_payload(heap->map[head]) < block_granules)) {
        return VERA_HEAP_NIL; /* a bin head that is not a free block of the bin's size */
    }
    return head;
}

/* The least power of two at or above `count`: 2^(highest bit of count - 1, plus 1). */
/*@
  requires VERA_HEAP_MIN_BLOCK_GRANULES <= count <= VERA_HEAP_MAX_GRANULES;
  assigns \nothing;
  ensures count <= \result;
*/
static uint32_t heap_power_at_least(uint32_t count)
{
    return heap_power_of(heap_highest_bit(count - 1u) + 1u);
}

/*
 * The granules of the block a request of `size` bytes (0 < size <= capacity) gets: the least
 * power of two at or above its granules and VERA_HEAP_MIN_BLOCK_GRANULES.
 */
/*@
  requires 0 < size <= VERA_HEAP_MAX_GRANULES * VERA_HEAP_GRANULE;
  assigns \nothing;
  ensures VERA_HEAP_MIN_BLOCK_GRANULES <= \result && size <= \result * VERA_HEAP_GRANULE;
*/
static uint32_t heap_block_granules(size_t size)
{
    size_t needed = (size / VERA_HEAP_GRANULE) + (((size % VERA_HEAP_GRANULE) != 0u) ? 1u : 0u);

    if (needed < VERA_HEAP_MIN_BLOCK_GRANULES) {
        needed = VERA_HEAP_MIN_BLOCK_GRANULES;
    }
    return heap_power_at_least((uint32_t)needed);
}

/*
 * The granules from `head` to the first granule at or after it whose address is a multiple of
 * `alignment` (a power of two above VERA_HEAP_GRANULE) and
 * that is `head` itself or at least VERA_HEAP_MIN_BLOCK_GRANULES further, so that the granules
 * skipped can be a free block of their own.
 */
/*@
  requires vera_heap_sane(heap) && head + VERA_HEAP_MIN_BLOCK_GRANULES <= heap->granules;
  requires vera_is_power_of_two(alignment) && VERA_HEAP_GRANULE < alignment <= heap->capacity;
  assigns \nothing;
  ensures \result == 0 || VERA_HEAP_MIN_BLOCK_GRANULES <= \result;
  ensures \result < alignment / VERA_HEAP_GRANULE + VERA_HEAP_MIN_BLOCK_GRANULES;
  ensures vera_address_aligned(heap->base + (head + \result) * VERA_HEAP_GRANULE, alignment);
*/
static uint32_t heap_padding(const vera_heap_t *heap, uint32_t head, size_t alignment)
{
    char *address = heap->base + ((size_t)head * VERA_HEAP_GRANULE);
    size_t padding;

    /*@ ghost heap_lemma_block_aligned(heap->base, head); */
    padding = vera_padding_to_alignment(address, alignment);
    if ((padding == 0u) || (padding >= VERA_HEAP_MIN_BLOCK_BYTES)) {
        return (uint32_t)(padding / VERA_HEAP_GRANULE);
    }
    /* Too few granules to be a free block: the first aligned granule 4 granules on or later. */
    /*@ ghost heap_lemma_block_aligned(heap->base, head + VERA_HEAP_MIN_BLOCK_GRANULES); */
    padding = vera_padding_to_alignment(address + VERA_HEAP_MIN_BLOCK_BYTES, alignment);
    return VERA_HEAP_MIN_BLOCK_GRANULES + (uint32_t)(padding / VERA_HEAP_GRANULE);
}

/*
 * Hands out `kept` granules at head + skipped of the free block at `head` (already out of its
 * bin, `found` granules), after the `skipped` granules before it and the rest after it went back
 * as free blocks, and records it: LIVE with its size, its alignment in granules, its back-link.
 * Returns false if a bin it pushes to is corrupted.
 */
/*@
  requires vera_heap_sane(heap);
  requires skipped == 0 || VERA_HEAP_MIN_BLOCK_GRANULES <= skipped;
  requires VERA_HEAP_MIN_BLOCK_GRANULES <= kept && head + skipped + kept <= head + found;
  requires head + found <= heap->granules;
  requires kept == found - skipped || VERA_HEAP_MIN_BLOCK_GRANULES <= found - skipped - kept;
  requires align_granules <= VERA_HEAP_NIL;
  assigns heap->map[0 .. heap->granules - 1], heap->bin_head[0 .. VERA_HEAP_BINS - 1],
          heap->nonempty, heap->free_blocks;
  ensures vera_heap_sane(heap);
  ensures \result == \true ==>
      VERA_HEAP_TAG_OF(heap, head + skipped) == VERA_HEAP_TAG_LIVE &&
      VERA_HEAP_SIZE_OF(heap, head + skipped) == kept &&
      VERA_HEAP_SIZE_OF(heap, head + skipped + 1) == align_granules;
*/
static bool heap_carve(vera_heap_t *heap, uint32_t head, uint32_t found, uint32_t skipped,
                       uint32_t kept, uint32_t align_granules)
{
    uint32_t block = head + skipped;

    /* The granules skipped for the alignment: their left neighbour was this free block's, not
     * free; the rest: its right neighbour was this block's, not free. Neither needs a merge. */
    if ((skipped != 0u) && !heap_push(heap, head, skipped)) {
        return false;
    }
    if (((skipped + kept) != found) && !heap_push(heap, block + kept, found - skipped - kept)) {
        return false;
    }
    heap->map[block + 1u] = heap_word(VERA_HEAP_TAG_LINK, align_granules);
    heap->map[(block + kept) - 1u] = heap_word(VERA_HEAP_TAG_LINK, block);
    heap->map[block] = heap_word(VERA_HEAP_TAG_LIVE, kept);
    return true;
}

/*
 * The allocation itself, under the lock: NULL with the reason in *why, or the block, aligned to
 * `alignment` (a power of two; VERA_HEAP_GRANULE or less means the granule). Whatever the map and
 * the bins hold, it writes only the struct and the map, and a block it returns lies in the
 * buffer, tagged LIVE, for at least `size` bytes.
 */
/*@
  requires vera_heap_sane(heap) && 0 < size <= heap->capacity;
  requires vera_is_power_of_two(alignment) && alignment <= heap->capacity;
  requires \valid(why) && \separated(why, heap, heap->map + (0 .. heap->granules - 1));
  assigns heap->map[0 .. heap->granules - 1], heap->bin_head[0 .. VERA_HEAP_BINS - 1],
          heap->nonempty, heap->free_blocks, heap->allocated, heap->peak_allocated,
          heap->live_blocks, *why;
  ensures vera_heap_sane(heap);
  ensures \result == \null ==> heap->allocated == \old(heap->allocated) && *why != VERA_OK;
  ensures \result != \null ==> vera_heap_block_handed_out(heap, \result, size);
  ensures \result != \null ==> vera_address_aligned(\result, vera_max(alignment, VERA_HEAP_GRANULE));
  ensures \result != \null ==>
      VERA_HEAP_SIZE_OF(heap, VERA_HEAP_GRANULE_OF(heap, \result) + 1) * VERA_HEAP_GRANULE ==
          vera_max(alignment, VERA_HEAP_GRANULE);
*/
static char *heap_take(vera_heap_t *heap, size_t size, size_t alignment, vera_status_t *why)
{
    size_t allocated = heap->allocated;
    size_t live = heap->live_blocks;
    uint32_t block_granules = heap_block_granules(size);
    uint32_t align_granules = 1u;
    uint32_t wanted = block_granules;
    uint32_t head;
    uint32_t found;
    uint32_t skipped = 0u;
    uint32_t kept;

    *why = VERA_ERROR_INVALID_SIZE; /* larger than any block this heap can have */
    if (block_granules > heap->granules) {
        return NULL;
    }
    if (alignment > VERA_HEAP_GRANULE) {
        /* A block that guarantees room for the padding too: up to align_granules + 3 granules. */
        align_granules = (uint32_t)(alignment / VERA_HEAP_GRANULE);
        /*@ assert align_granules * VERA_HEAP_GRANULE == alignment; */
        if ((heap->granules - block_granules) < (align_granules + VERA_HEAP_MIN_BLOCK_GRANULES - 1u)) {
            return NULL;
        }
        wanted = heap_power_at_least(block_granules + align_granules + VERA_HEAP_MIN_BLOCK_GRANULES - 1u);
        if (wanted > heap->granules) {
            return NULL;
        }
    }
    head = heap_find(heap, wanted, why);
    if (head == VERA_HEAP_NIL) {
        return NULL;
    }
    *why = VERA_ERROR_CORRUPTED; /* the reason of every later failure */
    found = heap_payload(heap->map[head]);
    if (alignment > VERA_HEAP_GRANULE) {
        skipped = heap_padding(heap, head, alignment);
    }
    /* The whole rest goes with the block when it would be too small to be a block. */
    kept = ((found - skipped - block_granules) >= VERA_HEAP_MIN_BLOCK_GRANULES) ? block_granules
                                                                               : (found - skipped);
    /*@ assert block_granules <= kept && skipped + kept <= found; */
    if ((live >= heap->granules) || (allocated > (heap->capacity - ((size_t)kept * VERA_HEAP_GRANULE))) ||
        !heap_unlink(heap, head) || !heap_carve(heap, head, found, skipped, kept, align_granules)) {
        return NULL; /* counters, links or bins corrupted */
    }
    allocated += (size_t)kept * VERA_HEAP_GRANULE;
    heap->allocated = allocated;
    if (allocated > heap->peak_allocated) {
        heap->peak_allocated = allocated;
    }
    heap->live_blocks = live + 1u;
    *why = VERA_OK;
    head += skipped; /* the block's own head */
    /*@ assert VERA_HEAP_TAG_OF(heap, head) == VERA_HEAP_TAG_LIVE && VERA_HEAP_SIZE_OF(heap, head) == kept; */
    /*@ assert head + kept <= heap->granules && size <= kept * VERA_HEAP_GRANULE; */
    /*@ ghost heap_lemma_block_aligned(heap->base, head); */
    return heap->base + ((size_t)head * VERA_HEAP_GRANULE);
}

void *vera_heap_alloc_aligned(vera_heap_t *heap, size_t size, size_t alignment)
{
    char *block = NULL;
    vera_status_t why = VERA_ERROR_INVALID_SIZE;
    vera_lock_state_t lock;

    if (heap == NULL) {
        return NULL;
    }
    lock = vera_lock_acquire();
    if (size > heap->largest_request) {
        heap->largest_request = size;
    }
    if ((size != 0u) && (size <= heap->capacity) && vera_is_power_of_two_size(alignment) &&
        (alignment <= heap->capacity)) {
        block = heap_take(heap, size, alignment, &why);
    }
    if (block == NULL) {
        heap_count_failure(heap, why);
    }
    return vera_lock_release_pointer(lock, block);
}

/* alloc_aligned's body for the granule's alignment, written out rather than called: WP checks a
 * caller's per-behavior assigns against the callee's whole assigns clause, and the fast path
 * saves a call. */
void *vera_heap_alloc(vera_heap_t *heap, size_t size)
{
    char *block = NULL;
    vera_status_t why = VERA_ERROR_INVALID_SIZE;
    vera_lock_state_t lock;

    if (heap == NULL) {
        return NULL;
    }
    lock = vera_lock_acquire();
    if (size > heap->largest_request) {
        heap->largest_request = size;
    }
    if ((size != 0u) && (size <= heap->capacity)) {
        block = heap_take(heap, size, VERA_HEAP_GRANULE, &why);
    }
    if (block == NULL) {
        heap_count_failure(heap, why);
    }
    return vera_lock_release_pointer(lock, block);
}

/*
 * Merges into the block [granule, granule + size) its right neighbour (the block that starts at
 * granule + size) if that one is free: takes it out of its bin and clears its head. Returns the size of the merged
 * block (size if there is no free right neighbour), or 0 if the neighbour's metadata is corrupted.
 */
/*@
  requires vera_heap_sane(heap);
  requires VERA_HEAP_MIN_BLOCK_GRANULES <= size && granule + size <= heap->granules;
  assigns heap->map[0 .. heap->granules - 1], heap->bin_head[0 .. VERA_HEAP_BINS - 1],
          heap->nonempty, heap->free_blocks;
  ensures vera_heap_sane(heap);
  ensures \result == 0 || (size <= \result && granule + \result <= heap->granules);
*/
static uint32_t heap_absorb_right(vera_heap_t *heap, uint32_t granule, uint32_t size)
{
    uint32_t right = granule + size;
    uint32_t right_size;

    if ((right >= heap->granules) || (heap_tag(heap->map[right]) != VERA_HEAP_TAG_FREE)) {
        return size;
    }
    right_size = heap_payload(heap->map[right]);
    if (!heap_is_free_head(heap, right) || !heap_unlink(heap, right)) {
        return 0u;
    }
    heap->map[right] = heap_word(VERA_HEAP_TAG_OTHER, 0u); /* no longer a head */
    return size + right_size;
}

/*
 * The block before `granule` (> 0), found through the back-link in the word just before it: if that
 * block is free and ends at `granule`, takes it out of its bin and returns its head (the merged
 * block starts there). Returns `granule` if there is no free left neighbour, VERA_HEAP_NIL if the
 * neighbour's links are corrupted.
 */
/*@
  requires vera_heap_sane(heap);
  requires 0 < granule < heap->granules;
  assigns heap->map[0 .. heap->granules - 1], heap->bin_head[0 .. VERA_HEAP_BINS - 1],
          heap->nonempty, heap->free_blocks;
  ensures vera_heap_sane(heap);
  ensures \result == VERA_HEAP_NIL || \result <= granule;
*/
static uint32_t heap_absorb_left(vera_heap_t *heap, uint32_t granule)
{
    vera_heap_word_t back_link = heap->map[granule - 1u];
    uint32_t left = heap_payload(back_link);

    if ((heap_tag(back_link) != VERA_HEAP_TAG_LINK) || (left >= granule) ||
        !heap_is_free_head(heap, left) || (heap_payload(heap->map[left]) != (granule - left))) {
        return granule;
    }
    return heap_unlink(heap, left) ? left : VERA_HEAP_NIL;
}

/*
 * Frees the live block that starts at `granule` (its head tagged LIVE), merging it with its free
 * neighbours.
 */
/*@
  requires vera_heap_sane(heap);
  requires granule < heap->granules && VERA_HEAP_TAG_OF(heap, granule) == VERA_HEAP_TAG_LIVE;
  assigns heap->map[0 .. heap->granules - 1], heap->bin_head[0 .. VERA_HEAP_BINS - 1],
          heap->nonempty, heap->free_blocks, heap->allocated, heap->live_blocks;
  ensures vera_heap_sane(heap);
  ensures \result == VERA_OK || \result == VERA_ERROR_CORRUPTED;
  ensures \result == VERA_OK ==> VERA_HEAP_TAG_OF(heap, granule) != VERA_HEAP_TAG_LIVE;
  ensures \result == VERA_OK ==>
      heap->allocated == \old(heap->allocated) - \old(VERA_HEAP_SIZE_OF(heap, granule)) * VERA_HEAP_GRANULE &&
      heap->live_blocks == \old(heap->live_blocks) - 1;
*/
static vera_status_t heap_release(vera_heap_t *heap, uint32_t granule)
{
    uint32_t size = heap_payload(heap->map[granule]);
    size_t allocated = heap->allocated;
    size_t live = heap->live_blocks;
    size_t bytes;
    uint32_t merged;
    uint32_t start = granule;

    if ((size < VERA_HEAP_MIN_BLOCK_GRANULES) || (size > (heap->granules - granule)) || (live == 0u)) {
        return VERA_ERROR_CORRUPTED;
    }
    bytes = (size_t)size * VERA_HEAP_GRANULE; /* at most the capacity: the block ends in the heap */
    if (bytes > allocated) {
        return VERA_ERROR_CORRUPTED;
    }
    merged = heap_absorb_right(heap, granule, size);
    if (merged == 0u) {
        return VERA_ERROR_CORRUPTED;
    }
    if (granule > 0u) {
        start = heap_absorb_left(heap, granule);
        if (start == VERA_HEAP_NIL) {
            return VERA_ERROR_CORRUPTED;
        }
    }
    if (!heap_push(heap, start, merged + (granule - start))) {
        return VERA_ERROR_CORRUPTED;
    }
    if (start != granule) {
        heap->map[granule] = heap_word(VERA_HEAP_TAG_OTHER, 0u); /* merged into its left neighbour */
    }
    heap->allocated = allocated - bytes;
    heap->live_blocks = live - 1u;
    return VERA_OK;
}

/*
 * What `block` is to the heap: VERA_OK with its granule in *granule if it is the start of a
 * block tagged LIVE; else why not, as free reports it. Reads the map word of one granule.
 */
/*@
  requires vera_heap_sane(heap);
  requires \valid(granule) && \separated(granule, heap, heap->map + (0 .. heap->granules - 1));
  assigns *granule;
  ensures \result == vera_heap_pointer_status(heap, (char *)block);
  ensures \result == VERA_OK ==>
      *granule == VERA_HEAP_GRANULE_OF(heap, (char *)block) && *granule < heap->granules &&
      vera_heap_in_buffer(heap->base, heap->capacity, (char *)block) &&
      (char *)block == heap->base + *granule * VERA_HEAP_GRANULE;
*/
static vera_status_t heap_classify(const vera_heap_t *heap, const void *block, uint32_t *granule)
{
    size_t offset = heap_offset_in_buffer(heap->base, heap->capacity, block);
    uint32_t tag;

    if (offset >= heap->capacity) {
        return VERA_ERROR_NOT_OWNED;
    }
    if ((offset % VERA_HEAP_GRANULE) != 0u) {
        return VERA_ERROR_NOT_BLOCK_START;
    }
    *granule = (uint32_t)(offset / VERA_HEAP_GRANULE);
    tag = heap_tag(heap->map[*granule]);
    if (tag == VERA_HEAP_TAG_FREE) {
        return VERA_ERROR_DOUBLE_FREE;
    }
    return (tag == VERA_HEAP_TAG_LIVE) ? VERA_OK : VERA_ERROR_NOT_BLOCK_START;
}

vera_status_t vera_heap_free(vera_heap_t *heap, void *block)
{
    uint32_t granule = 0u;
    vera_status_t outcome;
    vera_lock_state_t lock;

    if (heap == NULL) {
        return VERA_ERROR_NULL_POINTER;
    }
    if (block == NULL) {
        return VERA_OK;
    }
    lock = vera_lock_acquire();
    outcome = heap_classify(heap, block, &granule);
    if (outcome == VERA_OK) {
        outcome = heap_release(heap, granule);
    }
    return vera_lock_release_status(lock, outcome);
}

/*
 * Makes the live block at `granule` hold `size` bytes (0 < size <= capacity) without moving it,
 * if it can: a smaller block gives its tail back (merged with a free right neighbour); a larger
 * one takes what it needs from a free right neighbour. VERA_ERROR_NO_MEMORY: it must move, and
 * nothing was written.
 */
/*@
  requires vera_heap_sane(heap) && 0 < size <= heap->capacity;
  requires granule < heap->granules && VERA_HEAP_TAG_OF(heap, granule) == VERA_HEAP_TAG_LIVE;
  assigns heap->map[0 .. heap->granules - 1], heap->bin_head[0 .. VERA_HEAP_BINS - 1],
          heap->nonempty, heap->free_blocks, heap->allocated, heap->peak_allocated;
  ensures vera_heap_sane(heap);
  ensures \result == VERA_OK || \result == VERA_ERROR_NO_MEMORY || \result == VERA_ERROR_CORRUPTED;
  ensures \result == VERA_OK ==>
      VERA_HEAP_TAG_OF(heap, granule) == VERA_HEAP_TAG_LIVE &&
      VERA_HEAP_MIN_BLOCK_GRANULES <= VERA_HEAP_SIZE_OF(heap, granule) &&
      granule + VERA_HEAP_SIZE_OF(heap, granule) <= heap->granules &&
      size <= VERA_HEAP_SIZE_OF(heap, granule) * VERA_HEAP_GRANULE;
  ensures \result == VERA_ERROR_NO_MEMORY ==>
      heap->allocated == \old(heap->allocated) &&
      (\forall integer i; 0 <= i < heap->granules ==> heap->map[i] == \old(heap->map[i])) &&
      VERA_HEAP_MIN_BLOCK_GRANULES <= VERA_HEAP_SIZE_OF(heap, granule) &&
      granule + VERA_HEAP_SIZE_OF(heap, granule) <= heap->granules &&
      VERA_HEAP_SIZE_OF(heap, granule) * VERA_HEAP_GRANULE < size;
*/
static vera_status_t heap_resize_in_place(vera_heap_t *heap, uint32_t granule, size_t size)
{
    uint32_t old_size = heap_payload(heap->map[granule]);
    uint32_t block_granules = heap_block_granules(size);
    size_t allocated = heap->allocated;
    uint32_t right;
    uint32_t total;
    uint32_t kept;
    uint32_t added;

    if ((old_size < VERA_HEAP_MIN_BLOCK_GRANULES) || (old_size > (heap->granules - granule)) ||
        (((size_t)old_size * VERA_HEAP_GRANULE) > allocated)) {
        return VERA_ERROR_CORRUPTED;
    }
    if (block_granules <= old_size) {
        /* Shrinks (or keeps its size): the tail goes back if it can be a block of its own. */
        uint32_t tail = old_size - block_granules;
        uint32_t merged;
        if (tail < VERA_HEAP_MIN_BLOCK_GRANULES) {
            return VERA_OK;
        }
        merged = heap_absorb_right(heap, granule + block_granules, tail);
        if ((merged == 0u) || !heap_push(heap, granule + block_granules, merged)) {
            return VERA_ERROR_CORRUPTED;
        }
        heap->map[(granule + block_granules) - 1u] = heap_word(VERA_HEAP_TAG_LINK, granule);
        heap->map[granule] = heap_word(VERA_HEAP_TAG_LIVE, block_granules);
        heap->allocated = allocated - ((size_t)tail * VERA_HEAP_GRANULE);
        return VERA_OK;
    }
    if (size <= ((size_t)old_size * VERA_HEAP_GRANULE)) {
        return VERA_OK; /* it fits already: a block that kept a rest too small to split */
    }
    right = granule + old_size;
    if ((right >= heap->granules) || (heap_tag(heap->map[right]) != VERA_HEAP_TAG_FREE)) {
        return VERA_ERROR_NO_MEMORY;
    }
    if (!heap_is_free_head(heap, right)) {
        return VERA_ERROR_CORRUPTED;
    }
    total = old_size + heap_payload(heap->map[right]);
    if (total < block_granules) {
        return VERA_ERROR_NO_MEMORY;
    }
    kept = ((total - block_granules) >= VERA_HEAP_MIN_BLOCK_GRANULES) ? block_granules : total;
    added = kept - old_size;
    if ((allocated > (heap->capacity - ((size_t)added * VERA_HEAP_GRANULE))) ||
        !heap_unlink(heap, right)) {
        return VERA_ERROR_CORRUPTED;
    }
    heap->map[right] = heap_word(VERA_HEAP_TAG_OTHER, 0u); /* no longer a head */
    /* The rest's right neighbour was the free block's: not free, no merge. */
    if ((kept != total) && !heap_push(heap, granule + kept, total - kept)) {
        return VERA_ERROR_CORRUPTED;
    }
    heap->map[(granule + kept) - 1u] = heap_word(VERA_HEAP_TAG_LINK, granule);
    heap->map[granule] = heap_word(VERA_HEAP_TAG_LIVE, kept);
    allocated += (size_t)added * VERA_HEAP_GRANULE;
    heap->allocated = allocated;
    if (allocated > heap->peak_allocated) {
        heap->peak_allocated = allocated;
    }
    return VERA_OK;
}

/*
 * The alignment in bytes the live block at `granule` was allocated with (its map word after the
 * head records it in granules), or 0 if that word is not a usable alignment.
 */
/*@
  requires vera_heap_sane(heap) && granule + 1 < heap->granules;
  assigns \nothing;
  ensures \result == 0 || (vera_is_power_of_two(\result) && VERA_HEAP_GRANULE <= \result <= heap->capacity &&
                           \result == VERA_HEAP_SIZE_OF(heap, granule + 1) * VERA_HEAP_GRANULE);
*/
static size_t heap_recorded_alignment(const vera_heap_t *heap, uint32_t granule)
{
    uint32_t recorded = heap_payload(heap->map[granule + 1u]);
    size_t alignment;

    if (recorded > heap->granules) {
        return 0u;
    }
    alignment = (size_t)recorded * VERA_HEAP_GRANULE;
    return vera_is_power_of_two_size(alignment) ? alignment : 0u;
}

/* The `bytes` bytes at offset `first` of the buffer and those at offset `second` do not overlap. */
/*@
  assigns \nothing;
  ensures \result == \true ==> first + bytes <= second || second + bytes <= first;
*/
static bool heap_apart(size_t first, size_t second, size_t bytes)
{
    return (first >= second) ? ((first - second) >= bytes) : ((second - first) >= bytes);
}

/*
 * Copies `bytes` bytes from `source` to `destination`, two blocks of the heap that do not overlap. A plain
 * loop: the core library has no libc.
 */
/*@
  requires \valid(destination + (0 .. bytes - 1)) && \valid_read(source + (0 .. bytes - 1));
  requires \separated(destination + (0 .. bytes - 1), source + (0 .. bytes - 1));
  assigns destination[0 .. bytes - 1];
  ensures \forall integer i; 0 <= i < bytes ==> destination[i] == source[i];
*/
static void heap_copy(char *destination, const char *source, size_t bytes)
{
    size_t index;

    /*@
      loop invariant 0 <= index <= bytes;
      loop invariant \forall integer i; 0 <= i < index ==> destination[i] == source[i];
      loop assigns index, destination[0 .. bytes - 1];
      loop variant bytes - index;
    */
    for (index = 0u; index < bytes; index++) {
        destination[index] = source[index];
    }
}

void *vera_heap_realloc(vera_heap_t *heap, void *block, size_t size)
{
    char *moved = NULL;
    uint32_t granule = 0u;
    size_t old_bytes = 0u;
    vera_status_t status;
    vera_lock_state_t lock;

    if (heap == NULL) {
        return NULL;
    }
    if (block == NULL) {
        return vera_heap_alloc(heap, size);
    }
    lock = vera_lock_acquire();
    if (size > heap->largest_request) {
        heap->largest_request = size;
    }
    status = heap_classify(heap, block, &granule);
    if ((status == VERA_OK) && ((size == 0u) || (size > heap->capacity))) {
        status = VERA_ERROR_INVALID_SIZE; /* no hidden free: NULL always means nothing happened */
    }
    if (status == VERA_OK) {
        status = heap_resize_in_place(heap, granule, size);
        if (status == VERA_OK) {
            return vera_lock_release_pointer(lock, block);
        }
    }
    if (status == VERA_ERROR_NO_MEMORY) {
        /* It moves: a new block with the same alignment, then the old block's bytes. */
        size_t alignment = heap_recorded_alignment(heap, granule);
        /*@ assert recorded: alignment != 0 ==>
                alignment == \at(VERA_HEAP_SIZE_OF(heap, VERA_HEAP_GRANULE_OF(heap, (char *)block) + 1), Pre) *
                             VERA_HEAP_GRANULE; */
        old_bytes = (size_t)heap_payload(heap->map[granule]) * VERA_HEAP_GRANULE;
        status = VERA_ERROR_CORRUPTED;
        if (alignment != 0u) {
            moved = heap_take(heap, size, alignment, &status);
            /*@ assert moved != \null ==> vera_address_aligned(moved, alignment); */
            /*@ assert moved != \null ==> vera_address_aligned(moved,
                  \at(VERA_HEAP_SIZE_OF(heap, VERA_HEAP_GRANULE_OF(heap, (char *)block) + 1), Pre) *
                  VERA_HEAP_GRANULE); */
        }
    }
    if ((moved != NULL) &&
        !heap_apart(heap_offset_in_buffer(heap->base, heap->capacity, moved),
                    (size_t)granule * VERA_HEAP_GRANULE, old_bytes)) {
        moved = NULL; /* the new block over the old one: only a corrupted map can do that */
        status = VERA_ERROR_CORRUPTED;
    }
    if (moved == NULL) {
        heap_count_failure(heap, status);
        return vera_lock_release_pointer(lock, NULL);
    }
    /* Both blocks belong to this call now: the copy runs outside the lock (interrupts are not
     * held off for a time that depends on the size). */
    vera_lock_release(lock);
    heap_copy(moved, (const char *)block, old_bytes);
    lock = vera_lock_acquire();
    /* The old block again, as free finds it (another context may have freed it meanwhile: a bug
     * of the application, reported in last_error; the new block is the caller's either way). */
    status = heap_classify(heap, block, &granule);
    if (status == VERA_OK) {
        status = heap_release(heap, granule);
    }
    if (status != VERA_OK) {
        heap->last_error = status;
    }
    return vera_lock_release_pointer(lock, moved);
}
size_t vera_heap_usable_size(const vera_heap_t *heap, const void *block)
{
    uint32_t granule = 0u;
    size_t usable = 0u;
    vera_lock_state_t lock;

    if ((heap == NULL) || (block == NULL)) {
        return 0u;
    }
    lock = vera_lock_acquire();
    if (heap_classify(heap, block, &granule) == VERA_OK) {
        uint32_t size = heap_payload(heap->map[granule]);
        if ((size >= VERA_HEAP_MIN_BLOCK_GRANULES) && (size <= (heap->granules - granule))) {
            usable = (size_t)size * VERA_HEAP_GRANULE;
        }
    }
    vera_lock_release(lock);
    return usable;
}

vera_status_t vera_heap_get_stats(const vera_heap_t *heap, vera_heap_stats_t *stats)
{
    vera_lock_state_t lock;

    if ((heap == NULL) || (stats == NULL)) {
        return VERA_ERROR_NULL_POINTER;
    }
    lock = vera_lock_acquire();
    stats->capacity = heap->capacity;
    stats->allocated = heap->allocated;
    stats->free_bytes = heap->capacity - heap->allocated;
    stats->peak_allocated = heap->peak_allocated;
    stats->largest_request = heap->largest_request;
    stats->failed_requests = heap->failed_requests;
    stats->live_blocks = heap->live_blocks;
    stats->free_blocks = heap->free_blocks;
    stats->metadata_bytes = heap->granules * sizeof(vera_heap_word_t);
    vera_lock_release(lock);
    return VERA_OK;
}

/* Bin `bin` agrees with the bitmap, and its first block (if any) is a free block of the bin's
 * size class, first in its list. */
/*@
  requires vera_heap_sane(heap) && bin < VERA_HEAP_BINS;
  assigns \nothing;
*/
static bool heap_bin_consistent(const vera_heap_t *heap, uint32_t bin)
{
    uint32_t head = heap->bin_head[bin];
    bool marked = (heap->nonempty & heap_power_of(bin)) != 0u;

    if (head == VERA_HEAP_NIL) {
        return !marked;
    }
    return marked && heap_is_free_head(heap, head) &&
           (heap_highest_bit(heap_payload(heap->map[head])) == bin) &&
           (heap_payload(heap->map[head + 2u]) == VERA_HEAP_NIL);
}

bool vera_heap_check(const vera_heap_t *heap)
{
    bool valid;
    uint32_t bin;
    vera_lock_state_t lock;

    if (heap == NULL) {
        return false;
    }
    lock = vera_lock_acquire();
    valid = ((heap->allocated % VERA_HEAP_GRANULE) == 0u) &&
            (heap->peak_allocated >= heap->allocated) && (heap->peak_allocated <= heap->capacity) &&
            (heap->live_blocks <= heap->granules) && (heap->free_blocks <= heap->granules) &&
            ((heap->nonempty / VERA_HEAP_FIRST_BIT_WITHOUT_BIN) == 0u) &&
            ((heap->granules == 0u) ? (heap->nonempty == 0u) : (heap->base != NULL));
    /*@
      loop invariant 0 <= bin <= VERA_HEAP_BINS;
      loop assigns bin, valid;
      loop variant VERA_HEAP_BINS - bin;
    */
    for (bin = 0u; valid && (bin < VERA_HEAP_BINS); bin++) {
        valid = (heap->granules == 0u) || heap_bin_consistent(heap, bin);
    }
    vera_lock_release(lock);
    return valid;
}

vera_status_t vera_heap_last_error(const vera_heap_t *heap)
{
    return (heap == NULL) ? VERA_ERROR_NULL_POINTER : heap->last_error;
}

/* Frama-C sees only the declaration and its contract in heap.h, as with the lock pair: WP's typed
 * memory model does not follow the conversion of `storage` from `void *`, so this one-line body
 * is kept out of the proof and its contract (alloc's, restated) is assumed (docs/proofs.md,
 * trusted base). The unit tests run it through mira_mem. */
#ifndef __FRAMAC__
void *vera_heap_mira_callback(size_t size, void *storage)
{
    return vera_heap_alloc((vera_heap_t *)storage, size);
}
#endif
