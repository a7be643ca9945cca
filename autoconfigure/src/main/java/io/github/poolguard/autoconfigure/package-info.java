/**
 * Auto-configuration for PoolGuard.
 */
@NullMarked
package io.github.poolguard.autoconfigure;

import org.jspecify.annotations.NullMarked;
