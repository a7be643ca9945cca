/**
 * Internal: not an API; may change without notice.
 * How PoolGuard writes numbers for people: one duration format and one percent, shared by log
 * lines, warnings and batch progress.
 */
@NullMarked
package io.github.poolguard.internal.text;

import org.jspecify.annotations.NullMarked;
