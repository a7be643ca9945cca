/**
 * Internal: not an API; may change without notice.
 * The PgBouncer sampler: reads PgBouncer's admin console ({@code SHOW POOLS}, {@code SHOW DATABASES}) and hands back
 * immutable readings; it judges nothing.
 */
@NullMarked
package io.github.poolguard.internal.pgbouncer;

import org.jspecify.annotations.NullMarked;
