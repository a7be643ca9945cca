/**
 * Internal: not an API; may change without notice.
 * The routing's machinery: the gate before a pool is asked for a connection, the decorator of
 * each borrowed connection and the scheduler wrapper that runs tasks as scheduled work.
 */
@NullMarked
package io.github.poolguard.internal.routing;

import org.jspecify.annotations.NullMarked;
