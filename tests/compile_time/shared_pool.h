/* A pool shared by two files (compile_time_test.sh): declared here, defined in shared_pool_a.c. */
#ifndef SHARED_POOL_H
#define SHARED_POOL_H

#ifdef VERALLOC_DIST
#include "veralloc.h"
#else
#include "veralloc/pool.h"
#endif

VERA_POOL_DECLARE(shared_pool, 40, 3);

void *take_in_other_file(void);
int give_back_in_other_file(void *block);

#endif
