/**
 * The {@code /actuator/poolguard} endpoint.
 */
@NullMarked
package io.github.poolguard.actuate;

import org.jspecify.annotations.NullMarked;
