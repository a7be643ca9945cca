package io.github.poolguard.autoconfigure;

import java.util.Arrays;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.core.Ordered;

/**
 * Marks the application's {@code DataSource} bean definition primary when PoolGuard's pool beans
 * (not default candidates) stand next to it, so that Spring Boot mechanisms that look for "the"
 * {@code DataSource} among all of that type by primary, such as
 * {@code @AutoConfigureTestDatabase}, still find it. Injection is unchanged: it was already the
 * only default candidate.
 */
final class ApplicationDataSourcePrimaryMarker implements BeanDefinitionRegistryPostProcessor, Ordered {

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		if (!(registry instanceof ConfigurableListableBeanFactory beanFactory)) {
			return;
		}
		String application = AppDataSourceGovernor.findApplicationDataSource(beanFactory);
		if (application == null || !registry.containsBeanDefinition(application)) {
			return;
		}
		boolean others = Arrays.stream(beanFactory.getBeanNamesForType(DataSource.class, true, false))
			.anyMatch((name) -> !name.equals(application));
		BeanDefinition definition = registry.getBeanDefinition(application);
		if (others && !definition.isPrimary()) {
			definition.setPrimary(true);
		}
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
