/**
 * Guard against extra connection pools in the application context.
 */
@NullMarked
package io.github.poolguard.guard;

import org.jspecify.annotations.NullMarked;
