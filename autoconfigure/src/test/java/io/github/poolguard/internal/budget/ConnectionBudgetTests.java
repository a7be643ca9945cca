package io.github.poolguard.internal.budget;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionBudgetTests {

	@Test
	void explainsAnOvercommittedFleet() {
		ConnectionBudget budget = new ConnectionBudget(20, 3, 0, 3, 10, 3, 1, 2);
		assertThat(budget.isOvercommitted()).isTrue();
		assertThat(budget.explain()).isEqualTo("app 10 + background 3 + monitor 1 = 14 per instance × 2 instances = 28"
				+ " > 14 usable = max_connections 20 − 3 superuser-reserved − 3 kept free");
	}

	@Test
	void fitsWhenDemandEqualsUsable() {
		ConnectionBudget budget = new ConnectionBudget(20, 3, 2, 1, 10, 3, 1, 1);
		assertThat(budget.usable()).isEqualTo(14);
		assertThat(budget.isOvercommitted()).isFalse();
		assertThat(budget.explain()).contains("<= 14 usable").contains("− 2 reserved_connections");
	}

	@Test
	void countsEveryOtherPoolAfterTheMonitor() {
		ConnectionBudget budget = new ConnectionBudget(40, 3, 0, 3, 10, 3, 1, 1)
			.withOtherPools(List.of(BudgetedPool.other("moduleA", 10), BudgetedPool.other("moduleB", 10)));
		assertThat(budget.perInstance()).isEqualTo(34);
		assertThat(budget.governedMax()).isEqualTo(13);
		assertThat(budget.isOvercommitted()).isFalse();
		assertThat(budget.explain()).isEqualTo("app 10 + background 3 + monitor 1 + moduleA 10 + moduleB 10 = 34 per"
				+ " instance <= 34 usable = max_connections 40 − 3 superuser-reserved − 3 kept free");
		assertThat(budget.withInstances(2).demand()).isEqualTo(68);
	}

	@Test
	void hugePoolsAndFleetsDoNotWrapAroundIntoABudgetThatFits() {
		ConnectionBudget hugePool = new ConnectionBudget(40, 3, 0, 3, 10, Integer.MAX_VALUE, 1, 1);
		assertThat(hugePool.exactDemand()).isEqualTo(2_147_483_658L);
		assertThat(hugePool.perInstance()).as("saturated, never wrapped").isEqualTo(Integer.MAX_VALUE);
		assertThat(hugePool.isOvercommitted()).isTrue();
		ConnectionBudget hugeFleet = new ConnectionBudget(40, 3, 0, 3, 10, 3, 1, 306_783_379);
		assertThat(hugeFleet.exactDemand()).isEqualTo(14L * 306_783_379);
		assertThat(hugeFleet.isOvercommitted()).isTrue();
		ConnectionBudget both = new ConnectionBudget(40, 3, 0, 3, Integer.MAX_VALUE, Integer.MAX_VALUE, 1,
				Integer.MAX_VALUE);
		assertThat(both.isOvercommitted()).isTrue();
	}

	@Test
	void poolOfUnknownSizeIsNamedButAddsNothing() {
		ConnectionBudget budget = new ConnectionBudget(20, 3, 0, 3, 5, 3, 1, 1)
			.withOtherPools(List.of(BudgetedPool.other("legacy", null)));
		assertThat(budget.perInstance()).isEqualTo(9);
		assertThat(budget.explain()).startsWith("app 5 + background 3 + monitor 1 + legacy (size unknown) = 9");
	}

}
