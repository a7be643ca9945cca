package io.github.poolguard.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * {@link JdbcConnectionDetails} read from {@code spring.datasource.*}, used when nothing else
 * (Testcontainers, Docker Compose) provides connection details. Mirrors Spring Boot's own, which
 * backs off together with Boot's pooled DataSource.
 */
final class DataSourcePropertiesConnectionDetails implements JdbcConnectionDetails {

	private final DataSourceProperties properties;

	DataSourcePropertiesConnectionDetails(DataSourceProperties properties) {
		this.properties = properties;
	}

	@Override
	public @Nullable String getUsername() {
		return this.properties.determineUsername();
	}

	@Override
	public @Nullable String getPassword() {
		return this.properties.determinePassword();
	}

	@Override
	public String getJdbcUrl() {
		return this.properties.determineUrl();
	}

	@Override
	public String getDriverClassName() {
		return this.properties.determineDriverClassName();
	}

}
