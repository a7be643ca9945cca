package io.github.poolguard.sample.naive;

import java.time.Clock;

import io.github.poolguard.sample.SampleProperties;
import io.github.poolguard.sample.source.BrapiSource;
import io.github.poolguard.sample.source.WardSource;
import io.github.poolguard.sample.store.FetchRunStore;
import io.github.poolguard.sample.store.QuoteStore;
import io.github.poolguard.sample.universe.TickerUniverse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The benchmark-only naive fetch ({@code sample.fetch.mode=naive}), in place of the guarded
 * job. Off by default.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sample.fetch.mode", havingValue = "naive")
class NaiveFetchConfiguration {

	@Bean
	NaiveFetchJob naiveFetchJob(SampleProperties properties, WardSource ward, BrapiSource brapi, QuoteStore quotes,
			FetchRunStore runs, PlatformTransactionManager transactionManager, TickerUniverse universe, Clock clock) {
		return new NaiveFetchJob(properties.getFetch().getNaiveThreads(), ward, brapi, quotes, runs,
				new TransactionTemplate(transactionManager), universe, properties.getFetch().getHistoryDays(), clock);
	}

}
