/**
 * Internal: not an API; may change without notice.
 * What the throttling executor is given by the auto-configuration: claims on runs held as
 * PostgreSQL advisory locks, and its meters with the batch tag's values. The executor's own
 * machinery (the database limiter, which failures are transient) is package-private in
 * {@code io.github.poolguard.batch}.
 */
@NullMarked
package io.github.poolguard.internal.batch;

import org.jspecify.annotations.NullMarked;
