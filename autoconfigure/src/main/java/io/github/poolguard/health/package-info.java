/**
 * Health indicators that answer from the server monitor's cached sample and the pools' memory,
 * so they never wait for a connection.
 */
@NullMarked
package io.github.poolguard.health;

import org.jspecify.annotations.NullMarked;
