package io.github.poolguard.internal.guard;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * A connection pool found in the application context besides PoolGuard's own.
 *
 * @param beanName the bean's name
 * @param type the pool's class, simple name
 * @param maxSize the pool's maximum size, or {@code null} when it cannot be told
 * @param dataSource the pool itself
 */
public record ExtraPool(String beanName, String type, @Nullable Integer maxSize, DataSource dataSource) {

	@Override
	public String toString() {
		return "'" + this.beanName + "' (" + this.type + ", max " + ((this.maxSize != null) ? this.maxSize : "unknown")
				+ ")";
	}

}
