package io.github.poolguard.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The PoolGuard sample: a ticker-fetch batch that shares one PostgreSQL server with a web app.
 * {@code fetch-ward [TICKER ...] [--force-full] [--no-brapi] [--verbose]} runs the batch and exits; with no
 * command it serves the REST API and actuator endpoints.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

	public static void main(String[] args) {
		if (args.length > 0 && args[0].equals(FetchCommand.NAME)) {
			String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
			System.exit(SampleCli.run(rest, System.out, System.err));
		}
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.addListeners(new EmbeddedDatabase());
		application.run(args);
	}

}
