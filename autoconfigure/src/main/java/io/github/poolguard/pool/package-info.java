/**
 * Building governed HikariCP pools: connection names, server-side limits, URL checks.
 */
@NullMarked
package io.github.poolguard.pool;

import org.jspecify.annotations.NullMarked;
