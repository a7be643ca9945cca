package io.github.poolguard.internal.fleet;

import java.util.ArrayList;
import java.util.Collections;
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
	void anInstanceThatGetsNoShareStillHoldsItsMonitorSoTheOthersLeaveRoomForIt() {
		// 10 available, 3 instances: their 3 monitors leave 7 for pools, room for two floors of 3
		List<FleetShare> shares = all(10, 0, 3, DEMAND);
		assertThat(shares).extracting(FleetShare::admitted).containsExactly(true, true, false);
		assertThat(total(shares, DEMAND)).as("pools and every instance's monitor").isEqualTo(10);
	}

	@Test
	void servingInstancesKeepTheirFloorAndTheOthersShrinkToMakeRoomForIt() {
		// 24 usable − 10 other sessions = 14 for 4 serving instances of (6, 2, 2, 1): their floors
		// (4 × 4 = 16) do not fit, every one keeps its floor and nobody holds more
		InstanceDemand demand = new InstanceDemand(6, 2, 2, 1);
		List<FleetShare> shares = all(24, 10, List.of(true, true, true, true), demand);
		assertThat(shares).extracting(FleetShare::app).containsOnly(2);
		assertThat(shares).extracting(FleetShare::background).containsOnly(1);
		assertThat(total(shares, demand)).isEqualTo(16);
		assertThat(shares.get(3).arithmetic()).contains("the 4 serving instance(s) keep their floor of 4 although only"
				+ " 14 are available");
	}

	@Test
	void servingInstancesAreServedBeforeAnEarlierInstanceThatWaits() {
		// the first instance waits out of service; the two after it serve and keep their share
		List<FleetShare> shares = all(10, 0, List.of(false, true, true), DEMAND);
		assertThat(shares).extracting(FleetShare::admitted).containsExactly(false, true, true);
		assertThat(shares.get(0).arithmetic()).contains("room for 2, this instance is number 3");
		assertThat(total(shares, DEMAND)).isEqualTo(10);
	}

	@Test
	void aSpringBatchInstanceKeepsTwoBackgroundConnections() {
		InstanceDemand demand = new InstanceDemand(10, 2, 3, 2, 1);
		List<FleetShare> shares = all(15, 0, 3, demand);
		assertThat(shares).extracting(FleetShare::background).containsOnly(2);
		assertThat(shares.get(0).arithmetic()).contains("gets app 2 of 10 + background 2 of 3");
		assertThat(total(shares, demand)).isLessThanOrEqualTo(15);
	}

	@Test
	void noDivisionEverHandsOutMoreThanIsAvailableOrMoreThanConfigured() {
		for (int appMax = 1; appMax <= 12; appMax++) {
			for (int background = 1; background <= 4; background++) {
				for (int backgroundFloor = 1; backgroundFloor <= 2; backgroundFloor++) {
					InstanceDemand demand = new InstanceDemand(appMax, 2, background, backgroundFloor, 1);
					for (int available = 0; available <= 60; available++) {
						for (int instances = 1; instances <= 6; instances++) {
							for (int servingMask = 0; servingMask < (1 << instances); servingMask++) {
								checkDivision(demand, available, instances, servingMask);
							}
						}
					}
				}
			}
		}
	}

	// every instance's fixed connections count, admitted or not; only the serving instances'
	// floors may exceed what is available (they hold them already)
	private static void checkDivision(InstanceDemand demand, int available, int instances, int servingMask) {
		List<Boolean> serving = new ArrayList<>();
		for (int i = 0; i < instances; i++) {
			serving.add((servingMask & (1 << i)) != 0);
		}
		long servingCount = serving.stream().filter((s) -> s).count();
		List<FleetShare> shares = all(available, 0, serving, demand);
		long held = total(shares, demand);
		long servingFloors = (long) instances * demand.fixed() + servingCount * demand.poolFloor();
		assertThat(held).as("%s on %d for %s", demand, available, serving)
			.isLessThanOrEqualTo(Math.max(available, servingFloors));
		for (int i = 0; i < instances; i++) {
			FleetShare share = shares.get(i);
			assertThat(share.app()).isBetween(0, demand.appMax());
			assertThat(share.background()).isBetween(0, demand.backgroundMax());
			if (serving.get(i)) {
				assertThat(share.admitted()).as("serving instance %d of %s on %d", i, serving, available).isTrue();
			}
			if (share.admitted()) {
				assertThat(share.app()).isGreaterThanOrEqualTo(demand.appFloor());
				assertThat(share.background()).isGreaterThanOrEqualTo(demand.backgroundFloor());
			}
		}
		boolean fits = available >= (long) instances * demand.configured();
		assertThat(shares).allMatch((share) -> !fits
				|| (share.app() == demand.appMax() && share.background() == demand.backgroundMax()));
	}

	@Test
	void hugeNumbersDoNotOverflow() {
		InstanceDemand demand = new InstanceDemand(Integer.MAX_VALUE, 2, Integer.MAX_VALUE, 1);
		FleetShare share = FleetDivision.divide(Integer.MAX_VALUE, 0, starting(3), 0, demand);
		assertThat(share.app()).isPositive();
		assertThat(share.background()).isPositive();
	}

	@Test
	void aPositionOutsideTheFleetIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> FleetDivision.divide(34, 0, starting(2), 2, DEMAND));
	}

	private static List<FleetShare> all(int usable, int others, int instances, InstanceDemand demand) {
		List<FleetShare> shares = new ArrayList<>();
		for (int position = 0; position < instances; position++) {
			shares.add(FleetDivision.divide(usable, others, starting(instances), position, demand));
		}
		return shares;
	}

	private static List<FleetShare> all(int usable, int others, List<Boolean> serving, InstanceDemand demand) {
		List<FleetShare> shares = new ArrayList<>();
		for (int position = 0; position < serving.size(); position++) {
			shares.add(FleetDivision.divide(usable, others, serving, position, demand));
		}
		return shares;
	}

	// a fleet none of whose instances serves yet
	private static List<Boolean> starting(int instances) {
		return Collections.nCopies(instances, false);
	}

	// what the fleet holds: every admitted instance's pools and every instance's fixed connections
	private static long total(List<FleetShare> shares, InstanceDemand demand) {
		return shares.stream().mapToLong((share) -> (long) share.app() + share.background()).sum()
				+ (long) shares.size() * demand.fixed();
	}

}
