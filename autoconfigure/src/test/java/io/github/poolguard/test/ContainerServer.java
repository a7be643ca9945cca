package io.github.poolguard.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A PostgreSQL server in a Testcontainers container, for machines with Docker.
 */
final class ContainerServer extends PostgresServer {

	private final PostgreSQLContainer container;

	private ContainerServer(PostgreSQLContainer container) {
		this.container = container;
	}

	static ContainerServer start(Map<String, String> settings) {
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
		List<String> command = new ArrayList<>(List.of("postgres", "-c", "fsync=off"));
		settings.forEach((name, value) -> {
			command.add("-c");
			command.add(name + "=" + value);
		});
		container.setCommand(command.toArray(String[]::new));
		container.start();
		return new ContainerServer(container);
	}

	@Override
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://" + this.container.getHost() + ":" + this.container.getMappedPort(5432) + "/"
				+ database;
	}

	@Override
	public String username() {
		return this.container.getUsername();
	}

	@Override
	public String password() {
		return this.container.getPassword();
	}

	@Override
	public void close() {
		this.container.stop();
	}

}
