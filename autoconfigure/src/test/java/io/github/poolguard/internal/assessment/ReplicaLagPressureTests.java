package io.github.poolguard.internal.assessment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.poolguard.internal.monitor.ReplicaLag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replica-lag pressure's judgement of a reading: the worst replica past the limit, named
 * with its lag; nothing at or below it, without replicas, or with the limit at zero.
 */
class ReplicaLagPressureTests {

	private final List<ReplicaLag> replicas = new ArrayList<>();

	private final ReplicaLagPressure pressure = new ReplicaLagPressure(() -> List.copyOf(this.replicas),
			Duration.ofSeconds(5));

	@Test
	void withoutReplicasThereIsNoPressureAndNoDetail() {
		assertThat(this.pressure.currentPressure()).isNull();
		assertThat(this.pressure.details()).isNull();
	}

	@Test
	void aReplicaPastTheLimitIsNamedWithItsLagAndTheWorstOneWins() {
		this.replicas.add(streaming("replica-1", "10.0.0.7", Duration.ofMillis(7200)));
		this.replicas.add(streaming("replica-2", "10.0.0.8", Duration.ofMillis(9100)));
		this.replicas.add(streaming("replica-3", null, Duration.ofMillis(300)));
		assertThat(this.pressure.currentPressure()).isEqualTo(
				"replica 'replica-2' (10.0.0.8) lags the primary by 9.1s, more than 5.0s (poolguard.batch.max-replica-lag)");
		assertThat(this.pressure.details()).containsOnlyKeys("replica-1", "replica-2", "replica-3", "maxReplicaLag")
			.containsEntry("maxReplicaLag", "5.0s");
	}

	@Test
	void aReplicaAtOrBelowTheLimitIsNoPressure() {
		this.replicas.add(streaming("replica-1", "10.0.0.7", Duration.ofSeconds(5)));
		assertThat(this.pressure.currentPressure()).isNull();
	}

	@Test
	void aStoppedReplayCountsTheTimeItsPositionStoodStill() {
		this.replicas.add(new ReplicaLag("replica-1", "10.0.0.7", null, null, Duration.ofMillis(40), 18_342_112L,
				Duration.ofMillis(6100), true));
		assertThat(this.pressure.currentPressure()).isEqualTo("replica 'replica-1' (10.0.0.7) has not replayed for"
				+ " 6.1s with 18342112 bytes of WAL waiting, more than 5.0s (poolguard.batch.max-replica-lag)");
	}

	@Test
	void aLagTheRoleMayNotReadIsNoPressureAndShownAsUnknown() {
		this.replicas.add(new ReplicaLag("replica-1", null, null, null, null, null, null, false));
		assertThat(this.pressure.currentPressure()).isNull();
		assertThat(this.pressure.details()).extractingByKey("replica-1")
			.asString()
			.contains("unknown: the monitor's role is not a member of pg_monitor");
	}

	@Test
	void zeroTurnsThePressureOffButTheLagIsStillShown() {
		ReplicaLagPressure off = new ReplicaLagPressure(() -> List.copyOf(this.replicas), Duration.ZERO);
		this.replicas.add(streaming("replica-1", "10.0.0.7", Duration.ofMinutes(3)));
		assertThat(off.currentPressure()).isNull();
		assertThat(off.details()).containsEntry("maxReplicaLag", "off").containsKey("replica-1");
	}

	private static ReplicaLag streaming(String name, String address, Duration replayLag) {
		return new ReplicaLag(name, address, replayLag.dividedBy(3), replayLag.dividedBy(2), replayLag, 0L, null, true);
	}

}
