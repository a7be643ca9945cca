/**
 * Internal: not an API; may change without notice.
 * The throttling executor's machinery: the database limiter, claims on runs, the meters, the
 * batch tag's values and which failures are transient.
 */
@NullMarked
package io.github.poolguard.internal.batch;

import org.jspecify.annotations.NullMarked;
