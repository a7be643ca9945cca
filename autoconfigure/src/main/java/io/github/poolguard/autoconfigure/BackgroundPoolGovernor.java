package io.github.poolguard.autoconfigure;

import java.util.List;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.internal.pool.ConnectionNaming;
import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.pool.GuardedLogins;
import io.github.poolguard.internal.pool.HikariGovernance;
import io.github.poolguard.internal.pool.LoginGuard;
import io.github.poolguard.pgbouncer.PgBouncerMode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

/**
 * Gives the background pool its connection name and server-side limits before it starts.
 * Stateless: everything it needs is the bean, the properties and the one naming bean.
 */
final class BackgroundPoolGovernor implements BeanPostProcessor, Ordered {

	private final ObjectProvider<PoolGuardProperties> properties;

	private final ObjectProvider<ConnectionNaming> naming;

	private final Supplier<List<LoginGuard>> loginGuards;

	BackgroundPoolGovernor(ObjectProvider<PoolGuardProperties> properties, ObjectProvider<ConnectionNaming> naming,
			Supplier<List<LoginGuard>> loginGuards) {
		this.properties = properties;
		this.naming = naming;
		this.loginGuards = loginGuards;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource pool && PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME.equals(beanName)) {
			PoolGuardProperties properties = this.properties.getObject();
			HikariGovernance.apply(pool, this.naming.getObject().background(),
					PoolGuardAutoConfiguration.limits(pool.getJdbcUrl(), properties.getBackground()),
					properties.getPgbouncer().getMode() == PgBouncerMode.TRANSACTION);
			GuardedLogins.install(pool, ConnectionNames.BACKGROUND, this.loginGuards);
		}
		return bean;
	}

	/**
	 * Run after {@code poolguard.background.hikari.*} is bound onto the pool (Boot binds with a
	 * {@code PriorityOrdered} post-processor), so the name and limits PoolGuard sets are final.
	 * @return the lowest precedence
	 */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
