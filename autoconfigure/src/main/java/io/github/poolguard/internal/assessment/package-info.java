/**
 * Internal: not an API; may change without notice.
 * The log of the fleet's size and the pressure source that reads the server's state for batch
 * work, beside {@link io.github.poolguard.assessment.ConnectionsAssessment}.
 */
@NullMarked
package io.github.poolguard.internal.assessment;

import org.jspecify.annotations.NullMarked;
