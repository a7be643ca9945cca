/**
 * Internal: not an API; may change without notice.
 * Spring Batch jobs as background work: every step execution runs on the background pool, its
 * concurrent chunks hold no more background connections than the pool has, it yields between
 * chunks while the application is under pressure, and it shows in {@code /actuator/poolguard}.
 */
@NullMarked
package io.github.poolguard.internal.springbatch;

import org.jspecify.annotations.NullMarked;
