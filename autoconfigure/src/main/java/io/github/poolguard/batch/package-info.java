/**
 * The throttling executor for batch work: bounded concurrency, chunks, pauses, retries,
 * progress, yielding to the application, and a clean drain on shutdown.
 */
@NullMarked
package io.github.poolguard.batch;

import org.jspecify.annotations.NullMarked;
