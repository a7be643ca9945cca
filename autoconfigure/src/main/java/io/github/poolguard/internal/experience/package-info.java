/**
 * Internal: not an API; may change without notice. The app-experience sampler and its sources.
 */
@NullMarked
package io.github.poolguard.internal.experience;

import org.jspecify.annotations.NullMarked;
