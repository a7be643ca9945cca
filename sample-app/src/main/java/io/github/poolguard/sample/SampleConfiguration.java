package io.github.poolguard.sample;

import java.net.http.HttpClient;
import java.time.Clock;

import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.sample.fetch.FetchJob;
import io.github.poolguard.sample.source.BrapiHttpClient;
import io.github.poolguard.sample.source.BrapiSource;
import io.github.poolguard.sample.source.HttpCalls;
import io.github.poolguard.sample.source.MarketSimulator;
import io.github.poolguard.sample.source.WardHttpClient;
import io.github.poolguard.sample.source.WardSource;
import io.github.poolguard.sample.store.FetchRunStore;
import io.github.poolguard.sample.store.QuoteStore;
import io.github.poolguard.sample.universe.TickerUniverse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;

/**
 * Wires the sample: the universe, the two sources (HTTP or simulated), the stores and the job.
 */
@Configuration(proxyBeanMethods = false)
class SampleConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemDefaultZone();
	}

	@Bean
	TickerUniverse tickerUniverse(SampleProperties properties) {
		return new TickerUniverse(properties.getUniverse().getSize());
	}

	@Bean
	WardSource wardSource(SampleProperties properties, ObjectProvider<RestClient.Builder> builder,
			TickerUniverse universe, Clock clock) {
		SampleProperties.Source ward = properties.getSources().getWard();
		if (!ward.isHttp()) {
			return new MarketSimulator(universe, properties.getSources().getSimulatorLatency(), clock).asWard();
		}
		return new WardHttpClient(restClient(builder, ward), new HttpCalls("ward", ward));
	}

	@Bean
	BrapiSource brapiSource(SampleProperties properties, ObjectProvider<RestClient.Builder> builder,
			TickerUniverse universe, Clock clock) {
		SampleProperties.Source brapi = properties.getSources().getBrapi();
		if (!brapi.isHttp()) {
			return new MarketSimulator(universe, properties.getSources().getSimulatorLatency(), clock).asBrapi();
		}
		return new BrapiHttpClient(restClient(builder, brapi), new HttpCalls("brapi", brapi));
	}

	@Bean
	QuoteStore quoteStore(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		return new QuoteStore(jdbc, new TransactionTemplate(transactionManager));
	}

	@Bean
	FetchRunStore fetchRunStore(JdbcTemplate jdbc) {
		return new FetchRunStore(jdbc);
	}

	@Bean
	@ConditionalOnProperty(name = "sample.fetch.mode", havingValue = "guarded", matchIfMissing = true)
	FetchJob fetchJob(ThrottlingExecutor executor, WardSource ward, BrapiSource brapi, QuoteStore quotes,
			FetchRunStore runs, TickerUniverse universe, SampleProperties properties, Clock clock) {
		return new FetchJob(executor, ward, brapi, quotes, runs, universe, properties.getFetch().getHistoryDays(),
				clock);
	}

	private static RestClient restClient(ObjectProvider<RestClient.Builder> builders, SampleProperties.Source source) {
		RestClient.Builder builder = builders.getIfAvailable(RestClient::builder);
		HttpClient http = HttpClient.newBuilder().connectTimeout(source.getConnectTimeout()).build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(http);
		requestFactory.setReadTimeout(source.getReadTimeout());
		RestClient.Builder configured = builder.clone().baseUrl(source.getBaseUrl()).requestFactory(requestFactory);
		if (StringUtils.hasText(source.getToken())) {
			configured.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + source.getToken());
		}
		return configured.build();
	}

}
