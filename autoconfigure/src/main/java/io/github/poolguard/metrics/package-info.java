/**
 * Micrometer meters for the server's connections and the connections' holders.
 */
@NullMarked
package io.github.poolguard.metrics;

import org.jspecify.annotations.NullMarked;
