/**
 * Internal: not an API; may change without notice.
 * The operator console: one self-contained page that draws {@code /actuator/poolguard} in the
 * browser. The page carries the endpoint's path and no data.
 */
@NullMarked
package io.github.poolguard.internal.console;

import org.jspecify.annotations.NullMarked;
