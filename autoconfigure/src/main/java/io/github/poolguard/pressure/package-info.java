/**
 * Signals that the application is short of connections, which batch work yields to.
 */
@NullMarked
package io.github.poolguard.pressure;

import org.jspecify.annotations.NullMarked;
