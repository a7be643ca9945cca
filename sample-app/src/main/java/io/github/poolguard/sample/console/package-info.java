/**
 * What {@code fetch-ward} shows on the console while a run goes: a live progress bar on a
 * terminal, plain progress lines otherwise, both fed by {@link RunSnapshot}.
 */
@NullMarked
package io.github.poolguard.sample.console;

import org.jspecify.annotations.NullMarked;
