/*
 * veralloc: the release this copy of the library comes from.
 *
 * Semantic Versioning 2.0.0 (semver.org): MAJOR changes when the public API or a documented
 * behaviour changes incompatibly, MINOR when something is added, PATCH for fixes that keep every
 * documented behaviour. CHANGELOG.md lists what each release changed. A firmware team that vendors
 * the two files from dist/ can check at compile time which release it builds against, e.g.
 *   #if VERA_VERSION_NUMBER < 200u  ... needs veralloc 0.2.0 or later ...
 */
#ifndef VERALLOC_VERSION_H
#define VERALLOC_VERSION_H

#define VERA_VERSION_MAJOR 0u
#define VERA_VERSION_MINOR 2u
#define VERA_VERSION_PATCH 0u

/* "MAJOR.MINOR.PATCH" as a string literal (written out, not stringified: MISRA C:2012 rule 20.10
 * advises against the # operator). tests/release/release_test.sh checks it matches the numbers. */
#define VERA_VERSION_STRING "0.2.0"

/* One number that grows with every release: MAJOR * 10000 + MINOR * 100 + PATCH. */
#define VERA_VERSION_NUMBER ((VERA_VERSION_MAJOR * 10000u) + (VERA_VERSION_MINOR * 100u) + VERA_VERSION_PATCH)

#endif /* VERALLOC_VERSION_H */
