package io.github.poolguard.sample.console;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.batch.BatchProgress;
import io.github.poolguard.monitor.PoolStats;

/**
 * Builds a {@link RunSnapshot} from the executor's progress and the pools' own counts (read
 * from HikariCP's memory, never from the server).
 */
public final class RunSnapshots {

	private RunSnapshots() {
	}

	/**
	 * Take a snapshot.
	 * @param progress the batch run's progress
	 * @param pools the application's pools
	 * @return the snapshot
	 */
	public static RunSnapshot of(BatchProgress progress, Collection<HikariDataSource> pools) {
		List<RunSnapshot.PoolUse> uses = pools.stream()
			.sorted(Comparator.comparing(HikariDataSource::getPoolName))
			.map((pool) -> {
				PoolStats stats = PoolStats.of(pool);
				return new RunSnapshot.PoolUse(shortName(pool.getPoolName()), stats.active(), stats.max());
			})
			.toList();
		return new RunSnapshot(progress.total(), progress.done(), progress.succeeded(), progress.failed(),
				progress.rate(), progress.eta(), uses);
	}

	private static String shortName(String poolName) {
		int colon = poolName.indexOf(':');
		return (colon >= 0) ? poolName.substring(colon + 1) : poolName;
	}

}
