/**
 * The throttling executor for batch work: items in flight bounded apart from database steps,
 * fixed or adaptive pacing, retries, progress, yielding to the application, operator controls,
 * and a clean drain on shutdown.
 */
@NullMarked
package io.github.poolguard.batch;

import org.jspecify.annotations.NullMarked;
