/**
 * Workload routing: one {@code DataSource} over an app pool and a background pool.
 */
@NullMarked
package io.github.poolguard.routing;

import org.jspecify.annotations.NullMarked;
