/**
 * Running behind PgBouncer: its pool modes and its admin console.
 */
@NullMarked
package io.github.poolguard.pgbouncer;

import org.jspecify.annotations.NullMarked;
