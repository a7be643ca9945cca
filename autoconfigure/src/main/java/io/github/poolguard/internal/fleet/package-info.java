/**
 * Internal: not an API; may change without notice.
 * The fleet's division of the server's connections: each instance's share of the usable
 * connections, worked out the same way by every instance, and applied to its running pools.
 */
@NullMarked
package io.github.poolguard.internal.fleet;

import org.jspecify.annotations.NullMarked;
