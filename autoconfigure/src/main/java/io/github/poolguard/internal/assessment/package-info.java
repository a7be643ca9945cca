/**
 * Internal: not an API; may change without notice.
 * The assessment the auto-configuration supplies
 * ({@link io.github.poolguard.assessment.ConnectionsAssessment} over the monitor, the pools,
 * PgBouncer and the budget), the log of the fleet's size and the pressure source that reads the
 * server's state for batch work.
 */
@NullMarked
package io.github.poolguard.internal.assessment;

import org.jspecify.annotations.NullMarked;
