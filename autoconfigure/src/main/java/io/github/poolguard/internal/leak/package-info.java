/**
 * Internal: not an API; may change without notice.
 * Tracking of who holds each borrowed connection, and reports of connections held too long.
 */
@NullMarked
package io.github.poolguard.internal.leak;

import org.jspecify.annotations.NullMarked;
