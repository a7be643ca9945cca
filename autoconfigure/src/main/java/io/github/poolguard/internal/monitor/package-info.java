/**
 * Internal: not an API; may change without notice.
 * The server monitor: samples {@code pg_stat_activity} and the server's settings on the one
 * scheduler into immutable readings, and publishes
 * {@link io.github.poolguard.monitor.ConnectionPressureEvent} when the pressure level changes.
 */
@NullMarked
package io.github.poolguard.internal.monitor;

import org.jspecify.annotations.NullMarked;
