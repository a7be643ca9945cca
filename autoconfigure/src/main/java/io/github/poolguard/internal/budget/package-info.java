/**
 * Internal: not an API; may change without notice.
 * The startup check of the connection budget against the server's {@code max_connections}.
 */
@NullMarked
package io.github.poolguard.internal.budget;

import org.jspecify.annotations.NullMarked;
