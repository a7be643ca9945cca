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

	/**
	 * Start a container that, like the embedded servers, lets tests connect without checking
	 * passwords.
	 * @param settings server settings, such as {@code max_connections}
	 * @return the started server
	 */
	static ContainerServer start(Map<String, String> settings) {
		return start(settings, "trust");
	}

	/**
	 * Start a container whose server checks passwords on TCP connections (scram-sha-256).
	 * @return the started server
	 */
	static ContainerServer startCheckingPasswords() {
		return start(Map.of(), "scram-sha-256");
	}

	private static ContainerServer start(Map<String, String> settings, String hostAuthMethod) {
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
		container.addEnv("POSTGRES_HOST_AUTH_METHOD", hostAuthMethod);
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
