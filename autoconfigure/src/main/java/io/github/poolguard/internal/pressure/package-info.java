/**
 * Internal: not an API; may change without notice.
 * Pressure sources PoolGuard registers itself, such as threads waiting for the app pool.
 */
@NullMarked
package io.github.poolguard.internal.pressure;

import org.jspecify.annotations.NullMarked;
