package io.github.poolguard.internal.fleet;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The division every instance works out: app pools first, background second, never above what
 * was configured, never more than the server has room for.
 */
class FleetDivisionTests {

	// app 10 + background 3 + monitor 1, floor: app 2.
	private static final InstanceDemand DEMAND = new InstanceDemand(10, 2, 3, 1);

	@Test
	void whenTheFleetFitsEveryInstanceKeepsItsConfiguredSizes() {
		List<FleetShare> shares = all(34, 0, 2, DEMAND);
		assertThat(shares).allSatisfy((share) -> {
			assertThat(share.app()).isEqualTo(10);
			assertThat(share.background()).isEqualTo(3);
		});
		assertThat(shares.get(0).arithmetic()).contains("34 available").contains("2 instances × 14 configured")
			.contains("= 28 fit");
	}

	@Test
	void fourInstancesOnThirtyFourUsableShareTheAppPoolsFirst() {
		// The rolling deploy: 4 × 14 = 56 > 34.
		List<FleetShare> shares = all(34, 0, 4, DEMAND);
		assertThat(shares).extracting(FleetShare::app).containsExactly(7, 7, 6, 6);
		assertThat(shares).extracting(FleetShare::background).containsOnly(1);
		assertThat(total(shares, DEMAND)).isEqualTo(34);
		assertThat(shares.get(3).arithmetic()).contains("4 instances × 14 configured = 56 do not fit")
			.contains("(number 4) gets app 6 of 10 + background 1 of 3 + 1 fixed");
	}

	@Test
	void whatTheAppPoolsLeaveGoesToTheBackgroundPools() {
		List<FleetShare> shares = all(25, 0, 2, DEMAND);
		assertThat(shares).extracting(FleetShare::app).containsOnly(10);
		assertThat(shares).extracting(FleetShare::background).containsExactly(2, 1);
		assertThat(total(shares, DEMAND)).isEqualTo(25);
	}

	@Test
	void otherClientsKeepTheirRoom() {
		List<FleetShare> shares = all(34, 10, 4, DEMAND);
		assertThat(total(shares, DEMAND)).isEqualTo(24);
		assertThat(shares.get(0).arithmetic()).startsWith("24 available = 34 usable − 10 held by other clients");
	}

	@Test
	void anInstanceBeyondTheFloorsTheServerHasRoomForGetsNothing() {
		// Floor 1 + 2 + 1 = 4: 10 available has room for two instances.
		List<FleetShare> shares = all(10, 0, 3, DEMAND);
		assertThat(shares).extracting(FleetShare::admitted).containsExactly(true, true, false);
		assertThat(shares.get(2).app()).isZero();
		assertThat(shares.get(2).arithmetic()).contains("floor 4 each (app 2 + background 1 + 1 fixed)")
			.contains("room for 2, this instance is number 3");
		assertThat(total(shares, DEMAND)).isLessThanOrEqualTo(10);
	}

	@Test
	void noDivisionEverHandsOutMoreThanIsAvailableOrMoreThanConfigured() {
		for (int appMax = 1; appMax <= 12; appMax++) {
			for (int background = 1; background <= 4; background++) {
				InstanceDemand demand = new InstanceDemand(appMax, 2, background, 1);
				for (int available = 0; available <= 80; available++) {
					for (int instances = 1; instances <= 7; instances++) {
						List<FleetShare> shares = all(available, 0, instances, demand);
						assertThat(total(shares, demand)).as("%s on %d for %d", demand, available, instances)
							.isLessThanOrEqualTo(Math.max(available, 0));
						for (FleetShare share : shares) {
							assertThat(share.app()).isBetween(0, appMax);
							assertThat(share.background()).isBetween(0, background);
						}
						boolean fits = available >= instances * demand.configured();
						assertThat(shares).allMatch((share) -> !fits
								|| (share.app() == demand.appMax() && share.background() == demand.backgroundMax()));
					}
				}
			}
		}
	}

	@Test
	void hugeNumbersDoNotOverflow() {
		InstanceDemand demand = new InstanceDemand(Integer.MAX_VALUE, 2, Integer.MAX_VALUE, 1);
		FleetShare share = FleetDivision.divide(Integer.MAX_VALUE, 0, 3, 0, demand);
		assertThat(share.app()).isPositive();
		assertThat(share.background()).isPositive();
	}

	@Test
	void aPositionOutsideTheFleetIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> FleetDivision.divide(34, 0, 2, 2, DEMAND));
	}

	private static List<FleetShare> all(int usable, int others, int instances, InstanceDemand demand) {
		List<FleetShare> shares = new ArrayList<>();
		for (int position = 0; position < instances; position++) {
			shares.add(FleetDivision.divide(usable, others, instances, position, demand));
		}
		return shares;
	}

	private static long total(List<FleetShare> shares, InstanceDemand demand) {
		return shares.stream().filter(FleetShare::admitted)
			.mapToLong((share) -> (long) share.app() + share.background() + demand.fixed())
			.sum();
	}

}
