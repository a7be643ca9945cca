package io.github.poolguard.internal.budget;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The budget behind a transaction-pooling PgBouncer: its pool plus one monitor per instance.
 */
class PgBouncerBudgetTests {

	private final ConnectionBudget server = new ConnectionBudget(20, 3, 0, 3, 10, 3, 1, 4);

	@Test
	void thePoolsDoNotCountOnlyPgBouncersPoolAndTheMonitors() {
		PgBouncerBudget budget = new PgBouncerBudget(this.server, 8);
		assertThat(this.server.isOvercommitted()).isTrue();
		assertThat(budget.demand()).isEqualTo(12);
		assertThat(budget.isOvercommitted()).isFalse();
		assertThat(budget.explain()).startsWith("PgBouncer pool_size 8 + monitor 1 × 4 instances = 12 <= 14 usable"
				+ " = max_connections 20 − 3 superuser-reserved − 3 kept free")
			.endsWith("clients: app 10 + background 3 per instance × 4 instances = 52 connections to PgBouncer");
	}

	@Test
	void moreInstancesOrABiggerPoolOvercommit() {
		assertThat(new PgBouncerBudget(this.server, 8).withInstances(7).isOvercommitted()).isTrue();
		assertThat(new PgBouncerBudget(this.server, 11).isOvercommitted()).isTrue();
		assertThat(new PgBouncerBudget(this.server, null).isOvercommitted()).isFalse();
	}

}
