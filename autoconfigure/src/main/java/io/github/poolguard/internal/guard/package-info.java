/**
 * Internal: not an API; may change without notice.
 * Guard against extra connection pools in the application context.
 */
@NullMarked
package io.github.poolguard.internal.guard;

import org.jspecify.annotations.NullMarked;
