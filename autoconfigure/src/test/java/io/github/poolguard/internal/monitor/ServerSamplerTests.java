package io.github.poolguard.internal.monitor;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.github.poolguard.internal.pool.ConnectionNaming;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the sampler counts as this application's fleet, on a server of its own so that every
 * session on it is the test's.
 */
class ServerSamplerTests {

	private static PostgresServer server;

	@BeforeAll
	static void startServer() {
		server = TestPostgres.start(Map.of("max_connections", "20"));
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void twoApplicationsWhoseNamesDifferOnlyPastTheCutAreTwoFleets() throws Exception {
		// the api runs as one instance (two-part pool names), the worker with instance ids
		ConnectionNaming api = new ConnectionNaming("billing-invoice-service-api", null, "a1");
		ConnectionNaming worker = new ConnectionNaming("billing-invoice-service-worker", "b1", "b1");
		try (Connection apiMonitor = server.connect(api.monitor());
				Connection apiPool = server.connect(api.app());
				Connection workerMonitor = server.connect(worker.monitor());
				Connection workerPool = server.connect(worker.app())) {
			ServerSampler sampler = new ServerSampler(api.applicationPart(), Duration.ofSeconds(2),
					Clock.systemUTC());
			ServerSample sample = sampler.sample(apiMonitor, 3);
			assertThat(sample.inUse()).isEqualTo(4);
			assertThat(sample.instances()).containsExactly("a1");
			// the worker's two sessions are another application's; the api's pool is its own
			assertThat(sample.otherClients()).isEqualTo(2);
			assertThat(sample.published()).containsOnlyKeys("a1");
		}
	}

}
