/**
 * The one place where readings become judgements: the latest server sample, both pools' counts,
 * PgBouncer's pools and the budget are combined into one immutable {@link ConnectionsSnapshot}
 * (status, warnings as sentences, fleet and budget, pressure signals) that health, metrics, the
 * endpoint and batch pacing read and never recompute. Samplers ({@code monitor},
 * {@code pgbouncer}) never depend on this package.
 */
@NullMarked
package io.github.poolguard.assessment;

import org.jspecify.annotations.NullMarked;
