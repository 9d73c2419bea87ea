/*
 * Memory checks shared by the fuzz harnesses, for any allocator that hands out blocks from one
 * region of memory the harness owns:
 *
 *   - ASan manual poisoning (vera_fuzz_poison / vera_fuzz_unpoison): the harness poisons what the
 *     allocator has not handed out, so writing a block's full promised size traps if the block is
 *     shorter than promised or lies in free space. Without ASan (the gcc replay build) both are
 *     no-ops and the explicit checks below still run.
 *   - a shadow ownership map (one flag per byte of the region): every block the allocator returns
 *     must lie inside the region and must not share a byte with any live block;
 *   - block patterns: each block is filled with bytes derived from its serial number when it is
 *     handed out and verified later, so a write through an overlapping or stray pointer shows up
 *     as corruption even where no other check looks;
 *   - a canary check of every byte no live block owns, for allocators that promise to write
 *     nothing into the buffer themselves (no in-band metadata).
 *
 * Blocks can be removed again (verified, then released), for allocators with free.
 */
#ifndef VERALLOC_FUZZ_MEMORY_H
#define VERALLOC_FUZZ_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz/support/fuzz_input.h"

/* Largest region a tracker covers, and most blocks it tracks at once. */
#define VERA_FUZZ_REGION_MAX_BYTES 65536u
#define VERA_FUZZ_MAX_BLOCKS 4096u

/* Makes [address, address + size) unaddressable / addressable again under ASan; no-ops otherwise.
 * ASan tracks 8-byte granules: a region that ends inside a granule is exact, one that starts
 * inside a granule is rounded as ASan documents. */
void vera_fuzz_poison(const volatile void *address, size_t size);
void vera_fuzz_unpoison(const volatile void *address, size_t size);

/* True when the build has ASan, so poisoning has an effect (harnesses check that it works). */
bool vera_fuzz_poisoning_enabled(void);

/* True when ASan reports `address` as poisoned; always false without ASan. */
bool vera_fuzz_is_poisoned(const volatile void *address);

typedef struct vera_fuzz_block {
    unsigned char *start;
    size_t size;
    uint32_t serial; /* unique per tracker reset; selects the block's fill pattern */
} vera_fuzz_block_t;

typedef struct vera_fuzz_tracker {
    unsigned char *region;
    size_t region_size;
    uint8_t owned[VERA_FUZZ_REGION_MAX_BYTES]; /* 1 where a live block owns the byte */
    vera_fuzz_block_t blocks[VERA_FUZZ_MAX_BLOCKS];
    size_t block_count;
    uint32_t next_serial;
} vera_fuzz_tracker_t;

/* Forgets every block and covers `region` (at most VERA_FUZZ_REGION_MAX_BYTES). Touches neither
 * the region's bytes nor its poisoning. */
void vera_fuzz_tracker_reset(vera_fuzz_tracker_t *tracker, unsigned char *region, size_t region_size);

/* A fresh region for an allocator: forgets every block, covers `region`, sets every byte to
 * `canary` and poisons it until the allocator hands it out. */
void vera_fuzz_tracker_open(vera_fuzz_tracker_t *tracker, unsigned char *region, size_t region_size,
                            unsigned char canary);

/* A block a bump allocator (the arena, the facade in buffer mode) handed out of the tracker's
 * region: the call consumed the region's bytes [used_before, used_after). Hands those bytes to the
 * harness (writing the block's full size then traps under ASan if the block reaches beyond them),
 * tracks the block, and checks that it lies inside them, at the offset the model expects. */
void vera_fuzz_check_bump_block(vera_fuzz_tracker_t *tracker, unsigned char *block, size_t size,
                                size_t used_before, size_t used_after, size_t expected_offset);

/* Sets an allocator's failure counter and its model's to SIZE_MAX - below_max, so that the
 * next few failures reach the saturation the contracts state. */
void vera_fuzz_set_near_saturation(size_t *counter, size_t *model_counter, size_t below_max);

/* True when no further block can be tracked. */
bool vera_fuzz_tracker_full(const vera_fuzz_tracker_t *tracker);

/*
 * Checks that [block, block + size) lies inside the region and shares no byte with a live block,
 * claims it and fills it with its pattern (writing every one of the `size` bytes: under ASan this
 * traps if part of it is poisoned). Returns the block's index. Aborts on a violation.
 * size 0 is rejected: no allocator here hands out empty blocks.
 */
size_t vera_fuzz_tracker_add(vera_fuzz_tracker_t *tracker, void *block, size_t size);

/* Checks that every live block still holds its pattern. */
void vera_fuzz_tracker_verify_all(const vera_fuzz_tracker_t *tracker);

/* Verifies block `index` and releases it; the last block takes its index (indexes of other blocks
 * may change). For allocators with free. */
void vera_fuzz_tracker_remove(vera_fuzz_tracker_t *tracker, size_t index);

/* A pointer the allocator must refuse as not its own, chosen by one byte of input: another object
 * (a static object of the support code), the allocator's own struct, or its metadata. *kind names
 * it for traces ("another object", `allocator_kind`, `metadata_kind`). */
unsigned char *vera_fuzz_take_foreign_object(vera_fuzz_input_t *input, void *allocator, const char *allocator_kind,
                                             void *metadata, const char *metadata_kind, const char **kind);

/* The index of the live block that starts at `block`; aborts if there is none (a harness bug). */
size_t vera_fuzz_tracker_index_of(const vera_fuzz_tracker_t *tracker, const void *block);

/* Checks that every byte of the region that no live block owns still equals `canary`. The caller
 * unpoisons the region first. */
void vera_fuzz_tracker_verify_unowned(const vera_fuzz_tracker_t *tracker, unsigned char canary);

#endif /* VERALLOC_FUZZ_MEMORY_H */
