/**
 * Internal: not an API; may change without notice.
 * The {@code connections} health group behind {@code /actuator/health/connections}.
 */
@NullMarked
package io.github.poolguard.internal.health;

import org.jspecify.annotations.NullMarked;
