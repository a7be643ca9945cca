package io.github.poolguard.internal.guard;

import java.util.List;
import java.util.Set;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.jdbc.metadata.HikariDataSourcePoolMetadata;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

class ExtraPoolGuardTests {

	@Test
	void findsEveryOtherPoolDefaultCandidateOrNotWithItsSize() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.registerBean("dataSource", HikariDataSource.class, () -> pool(10));
			context.registerBean("moduleA", HikariDataSource.class, () -> pool(7));
			context.registerBean("moduleB", HikariDataSource.class, () -> pool(4),
					(definition) -> ((AbstractBeanDefinition) definition).setDefaultCandidate(false));
			context.refresh();
			ExtraPoolGuard guard = new ExtraPoolGuard(context.getBeanFactory(),
					(dataSource) -> new HikariDataSourcePoolMetadata((HikariDataSource) dataSource),
					Set.of("dataSource"), false);
			List<ExtraPool> pools = guard.getExtraPools();
			assertThat(pools).extracting(ExtraPool::beanName).containsExactly("moduleA", "moduleB");
			assertThat(pools).extracting(ExtraPool::maxSize).containsExactly(7, 4);
			assertThat(pools.get(1).dataSource()).isSameAs(context.getBean("moduleB"));
		}
	}

	private static HikariDataSource pool(int max) {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl("jdbc:h2:mem:guard");
		pool.setMaximumPoolSize(max);
		return pool;
	}

}
