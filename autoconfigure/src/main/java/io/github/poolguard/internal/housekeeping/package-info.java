/**
 * Internal: not an API; may change without notice.
 * PoolGuard's one scheduler for periodic work (the server monitor's samples, PgBouncer's console
 * reads, leak checks), the way HikariCP keeps one housekeeping executor per pool.
 */
@NullMarked
package io.github.poolguard.internal.housekeeping;

import org.jspecify.annotations.NullMarked;
