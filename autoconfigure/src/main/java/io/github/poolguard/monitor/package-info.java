/**
 * The server monitor: one connection of its own that samples the server's connections on a
 * timer, so health, metrics and pressure checks answer from memory and never wait for a pool.
 */
@NullMarked
package io.github.poolguard.monitor;

import org.jspecify.annotations.NullMarked;
