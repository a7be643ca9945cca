package io.github.poolguard.autoconfigure;

import javax.sql.DataSource;

import io.github.poolguard.routing.Workload;
import io.github.poolguard.routing.WorkloadRoutingDataSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An H2 application with PoolGuard, started in a class loader that has no PostgreSQL driver.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
public class H2ApplicationWithoutPostgresDriver {

	/**
	 * Start the application, query on both workloads, stop it.
	 * @return the data source's class name and both answers, space-separated
	 * @throws Exception when the application fails
	 */
	public static String run() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(
				H2ApplicationWithoutPostgresDriver.class)
			.web(WebApplicationType.NONE)
			.properties("spring.datasource.url=jdbc:h2:mem:nodriver;DB_CLOSE_DELAY=-1",
					"spring.application.name=nodriver")
			.run()) {
			DataSource dataSource = context.getBean(DataSource.class);
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			Integer app = jdbc.queryForObject("SELECT 1", Integer.class);
			Integer background = Workload.BACKGROUND.call(() -> jdbc.queryForObject("SELECT 2", Integer.class));
			// the routing data source PoolGuard builds is an internal subclass of the public type
			String type = (dataSource instanceof WorkloadRoutingDataSource) ? WorkloadRoutingDataSource.class.getSimpleName()
					: dataSource.getClass().getSimpleName();
			return type + " " + app + " " + background;
		}
	}

}
