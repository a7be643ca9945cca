/**
 * Tracking of who holds each borrowed connection, and reports of connections held too long.
 */
@NullMarked
package io.github.poolguard.leak;

import org.jspecify.annotations.NullMarked;
