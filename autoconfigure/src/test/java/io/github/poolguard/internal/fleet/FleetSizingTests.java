package io.github.poolguard.internal.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one instance does with the fleet's samples: the pools it resizes and when it serves. The
 * pools are configured but not started, so their live maximum is what a resize sets.
 */
class FleetSizingTests {

	// app 6 + background 2 + monitor 1
	private static final InstanceDemand DEMAND = new InstanceDemand(6, 2, 2, 1);

	private final HikariDataSource appPool = pool(6);

	private final HikariDataSource backgroundPool = pool(2);

	private final List<Boolean> servingCalls = new ArrayList<>();

	@AfterEach
	void closePools() {
		this.appPool.close();
		this.backgroundPool.close();
	}

	@Test
	void aSessionOfAnotherClientThatComesAndGoesDoesNotResizeThePoolsBackAndForth() {
		FleetSizing sizing = serving("b", Duration.ofSeconds(30));
		// two instances of 9 on 18 usable fit exactly; one other session takes one connection
		List<Integer> sizes = new ArrayList<>();
		for (int sample = 0; sample < 20; sample++) {
			int others = (sample + 1) % 2;
			sizing.update(new FleetView(18, 10 + others, others, List.of("a", "b"), Map.of("a", 8, "b", 8)));
			sizes.add(this.appPool.getMaximumPoolSize() * 10 + this.backgroundPool.getMaximumPoolSize());
		}
		assertThat(sizes.get(0)).as("app 6, background 1 while the other session is there").isEqualTo(61);
		assertThat(sizes).as("pool sizes after each sample").containsOnly(61);
	}

	@Test
	void aLargerShareThatHoldsIsTakenAfterAFewSamples() {
		FleetSizing sizing = serving("b", Duration.ofSeconds(30));
		sizing.update(new FleetView(18, 11, 1, List.of("a", "b"), Map.of("a", 8, "b", 8)));
		assertThat(this.backgroundPool.getMaximumPoolSize()).isEqualTo(1);
		for (int sample = 1; sample < FleetSizing.GROWTH_SAMPLES; sample++) {
			sizing.update(new FleetView(18, 10, 0, List.of("a", "b"), Map.of("a", 8, "b", 7)));
			assertThat(this.backgroundPool.getMaximumPoolSize()).isEqualTo(1);
		}
		sizing.update(new FleetView(18, 10, 0, List.of("a", "b"), Map.of("a", 8, "b", 7)));
		assertThat(this.backgroundPool.getMaximumPoolSize()).isEqualTo(2);
	}

	@Test
	void anInstanceStillWaitingAfterTheJoinTimeoutStartsWithWhatIsFree() {
		FleetSizing sizing = new FleetSizing("c", DEMAND, new PoolResizer(this.appPool, "app"),
				new PoolResizer(this.backgroundPool, "background"), this.servingCalls::add, Duration.ZERO);
		sizing.joined();
		// 24 usable, 3 instances: c's share is app 4 + background 1 of the 21 left after the
		// monitors, but a and b (instances of an older version that say nothing) hold 19 of 24
		FleetView view = new FleetView(24, 19 + 1, 0, List.of("a", "b", "c"), Map.of("c", 0));
		FleetShare share = sizing.plan(view);
		assertThat(share.app() + share.background()).isGreaterThan(4);
		sizing.update(view);
		assertThat(sizing.isAdmitted()).isTrue();
		assertThat(this.appPool.getMaximumPoolSize() + this.backgroundPool.getMaximumPoolSize()).isEqualTo(4);
		assertThat(this.servingCalls).endsWith(true);
	}

	@Test
	void aServingInstanceIsNeverTakenOutOfServiceByACrowdedServer() {
		FleetSizing sizing = serving("b", Duration.ofSeconds(30));
		sizing.update(new FleetView(18, 18, 10, List.of("a", "b"), Map.of("a", 8, "b", 8)));
		assertThat(sizing.isAdmitted()).isTrue();
		assertThat(this.appPool.getMaximumPoolSize()).isEqualTo(2);
		assertThat(this.backgroundPool.getMaximumPoolSize()).isEqualTo(1);
		assertThat(this.servingCalls).containsOnly(true);
	}

	private FleetSizing serving(String self, Duration joinTimeout) {
		FleetSizing sizing = new FleetSizing(self, DEMAND, new PoolResizer(this.appPool, "app"),
				new PoolResizer(this.backgroundPool, "background"), this.servingCalls::add, joinTimeout);
		sizing.admit(new FleetShare(2, 1, 18, 6, 2, "configured"), false);
		sizing.joined();
		this.servingCalls.clear();
		return sizing;
	}

	private static HikariDataSource pool(int max) {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/never-started");
		pool.setMaximumPoolSize(max);
		pool.setMinimumIdle(0);
		return pool;
	}

}
