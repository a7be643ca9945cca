/**
 * Internal: not an API; may change without notice.
 * Micrometer meters for the server's connections and the connections' holders.
 */
@NullMarked
package io.github.poolguard.internal.metrics;

import org.jspecify.annotations.NullMarked;
