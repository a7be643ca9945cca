/**
 * Internal: not an API; may change without notice.
 * The steered pause law shared by the executor's adaptive runs and Spring Batch's chunk gate;
 * it depends on nothing else of PoolGuard's.
 */
@NullMarked
package io.github.poolguard.internal.pacing;

import org.jspecify.annotations.NullMarked;
