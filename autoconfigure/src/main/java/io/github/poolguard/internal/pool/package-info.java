/**
 * Internal: not an API; may change without notice.
 * Building governed HikariCP pools: connection names, server-side limits, URL checks.
 */
@NullMarked
package io.github.poolguard.internal.pool;

import org.jspecify.annotations.NullMarked;
