package io.github.poolguard.benchmarks.ingest;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The smallest Spring Boot application that gives the JPA ingest path a repository.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class JpaIngestApplication {

}
