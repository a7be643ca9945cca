package io.github.poolguard.autoconfigure;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Makes sure an infrastructure auto-proxy creator applies the {@code @BackgroundWork} advisor,
 * as {@code @EnableTransactionManagement} does for its own advisor, even where Boot's AOP
 * auto-configuration is switched off ({@code spring.aop.auto=false}). An existing, more capable
 * creator is kept.
 */
final class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

	@Override
	public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
		AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
	}

}
