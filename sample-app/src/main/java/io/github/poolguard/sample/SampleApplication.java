package io.github.poolguard.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The PoolGuard sample: a ticker-fetch batch that shares one PostgreSQL server with a web app.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		EmbeddedDatabase.startIfNoDatasourceConfigured(args);
		SpringApplication.run(SampleApplication.class, args);
	}

}
